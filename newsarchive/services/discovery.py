"""Discover a source: fetch its feed, sitemaps or page and list the candidate articles.

One use case for the crawl service, the CLI and the scheduler alike. The source URL
itself must be fetchable (its FetchError is raised); anything found beyond it (a feed
the page announces, a sitemap robots.txt names, a child of a sitemap index) may be
broken without stopping discovery: its error is recorded and the rest goes on.

``validators`` maps each listing URL fetched to what its last answer said
(``{"etag", "last_modified"}``, and ``"lastmod"`` for sitemaps named by an index), so a
feed that has not changed answers 304 and a sitemap whose index lastmod has not moved
is not fetched again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urljoin

from newsarchive.discover.candidates import Candidate
from newsarchive.discover.feeds import find_feed_links, parse_feed
from newsarchive.discover.links import page_candidates
from newsarchive.discover.sitemaps import MAX_SITEMAP_BYTES, Sitemap, parse_sitemap
from newsarchive.discover.urls import InvalidURL, canonicalize
from newsarchive.errors import DiscoveryError, FetchError
from newsarchive.extract.core import decode_html
from newsarchive.fetch.client import Fetcher, FetchResult

log = logging.getLogger(__name__)

KINDS = ("auto", "feed", "sitemap", "page")
#: feeds a page may announce that we read (sites list a main feed, then comments, tags...)
MAX_FEEDS = 3
#: levels of sitemap indexes followed (index -> index -> urlset is already unusual)
MAX_SITEMAP_DEPTH = 3
#: sitemap files fetched in one pass; the newest children (by lastmod) come first
MAX_SITEMAP_FILES = 25
#: candidates kept from one pass (the protocol's bound for one sitemap file)
MAX_CANDIDATES = 50_000


@dataclass
class Discovery:
    """What one discovery pass found."""

    candidates: list[Candidate] = field(default_factory=list)
    #: updated validators to store on the Source (see module docstring)
    validators: dict[str, Any] = field(default_factory=dict)
    #: what was found: {"kind": ..., "feeds": [...], "sitemaps": [...], "final_url": ...}
    resolved: dict[str, Any] = field(default_factory=dict)
    #: readable errors about listings that could not be used
    errors: list[str] = field(default_factory=list)
    #: every listing answered 304 (or an unchanged lastmod): nothing new to queue
    not_modified: bool = False


class _Pass:
    def __init__(self, fetcher: Fetcher, validators: dict[str, Any]) -> None:
        self.fetcher = fetcher
        self.old = validators
        self.out = Discovery(validators=dict(validators))
        self._seen: set[str] = set()
        #: answers already in hand (auto's first fetch), used instead of asking again
        self.prefetched: dict[str, FetchResult] = {}

    def add(self, candidates: list[Candidate]) -> int:
        added = 0
        for cand in candidates:
            if cand.url in self._seen or len(self.out.candidates) >= MAX_CANDIDATES:
                continue
            self._seen.add(cand.url)
            self.out.candidates.append(cand)
            added += 1
        return added

    def error(self, what: str, url: str, exc: Exception) -> None:
        self.out.errors.append(f"{what} {url}: {exc}")
        log.info("discovery: %s %s: %s", what, url, exc)

    def unreadable(self, what: str, url: str, exc: DiscoveryError) -> None:
        """A body that is no feed or sitemap: recorded, and its validators dropped, or the
        next pass's 304 would report the source fine with nothing found."""
        self.error(what, url, exc)
        self.out.validators.pop(url, None)

    async def get(self, url: str, kind: str, *, max_bytes: int | None = None) -> FetchResult:
        """A conditional GET with the validators stored for ``url``; records the new ones."""
        old = self.old.get(url) or {}
        result = self.prefetched.pop(url, None) or await self.fetcher.fetch(
            url, kind=kind, etag=old.get("etag"), last_modified=old.get("last_modified"),
            max_bytes=max_bytes,
        )
        if not result.not_modified:
            fresh = {k: v for k, v in (("etag", result.header("etag")),
                                       ("last_modified", result.header("last-modified"))) if v}
            keep = {k: v for k, v in old.items() if k == "lastmod"}
            self.out.validators[url] = {**keep, **fresh}
        return result

    # -- feeds ---------------------------------------------------------------------------

    async def feed(self, url: str, *, primary: bool = False) -> bool | None:
        """Read one feed: True if it listed entries, None if unchanged (304), else False."""
        try:
            result = await self.get(url, "xml")
        except FetchError as exc:
            if primary:
                raise
            self.error("feed", url, exc)
            return False
        if result.not_modified:
            return None
        try:
            found = parse_feed(result.body, result.final_url)
        except DiscoveryError as exc:
            self.unreadable("feed", url, exc)
            return False
        self.add(found)
        return bool(found)

    async def feeds(self, urls: list[str]) -> list[bool | None]:
        return [await self.feed(u) for u in urls[:MAX_FEEDS]]

    # -- sitemaps ------------------------------------------------------------------------

    async def sitemaps(self, roots: list[str], *, primary: bool = False) -> list[bool | None]:
        """Walk sitemaps breadth first, depth- and count-bounded; a self- or cross-reference
        is visited once. Returns per root file: True (listed URLs or children), None (304),
        False (failed)."""
        visited: set[str] = set()
        level: list[tuple[str, datetime | None]] = [(u, None) for u in roots]
        outcomes: list[bool | None] = []
        files = 0
        for depth in range(MAX_SITEMAP_DEPTH + 1):
            nxt: list[tuple[str, datetime | None]] = []
            for url, lastmod in level:
                if url in visited:
                    continue
                if files >= MAX_SITEMAP_FILES or len(self.out.candidates) >= MAX_CANDIDATES:
                    self.out.errors.append(
                        f"sitemap {url}: skipped, this pass already read {files} sitemap files"
                    )
                    return outcomes
                visited.add(url)
                if lastmod is not None and self._unchanged(url, lastmod):
                    continue
                files += 1
                parsed = await self._one_sitemap(url, primary=primary and depth == 0)
                if depth == 0:
                    outcomes.append(None if parsed is None else bool(parsed))
                if parsed is None or parsed is False:
                    continue
                if lastmod is not None:
                    self.out.validators.setdefault(url, {})["lastmod"] = lastmod.isoformat()
                self.add(parsed.urls)
                if parsed.truncated:
                    self.out.errors.append(f"sitemap {url}: cut at the protocol's bounds")
                if depth == MAX_SITEMAP_DEPTH and parsed.children:
                    self.out.errors.append(
                        f"sitemap {url}: index nested deeper than {MAX_SITEMAP_DEPTH} levels "
                        "not followed")
                    continue
                nxt.extend(_newest_first(parsed))
            level = nxt
            if not level:
                break
        return outcomes

    def _unchanged(self, url: str, lastmod: datetime) -> bool:
        stored = (self.old.get(url) or {}).get("lastmod")
        return stored is not None and stored == lastmod.isoformat()

    async def _one_sitemap(self, url: str, *, primary: bool) -> Sitemap | Literal[False] | None:
        """The parsed file, None when unchanged (304), False when it failed (recorded)."""
        try:
            result = await self.get(url, "xml", max_bytes=MAX_SITEMAP_BYTES)
        except FetchError as exc:
            if primary:
                raise
            self.error("sitemap", url, exc)
            return False
        if result.not_modified:
            return None
        try:
            return parse_sitemap(result.body, result.final_url)
        except DiscoveryError as exc:
            self.unreadable("sitemap", url, exc)
            return False

    # -- pages ---------------------------------------------------------------------------

    async def page(self, url: str) -> FetchResult:
        result = await self.fetcher.fetch(url, kind="html")
        self.out.resolved["final_url"] = result.final_url
        return result

    def page_links(self, result: FetchResult, html: str) -> None:
        self.add(page_candidates(html, result.final_url))


