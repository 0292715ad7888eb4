"""Feeds: RSS 0.9x/1.0/2.0 and Atom entries -> candidates; <link rel=alternate> discovery.

Pure functions: bytes in, candidates out. feedparser copes with the broken feeds found in
the wild; what it must not see (entity declarations, external DTDs) is removed or
refused first (xmlsafety.py).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from selectolax.lexbor import LexborHTMLParser

from newsarchive.discover.candidates import Candidate
from newsarchive.discover.urls import InvalidURL, canonicalize
from newsarchive.discover.xmlsafety import strip_doctype
from newsarchive.errors import DiscoveryError, UnsafeXML

#: entries read from one feed; real feeds carry tens, a larger one is a dump or an attack
MAX_FEED_ENTRIES = 5000
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)


def _when(entry: Any, *keys: str) -> datetime | None:
    for key in keys:
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_link(entry: Any, base_url: str) -> str | None:
    link = entry.get("link")
    if not link:
        for alt in entry.get("links") or []:
            if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                link = alt["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if entry.get("guidislink") or guid.startswith(("http://", "https://")):
            link = guid
    if not link:
        return None
    try:
        return canonicalize(urljoin(base_url, str(link).strip()))
    except (InvalidURL, ValueError):
        return None


#: an HTML page says so in its first bytes (doctype or <html>, after comments and blanks)
HTML_SNIFF_BYTES = 1024
_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]", re.I)


def parse_feed(body: bytes, base_url: str) -> list[Candidate]:
    """The entries of an RSS or Atom feed as candidates, in feed order, deduplicated.

    Raises UnsafeXML for a feed declaring entities, DiscoveryError for a body that is no feed.
    """
    safe = strip_doctype(body)
    parsed = feedparser.parse(
        safe, response_headers={"content-location": base_url},
        resolve_relative_uris=False, sanitize_html=False,
    )
    if not parsed.entries and parsed.get("bozo") and not parsed.get("version"):
        if _HTML_START.search(safe[:HTML_SNIFF_BYTES]):  # the usual mistake: a page's URL
            raise DiscoveryError("not a feed but an HTML page (the kinds auto and page read "
                                 "pages; auto also finds the feeds a page announces)")
        exc = parsed.get("bozo_exception")
        raise DiscoveryError(f"not a feed: {exc or 'unreadable'}")
    out: list[Candidate] = []
    seen: set[str] = set()
    for entry in parsed.entries[:MAX_FEED_ENTRIES]:
        url = _entry_link(entry, base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        title = (entry.get("title") or "").strip() or None
        out.append(Candidate(
            url=url,
            title=title,
            published_at=_when(entry, "published", "created", "updated"),
            lastmod=_when(entry, "updated"),
            source="feed",
        ))
    return out


def find_feed_links(html: str, base_url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml"> (or Atom),
    absolute, in page order."""
    tree = LexborHTMLParser(html)
    base = base_url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(base_url, base_tag.attributes.get("href") or "")
    out: list[str] = []
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        href = (node.attributes.get("href") or "").strip()
        try:
            url = canonicalize(urljoin(base, href))
        except (InvalidURL, ValueError):
            continue
        if url not in out:
            out.append(url)
    return out


__all__ = ["FEED_TYPES", "DiscoveryError", "UnsafeXML", "find_feed_links", "parse_feed"]
