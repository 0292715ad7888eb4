"""Duplicates: exact copies (same text hash) and near-copies (the same story in another
site's frame, like an aggregator's copy of a wire article) point at the original.

Near-copies are found in two steps: a 64-bit SimHash of the text's word shingles picks
candidates among recent articles (a few thousand integers compared in memory), then the
share of shared word shingles confirms them, so a loose first step cannot link two
different stories. Which one is the original: a copy that carries a syndication line
(``original_source``) points at the other; otherwise the later published, then the later
captured, points at the earlier.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.models import Article

#: words per shingle: long enough that shared shingles mean shared sentences
SHINGLE_WORDS = 4
#: candidates differ in at most this many of 64 bits; the seed's aggregator copy of an NBC
#: article differs in 7, unrelated stories in ~30, stories from one template and vocabulary
#: in ~18 (the shingle check confirms every candidate anyway)
SIMHASH_MAX_DISTANCE = 12
#: candidates whose text is compared, nearest first
MAX_CANDIDATES = 3
#: share of the shorter text's shingles found in the other that makes it a copy
CONTAINMENT_MIN = 0.8
#: texts shorter than this are too generic to call copies (briefs, captions)
MIN_WORDS = 50
#: how many recent articles a new one is compared with
RECENT_WINDOW = 5000

_WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


#: odd 64-bit multipliers that mix a shingle's word hashes by position (order matters)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93], dtype=np.uint64)


def simhash(text: str) -> int | None:
    """A signed 64-bit SimHash (fits a BIGINT column) of the text's shingles; None if short.

    Each distinct word is hashed once (blake2b, stable across processes, unlike hash());
    shingle hashes are mixed from them in numpy, so a long article costs ~1 ms."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    vocab = {w: i for i, w in enumerate(dict.fromkeys(words))}
    word_hash = np.frombuffer(
        b"".join(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest() for w in vocab),
        dtype="<u8",
    )
    seq = word_hash[np.fromiter((vocab[w] for w in words), dtype=np.int64, count=len(words))]
    n = len(words) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):
        grams = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE_WORDS):
            grams = grams + seq[k : k + n] * _MIX[k]
        grams ^= grams >> np.uint64(31)  # spread the high bits down (avalanche)
        grams = grams * _MIX[0]
    grams = np.unique(grams)
    bits = np.unpackbits(grams.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(grams)
    value = sum(1 << (8 * (i // 8) + i % 8) for i in range(64) if votes[i] > 0)
    return value - (1 << 64) if value >= (1 << 63) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def containment(a: str | set[str], b: str | set[str]) -> float:
    """Share of the smaller text's shingles found in the other (texts or shingle sets)."""
    sa_ = _shingles(a) if isinstance(a, str) else a
    sb = _shingles(b) if isinstance(b, str) else b
    if not sa_ or not sb:
        return 0.0
    return len(sa_ & sb) / min(len(sa_), len(sb))


def _order_key(a: Article) -> tuple[datetime, datetime, int]:
    far = datetime.max.replace(tzinfo=UTC)
    return (a.published_at or far, a.fetched_at or far, a.id or 0)


def copy_and_original(a: Article, b: Article) -> tuple[Article, Article]:
    """(the copy, the original) of two articles with the same story."""
    if bool(a.original_source) != bool(b.original_source):
        return (a, b) if a.original_source else (b, a)
    return (a, b) if _order_key(a) > _order_key(b) else (b, a)


def _root(session: Session, article: Article) -> Article:
    seen = {article.id}
    while article.duplicate_of is not None:
        parent = session.get(Article, article.duplicate_of)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        article = parent
    return article


def _find_match(session: Session, article: Article) -> Article | None:
    if article.content_hash:
        same = session.exec(
            select(Article)
            .where(Article.content_hash == article.content_hash, Article.id != article.id)
            .order_by(col(Article.id))
        ).first()
        if same is not None:
            return same
    if article.simhash is None:
        return None
    rows = session.execute(
        sa.select(col(Article.id), col(Article.simhash))
        .where(col(Article.simhash).is_not(None), col(Article.id) != article.id)
        .order_by(col(Article.id).desc())
        .limit(RECENT_WINDOW)
    ).all()
    near = sorted((d, i) for i, h in rows if (d := distance(article.simhash, h))
                  <= SIMHASH_MAX_DISTANCE)
    if not near:
        return None
    mine = _shingles(article.text)
    for _dist, other_id in near[:MAX_CANDIDATES]:
        text = session.execute(sa.select(col(Article.text)).where(Article.id == other_id)
                               ).scalar_one_or_none()
        if text and containment(mine, text) >= CONTAINMENT_MIN:
            return session.get(Article, other_id)
    return None


def link_duplicates(session: Session, article: Article, *, simhash_value: int | None) -> None:
    """Record the article's SimHash and link it with the story it copies (or that copies it).
    Runs in the transaction that stores the article."""
    article.simhash = simhash_value
    session.add(article)
    session.flush()
    match = _find_match(session, article)
    if match is None:
        if article.duplicate_of is not None and article.content_hash:
            article.duplicate_of = None  # a new version that no longer copies anything
            session.add(article)
        return
    other = _root(session, match)
    if other.id == article.id:
        return
    copy, original = copy_and_original(article, other)
    copy.duplicate_of = original.id
    original.duplicate_of = None
    session.add_all([copy, original])
    # whatever pointed at the copy now points at the original: one level, never a chain
    session.execute(
        sa.update(Article).where(col(Article.duplicate_of) == copy.id)
        .values(duplicate_of=original.id)
    )
    session.flush()