def _newest_first(parsed: Sitemap) -> list[tuple[str, datetime | None]]:
    """Children of an index, newest lastmod first (the news is in the newest files)."""
    dated = [(u, parsed.child_lastmod.get(u)) for u in parsed.children]
    return sorted(dated, key=lambda item: (item[1] is None, -(item[1].timestamp())
                                           if item[1] else 0))


def _sniff(result: FetchResult) -> str:
    """'feed', 'sitemap' or 'page' from what came back (auto sources may be any of them)."""
    ctype = (result.content_type or "").split(";", 1)[0].strip().lower()
    head = result.body[:2048].lstrip().lower()
    if result.body.startswith(b"\x1f\x8b"):
        return "sitemap"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head or ctype in (
        "application/rss+xml", "application/atom+xml", "application/rdf+xml"
    ):
        return "feed"
    return "page"


async def discover_source(
    *, fetcher: Fetcher, url: str, kind: str = "auto", validators: dict[str, Any] | None = None,
) -> Discovery:
    """Candidates of one source according to ``kind`` (auto, feed, sitemap, page).

    Raises the FetchError of ``url`` itself when it cannot be fetched, DiscoveryError for an
    unknown kind; every other failure is recorded in ``Discovery.errors``.
    """
    if kind not in KINDS:
        raise DiscoveryError(f"unknown source kind {kind!r} (one of {', '.join(KINDS)})")
    run = _Pass(fetcher, validators or {})
    out = run.out
    if kind == "feed":
        outcome = await run.feed(url, primary=True)
        out.resolved.update(kind="feed", feeds=[url])
        out.not_modified = outcome is None
    elif kind == "sitemap":
        outcomes = await run.sitemaps([url], primary=True)
        out.resolved.update(kind="sitemap", sitemaps=[url])
        out.not_modified = outcomes == [None]
    elif kind == "page":
        result = await run.page(url)
        run.page_links(result, decode_html(result.body, result.content_type))
        out.resolved.update(kind="page")
    else:
        await _auto(run, url)
    return out


