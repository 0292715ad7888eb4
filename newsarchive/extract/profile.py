"""Site profiles: text blocks that repeat across many pages of one site are its boilerplate.

Storage builds a profile from a source's recent captures with ``build_site_profile``
and passes it to ``extract`` (and ``reextract``) through ``ExtractOptions.profile``.
The profile is a set of block fingerprints: small, serialisable (``to_json``/``from_json``)
and free of any page text.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.text import words

#: blocks shorter than this are too common across unrelated sites ("Home", "Share") to learn
MIN_BLOCK_WORDS = 3
#: a block is the site's when it appears on at least this share of the sampled pages...
MIN_PAGE_SHARE = 0.5
#: ...and on at least this many distinct pages (two pages repeating is coincidence)
MIN_PAGES = 3
_BLOCKS = "p,li,h1,h2,h3,h4,h5,h6,blockquote,figcaption,td,dd,dt,div,section,span,a"


@dataclass(frozen=True)
class SiteProfile:
    """Fingerprints of blocks repeated across one site's pages."""

    fingerprints: frozenset[str] = field(default_factory=frozenset)
    pages: int = 0

    def __bool__(self) -> bool:
        return bool(self.fingerprints)

    def to_json(self) -> str:
        return json.dumps({"pages": self.pages, "fingerprints": sorted(self.fingerprints)})

    @classmethod
    def from_json(cls, data: str) -> SiteProfile:
        raw = json.loads(data)
        return cls(frozenset(raw.get("fingerprints", [])), int(raw.get("pages", 0)))


def fingerprint(text: str | None) -> str | None:
    """A short stable hash of a block's words, or None for blocks too short to learn."""
    tokens = words(text)
    if len(tokens) < MIN_BLOCK_WORDS:
        return None
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=8).hexdigest()


def as_profile(value: SiteProfile | frozenset[str] | set[str] | None) -> SiteProfile | None:
    """Accept a SiteProfile or a bare set of fingerprints (what older callers pass)."""
    if value is None or isinstance(value, SiteProfile):
        return value or None
    return SiteProfile(frozenset(value)) if value else None


def page_fingerprints(html: str) -> tuple[str, set[str]]:
    """(identity of the document, fingerprints of its leaf blocks)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script,style,noscript,template"):
        node.decompose()
    prints: set[str] = set()
    for node in tree.css(_BLOCKS):
        if node.tag in ("div", "section", "span", "a", "td") and node.css_first("p,div,li") is not None:
            continue
        fp = fingerprint(node.text(separator=" "))
        if fp:
            prints.add(fp)
    title = tree.css_first('meta[property="og:title"]')
    head = tree.css_first("h1") or tree.css_first("title")
    ident = (title.attributes.get("content") if title is not None else None) or (
        head.text() if head is not None else "")
    return (ident or "").strip().lower(), prints


def build_site_profile(pages: Iterable[str | bytes], min_share: float = MIN_PAGE_SHARE,
                       min_pages: int = MIN_PAGES) -> SiteProfile:
    """Learn a site's boilerplate from pages of that site (pure; never raises).

    Captures of the same article (same headline) count once, so an article
    archived many times does not teach the profile its own paragraphs.
    """
    from newsarchive.extract.decode import decode_html

    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for page in pages:
        try:
            ident, prints = page_fingerprints(decode_html(page))
        except Exception:  # noqa: BLE001  (one bad capture must not stop the profile)
            continue
        if not prints or (ident and ident in seen):
            continue
        seen.add(ident or str(len(seen)))
        counts.update(prints)
    n = len(seen)
    if n < min_pages:
        return SiteProfile(frozenset(), n)
    threshold = max(min_pages, min_share * n)
    return SiteProfile(frozenset(fp for fp, c in counts.items() if c >= threshold), n)
