"""Article links on a page: told apart from sections, tags, authors, pagination and
off-site links by general URL and DOM cues, not per-site rules."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsarchive.discover.candidates import Candidate
from newsarchive.discover.urls import InvalidURL, canonicalize, same_site

#: path segments that name a listing, not an article
NON_ARTICLE_SEGMENTS = re.compile(
    r"^(tag|tags|topic|topics|category|categories|section|sections|author|authors|"
    r"page|search|login|signin|signup|register|subscribe|account|about|contact|privacy|"
    r"terms|cookies|feed|rss|sitemap|archive|archives|wp-admin|wp-login\.php|cart|shop|"
    r"newsletter|newsletters|help|faq|advertise|careers|jobs|video|videos|gallery|"
    r"galleries|podcast|podcasts|live|weather|comments|user|users|profile|static|assets)$",
    re.I,
)
FILE_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|avi|mov|css|js|xml|json|rss|ico|woff2?)$", re.I
)
DATE_IN_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)|/(19|20)\d\d(0[1-9]|1[0-2])\d\d")
#: a slug of several words joined by hyphens or underscores is the commonest article cue
SLUG = re.compile(r"[a-z0-9\u00c0-\uffff]+(?:[-_][a-z0-9\u00c0-\uffff]+){2,}", re.I)
LONG_ID = re.compile(r"\d{5,}")


def looks_like_article_url(url: str) -> bool:
    """Does this URL's shape say 'article'? (dates, long slugs, long numeric ids)."""
    parts = urlsplit(url)
    path = parts.path
    if FILE_EXTENSIONS.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    if any(NON_ARTICLE_SEGMENTS.match(s) for s in segments[:-1]) or NON_ARTICLE_SEGMENTS.match(
        segments[-1]
    ):
        return False
    if re.fullmatch(r"\d{1,3}", segments[-1]) and len(segments) > 1 and segments[-2] == "page":
        return False
    last = segments[-1]
    last = re.sub(r"\.(html?|php|aspx?|shtml)$", "", last, flags=re.I)
    if DATE_IN_PATH.search(path) and len(last) >= 4:
        return True
    if SLUG.search(last) and len(last) >= 16:
        return True
    return bool(LONG_ID.search(last)) and len(segments) >= 2


def _links(html: str, base_url: str) -> list[tuple[str, str]]:
    """(canonical URL, anchor text) of same-site links that look like articles."""
    tree = HTMLParser(html)
    base = base_url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(base_url, base_tag.attributes.get("href") or "")
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        rel = (node.attributes.get("rel") or "").lower()
        if "nofollow" in rel and "author" in rel:
            continue
        try:
            url = canonicalize(urljoin(base, href))
        except (InvalidURL, ValueError):
            continue
        if url in seen or not same_site(url, base_url):
            continue
        seen.add(url)
        if looks_like_article_url(url):
            out.append((url, " ".join(node.text(separator=" ").split())))
    return out


def article_links(html: str, base_url: str) -> list[str]:
    """Canonical same-site links on the page that look like articles, in page order."""
    return [url for url, _text in _links(html, base_url)]


def page_candidates(html: str, base_url: str) -> list[Candidate]:
    """The page's article links as candidates, their anchor text as title."""
    return [Candidate(url=url, title=text or None, source="page")
            for url, text in _links(html, base_url)]
