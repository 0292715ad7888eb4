"""Is this page an article? Section fronts, tag, author and search pages and galleries are not.

Votes from independent cues, so that no single sloppy one (a theme that marks every
page og:type=article, a listing with a long intro) decides alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.jsonld import ARTICLE_TYPES, LISTING_TYPES
from newsarchive.extract.metadata import PageMeta

#: a body shorter than this is not an article (a caption, a teaser, an empty shell)
MIN_ARTICLE_WORDS = 40
#: a body this long is an article unless the page says loudly it is a listing
LONG_BODY_WORDS = 350
#: this many teaser blocks (heading + link) make a page a listing
MIN_TEASERS = 6
#: URL paths of listing pages: section, tag, author, search, pagination
_LISTING_PATH = re.compile(
    r"(?:^|/)(?:tag|tags|category|categories|topic|topics|author|authors|section|sections|"
    r"search|archive|archives|page|label|schlagwort|thema|themen|autor|categoria|etiqueta|"
    r"tema|rubrique|tegs|rubric)(?:/[^/]*){0,2}/?$", re.I)
_ARTICLE_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/|[-_][^/]*[-_][^/]*[-_][^/]*[-_]|\d{6,}|\.html?$|/(?:news|article|story|blog|post)s?/.+")


@dataclass
class PageVerdict:
    is_article: bool
    page_type: str
    reason: str | None
    score: float


def teaser_count(tree: LexborHTMLParser) -> int:
    """Headings that are links to other pages: the shape of a listing."""
    return len(tree.css("h2 a[href], h3 a[href], article h2, article h3"))


def classify(page: PageMeta, tree: LexborHTMLParser, url: str | None, words: int,
             has_date: bool, has_author: bool, teasers: int) -> PageVerdict:
    """The verdict and, for non-articles, a reason a person can read."""
    types = page.ld.types
    og_type = (page.meta.get("og:type") or "").lower()
    path = urlsplit(url or "").path if url else ""
    if words == 0:
        return PageVerdict(False, "empty", "no main text found", -9)
    score = 0.0
    score += 2.5 if types & ARTICLE_TYPES else 0
    score -= 2 if types & LISTING_TYPES and not types & ARTICLE_TYPES else 0
    score += 1.5 if og_type == "article" else (-0.5 if og_type in ("website", "product") else 0)
    score += 1 if has_date else -1
    score += 0.75 if has_author else 0
    score += 0.75 if _ARTICLE_PATH.search(path) else 0
    score -= 2.5 if _LISTING_PATH.search(path) else 0
    score -= 2 if path in ("", "/") else 0
    score += 1.5 if words >= LONG_BODY_WORDS else (0.5 if words >= 150 else -1)
    score -= 1.5 if teasers >= MIN_TEASERS and words < LONG_BODY_WORDS else 0
    if words < MIN_ARTICLE_WORDS:
        images = len(tree.css("img"))
        kind = "listing" if teasers >= MIN_TEASERS else "gallery" if images >= 5 else "stub"
        return PageVerdict(False, kind, f"too little text for an article ({words} words)", score)
    if score >= 1:
        return PageVerdict(True, "article", None, score)
    reason = "looks like a listing: " + ", ".join(
        r for r, on in (("listing URL", bool(_LISTING_PATH.search(path)) or path in ("", "/")),
                        ("many teasers", teasers >= MIN_TEASERS), ("no date", not has_date),
                        ("listing schema", bool(types & LISTING_TYPES))) if on) or "weak article cues"
    return PageVerdict(False, "listing", reason, score)