async def _auto(run: _Pass, url: str) -> None:
    """Feed autodiscovery, then sitemaps (robots.txt Sitemap lines, else /sitemap.xml),
    then the page's own links."""
    out = run.out
    result = await run.fetcher.fetch(url, kind="any")
    out.resolved["final_url"] = result.final_url
    sniffed = _sniff(result)
    if sniffed != "page":
        # the source URL is itself a feed or a sitemap: read the answer in hand as one
        out.resolved["kind"] = sniffed
        run.prefetched[url] = result
        if sniffed == "feed":
            out.resolved["feeds"] = [url]
            out.not_modified = await run.feed(url, primary=True) is None
        else:
            out.resolved["sitemaps"] = [url]
            out.not_modified = await run.sitemaps([url], primary=True) == [None]
        return
    html = decode_html(result.body, result.content_type)
    feeds = find_feed_links(html, result.final_url)
    out.resolved["feeds"] = feeds[:MAX_FEEDS]
    if feeds:
        outcomes = await run.feeds(feeds)
        if any(outcomes) or (outcomes and all(o is None for o in outcomes)):
            out.resolved["kind"] = "feed"
            out.not_modified = all(o is None for o in outcomes)
            return
    sitemaps = await _sitemap_roots(run, result.final_url)
    out.resolved["sitemaps"] = sitemaps
    if sitemaps:
        outcomes = await run.sitemaps(sitemaps)
        if run.out.candidates or (outcomes and all(o is None for o in outcomes)):
            out.resolved["kind"] = "sitemap"
            out.not_modified = not run.out.candidates
            return
    out.resolved["kind"] = "page"
    run.page_links(result, html)


async def _sitemap_roots(run: _Pass, page_url: str) -> list[str]:
    try:
        rules = await run.fetcher.robots_rules(page_url)
    except FetchError as exc:
        run.error("robots.txt of", page_url, exc)
        return []
    if rules.sitemaps:
        return list(rules.sitemaps)
    try:
        return [canonicalize(urljoin(page_url, "/sitemap.xml"))]
    except InvalidURL:
        return []
