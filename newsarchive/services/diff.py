"""A readable diff between two captures of an article.

Articles change by paragraphs (a correction, an update at the top, a line removed),
so the diff first aligns paragraphs and then, inside a changed paragraph, words: the
reader sees whole paragraphs added or removed and, where one was edited, exactly the
words that changed. The result is plain data; the HTML page decides how to show it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from newsarchive.errors import NotFound
from newsarchive.models import ArticleVersion
from newsarchive.storage import articles as store
from newsarchive.storage.db import Database

Op = Literal["equal", "insert", "delete"]
_WORDS = re.compile(r"\S+\s*")
#: paragraphs less similar than this are shown as one removed and one added, not as an
#: edit: a word-level diff of two unrelated paragraphs is noise
EDIT_SIMILARITY = 0.4


@dataclass
class Span:
    op: Op
    text: str


@dataclass
class Block:
    """One paragraph of the diff; ``spans`` carry word-level changes for an edited one."""

    op: Literal["equal", "insert", "delete", "replace"]
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class TextDiff:
    blocks: list[Block]
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return any(b.op != "equal" for b in self.blocks)


@dataclass
class VersionDiff:
    article_id: int
    a: int
    b: int
    title_a: str | None
    title_b: str | None
    body: TextDiff
    versions: list[int]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def word_spans(old: str, new: str) -> list[Span]:
    """Word-level changes inside one edited paragraph."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    spans: list[Span] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            spans.append(Span("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            spans.append(Span("delete", "".join(a[i1:i2])))
        if j2 > j1:
            spans.append(Span("insert", "".join(b[j1:j2])))
    return spans


def diff_texts(old: str, new: str) -> TextDiff:
    """Paragraph-aligned diff of two plain texts (paragraphs separated by a blank line)."""
    a, b = paragraphs(old), paragraphs(new)
    out = TextDiff(blocks=[])
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.blocks.extend(Block("equal", [Span("equal", p)]) for p in a[i1:i2])
            continue
        olds, news = a[i1:i2], b[j1:j2]
        # pair paragraphs edited in place; the rest are whole removals/additions
        while olds and news and difflib.SequenceMatcher(
            None, olds[0], news[0], autojunk=False
        ).ratio() >= EDIT_SIMILARITY:
            out.blocks.append(Block("replace", word_spans(olds.pop(0), news.pop(0))))
            out.removed += 1
            out.added += 1
        out.blocks.extend(Block("delete", [Span("delete", p)]) for p in olds)
        out.blocks.extend(Block("insert", [Span("insert", p)]) for p in news)
        out.removed += len(olds)
        out.added += len(news)
    return out


def _pick(versions: list[ArticleVersion], number: int, article_id: int) -> ArticleVersion:
    for v in versions:
        if v.version == number:
            return v
    raise NotFound(f"article {article_id} has no version {number}")


def version_diff(*, db: Database, article_id: int, a: int | None = None,
                 b: int | None = None) -> VersionDiff:
    """Diff version ``a`` (default: the one before ``b``) against ``b`` (default: latest)."""
    with db.read() as session:
        if store.get_article(session, article_id) is None:
            raise NotFound(f"no article {article_id}")
        versions = store.list_versions(session, article_id)
    if not versions:
        raise NotFound(f"article {article_id} has no versions")
    numbers = [v.version for v in versions]
    newer = _pick(versions, b if b is not None else numbers[-1], article_id)
    if a is None:
        earlier = [n for n in numbers if n < newer.version]
        a = earlier[-1] if earlier else newer.version
    older = _pick(versions, a, article_id)
    return VersionDiff(article_id=article_id, a=older.version, b=newer.version,
                       title_a=older.title, title_b=newer.title,
                       body=diff_texts(older.text, newer.text), versions=numbers)
