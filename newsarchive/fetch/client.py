"""The HTTP client: one place for etiquette, limits, redirects, validators and the facts
we archive, so no caller can forget any of them.

``Fetcher.fetch`` follows redirects itself so that every hop is checked (scheme, loop,
count, address, robots.txt), spaced (per-host delay and Crawl-delay, per-host and global
concurrency, Retry-After backoff) and recorded. It decodes the body itself under the byte
cap on the decompressed size (see decoding.py), and bounds the whole request by a total
deadline, not only httpx's per-phase timeouts, so a server trickling a byte a second or
never answering is stopped.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from newsarchive.config import Settings
from newsarchive.errors import (
    BlockedURL,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    NotHTMLError,
    TooLargeError,
    TooManyRedirects,
)
from newsarchive.fetch.decoding import BoundedDecoder
from newsarchive.fetch.guard import AddressPolicy, GuardedBackend
from newsarchive.fetch.politeness import HostGate
from newsarchive.fetch.pool import ClientPool
from newsarchive.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules
from newsarchive.timeutil import aware_utc

T = TypeVar("T")

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
             "application/rdf+xml", "application/x-gzip", "application/gzip",
             "application/octet-stream", "text/plain")
XML_ACCEPT = ("application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
              "*/*;q=0.5")
#: we decode bodies ourselves, under the byte cap (decoding.py); these are the ones we can
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
#: an error page shorter than this is read before the connection is let go
ERROR_BODY_DRAIN = 64 * 1024
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
#: statuses whose Retry-After (or absence of one) holds back every request to the host
BACKOFF_STATUSES = (429, 503)
#: connections one client keeps; past ~8-16 a single httpx pool slows sharply (measured)
CONNECTIONS_PER_CLIENT = 8


@dataclass
class FetchResult:
    """One response as we archive it."""

    url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    content_type: str | None = None
    redirects: list[tuple[int, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    ip_address: str | None = None
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, aware_utc(when).timestamp() - (now if now is not None else time.time()))


def _is_type(content_type: str | None, allowed: tuple[str, ...]) -> bool:
    if not content_type:
        return True  # sniffed later by the extractor; servers often omit it
    base = content_type.split(";", 1)[0].strip().lower()
    return base in allowed


class Fetcher:
    """An async HTTP client with the project's etiquette and limits.

    Use as ``async with Fetcher(settings)``. ``resolver`` (``async (host, port) -> [ip]``)
    replaces DNS, for tests; ``clock`` the monotonic clock of the politeness gate.
    """

    def __init__(self, settings: Settings, *, resolver: Any = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.policy = AddressPolicy(
            allow_private=settings.allow_private_networks,
            allowlist=settings.private_network_allowlist,
        )
        self._resolver = resolver
        self.gate = HostGate(per_host=settings.host_concurrency, total=settings.concurrency,
                             clock=clock)
        self.robots = RobotsCache(self._fetch_robots, clock=clock)
        self.clients = ClientPool(self._make_client, clock=clock)

    def _make_client(self) -> httpx.AsyncClient:
        s = self.settings
        transport = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=CONNECTIONS_PER_CLIENT,
                                max_keepalive_connections=CONNECTIONS_PER_CLIENT),
            retries=0,
        )
        # The guard dials only addresses that pass the policy (see guard.py).
        transport._pool._network_backend = GuardedBackend(self.policy, self._resolver)
        return httpx.AsyncClient(
            transport=transport,
            headers={"User-Agent": s.user_agent, "Accept-Language": "*",
                     "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.clients.aclose()

    # -- robots.txt --------------------------------------------------------------------

    async def robots_rules(self, url: str) -> RobotsRules:
        """The robots rules of ``url``'s origin (fetched once, then cached)."""
        return await self.robots.rules_for(url)

    async def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay robots.txt of ``url``'s origin sets for our User-Agent, if any."""
        return (await self.robots_rules(url)).crawl_delay(self.settings.user_agent)

    async def host_delay(self, url: str) -> float:
        """Seconds kept between two requests to ``url``'s host: the setting or Crawl-delay."""
        return max(self.settings.host_delay, await self.crawl_delay(url) or 0.0)

    async def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        result = await self._request(url, kind="any", etag=None, last_modified=None,
                                     cap=ROBOTS_MAX_BYTES, robots=False)
        return result.status, result.body

    # -- requests ----------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        kind: str = "html",
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url``; ``kind`` is 'html' (pages), 'xml' (feeds, sitemaps) or 'any'.

        Raises a FetchError subclass: BlockedURL (scheme, PrivateAddressError,
        RobotsDisallowed), HTTPStatusError (with ``retry_after`` on 429/503; HostBackingOff
        when an earlier one still runs), NotHTMLError, TooLargeError, FetchTimeout,
        TooManyRedirects, NetworkError. A 304 is returned (``result.not_modified``).
        """
        return await self._request(url, kind=kind, etag=etag, last_modified=last_modified,
                                   cap=max_bytes or self.settings.max_page_bytes, robots=True)

    async def _request(
        self, url: str, *, kind: str, etag: str | None, last_modified: str | None, cap: int,
        robots: bool,
    ) -> FetchResult:
        headers: dict[str, str] = {}
        if kind == "html":
            headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        elif kind == "xml":
            headers["Accept"] = XML_ACCEPT
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[tuple[int, str]] = []
        seen: set[str] = set()
        current = url
        started = time.monotonic()
        budget = _Budget(self.settings.total_timeout)
        for _hop in range(self.settings.max_redirects + 1):
            _check_scheme(current, url)
            if current in seen:
                raise TooManyRedirects(f"redirect loop: {current} was already visited "
                                       f"while fetching {url}", url=url)
            seen.add(current)
            delay = self.settings.host_delay
            if robots:
                rules = await self.robots_rules(current)
                rules.check(current, self.settings.user_agent)
                delay = max(delay, rules.crawl_delay(self.settings.user_agent) or 0.0)
            host = (urlsplit(current).hostname or "").lower()
            async with self.gate.slot(host, delay, url=url), self.clients.client(host) as client:
                hop = await budget.run(
                    self._hop(client, url, current, headers, kind, cap, robots, redirects,
                              started, delay),
                    url,
                )
            if isinstance(hop, FetchResult):
                self.gate.record_success(host)
                return hop
            current = hop
        raise TooManyRedirects(
            f"more than {self.settings.max_redirects} redirects from {url}", url=url
        )

    async def _hop(
        self, client: httpx.AsyncClient, url: str, current: str, headers: dict[str, str],
        kind: str, cap: int, robots: bool, redirects: list[tuple[int, str]], started: float,
        delay: float,
    ) -> FetchResult | str:
        """One request: the result, or the next URL of a redirect."""
        try:
            request = client.build_request("GET", current, headers=headers)
        except (httpx.InvalidURL, UnicodeError) as exc:  # UnicodeError: a bad IDNA label
            raise _not_a_url(current, url, exc) from exc
        host = (urlsplit(current).hostname or "").lower()
        try:
            response = await client.send(request, stream=True)
        except httpx.InvalidURL as exc:
            # httpx parses a redirect's Location even when not following it
            raise BlockedURL(f"refused: {current} redirects to a location that is not a "
                             f"valid http(s) URL ({exc})", url=url) from exc
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out fetching {current}: {type(exc).__name__}",
                               url=url) from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"cannot fetch {current}: {exc or type(exc).__name__}",
                               url=url) from exc
        self.gate.answered(host, delay)
        try:
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                nxt = urljoin(current, response.headers.get("location", "").strip())
                redirects.append((response.status_code, nxt))
                await _drain(response)
                return nxt
            if response.status_code in BACKOFF_STATUSES:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                self.gate.record_backoff(host, response.status_code, retry_after)
            return await self._read(url, current, request, response, kind, cap, redirects,
                                    started, truncate=not robots)
        finally:
            await response.aclose()

    async def _read(
        self, url: str, final_url: str, request: httpx.Request, response: httpx.Response,
        kind: str, cap: int, redirects: list[tuple[int, str]], started: float,
        *, truncate: bool = False,
    ) -> FetchResult:
        status = response.status_code
        if status >= 400:
            await _drain(response)
            raise HTTPStatusError(
                f"{final_url} answered HTTP {status} {response.reason_phrase}".rstrip(),
                status=status, url=url,
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        content_type = response.headers.get("content-type")
        if status != 304:
            if kind == "html" and not _is_type(content_type, HTML_TYPES):
                raise NotHTMLError(f"{final_url} is {content_type}, not an HTML page", url=url)
            if kind == "xml" and not _is_type(content_type, HTML_TYPES + XML_TYPES):
                raise NotHTMLError(f"{final_url} is {content_type}, not XML", url=url)
        _peer_address(response)  # read while the connection is surely open
        body = b"" if status == 304 else await self._body(url, final_url, response, cap,
                                                            truncate=truncate)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            headers=[(k, v) for k, v in response.headers.multi_items()],
            body=body,
            fetched_at=datetime.now(UTC),
            content_type=content_type,
            redirects=redirects,
            request_headers=[(k, v) for k, v in request.headers.multi_items()],
            ip_address=_peer_address(response),
            elapsed=time.monotonic() - started,
        )

    async def _body(self, url: str, final_url: str, response: httpx.Response, cap: int,
                    *, truncate: bool) -> bytes:
        """The decoded body: more than ``cap`` bytes raises TooLargeError, or, when
        ``truncate`` (robots.txt, whose first bytes are all that count), is cut off."""
        declared = response.headers.get("content-length")
        if not truncate and declared and declared.isdigit() and int(declared) > cap:
            raise TooLargeError(f"{final_url} declares {int(declared):,} bytes, over the "
                                f"limit of {cap:,}", url=url)
        limit = max(cap, self.settings.max_page_bytes) if truncate else cap
        decoder = BoundedDecoder(response.headers.get("content-encoding"), limit, url=final_url)
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                piece = decoder.feed(raw)
                size += len(piece)
                chunks.append(piece)
                if truncate and size >= cap:
                    return b"".join(chunks)[:cap]
            chunks.append(decoder.finish())
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out reading {final_url}", url=url) from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"error reading {final_url}: {exc or type(exc).__name__}",
                               url=url) from exc
        return b"".join(chunks)


class _Budget:
    """The total deadline of one fetch, spent only while talking to servers (not while
    waiting for a politeness slot), across all its redirect hops."""

    def __init__(self, seconds: float) -> None:
        self.total = seconds
        self.left = seconds

    async def run(self, coro: Awaitable[T], url: str) -> T:
        began = time.monotonic()
        try:
            async with asyncio.timeout(max(self.left, 0.001)):
                return await coro
        except TimeoutError as exc:
            raise FetchTimeout(
                f"no complete answer from {url} within {self.total:g} s", url=url
            ) from exc
        finally:
            self.left -= time.monotonic() - began


async def _drain(response: httpx.Response) -> None:
    """Read a short error body to its end, so the connection closes (or is reused) cleanly
    instead of being cut while the server still writes; a long one is left unread."""
    read = 0
    try:
        async for raw in response.aiter_raw():
            read += len(raw)
            if read > ERROR_BODY_DRAIN:
                return
    except httpx.HTTPError:
        return


def _peer_address(response: httpx.Response) -> str | None:
    """The IP address the response came from (the one the guard let us dial)."""
    cached = response.extensions.get("newsarchive_peer")
    if cached is None:
        stream = response.extensions.get("network_stream")
        addr = stream.get_extra_info("server_addr") if stream is not None else None
        cached = str(addr[0]) if addr else ""
        response.extensions["newsarchive_peer"] = cached
    return cached or None


def _not_a_url(current: str, url: str, exc: Exception) -> BlockedURL:
    """The refusal of a URL that cannot be requested at all (``url`` is the one asked for)."""
    return BlockedURL(f"refused: {current[:200]!r} is not a valid URL ({exc})", url=url)


def _check_scheme(current: str, url: str) -> None:
    try:  # a port out of range or a bracketed host that is no IP: ValueError, not a fetch
        parts = urlsplit(current)
        _ = parts.port
    except ValueError as exc:
        raise _not_a_url(current, url, exc) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if current == url else f" (redirected from {url})"
        raise BlockedURL(f"refused: {current[:200]!r} is not an http(s) URL{where}", url=url)
