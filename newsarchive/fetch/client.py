"""The HTTP client: one place for limits, redirects, validators and the facts we archive.

``Fetcher.fetch`` follows redirects itself so that every hop is checked (scheme,
count, address) and recorded; it streams the body under a byte cap and the
whole request under a total deadline, not only httpx's per-phase timeouts.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from newsarchive.config import Settings
from newsarchive.errors import (
    BlockedURL,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    NotHTMLError,
    TooLargeError,
    TooManyRedirects,
)
from newsarchive.fetch.guard import AddressPolicy, GuardedBackend

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
             "application/rdf+xml", "application/x-gzip", "application/gzip",
             "application/octet-stream", "text/plain")
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
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _is_type(content_type: str | None, allowed: tuple[str, ...]) -> bool:
    if not content_type:
        return True  # sniffed later by the extractor; servers often omit it
    base = content_type.split(";", 1)[0].strip().lower()
    return base in allowed


class Fetcher:
    """An async HTTP client with the project's limits; use as ``async with Fetcher(settings)``."""

    def __init__(self, settings: Settings, *, resolver: Any = None) -> None:
        self.settings = settings
        self.policy = AddressPolicy(
            allow_private=settings.allow_private_networks,
            allowlist=settings.private_network_allowlist,
        )
        self._resolver = resolver
        self._client: httpx.AsyncClient | None = None

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
            headers={"User-Agent": s.user_agent, "Accept-Language": "*"},
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        self._client = self._make_client()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    async def fetch(
        self,
        url: str,
        *,
        kind: str = "html",
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url``; ``kind`` is 'html' (pages), 'xml' (feeds, sitemaps) or 'any' (robots)."""
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await self._fetch(url, kind, etag, last_modified, max_bytes)
        except TimeoutError as exc:
            raise FetchTimeout(
                f"no complete answer from {url} within {self.settings.total_timeout:g} s",
                url=url,
            ) from exc

    async def _fetch(
        self, url: str, kind: str, etag: str | None, last_modified: str | None,
        max_bytes: int | None,
    ) -> FetchResult:
        cap = max_bytes or self.settings.max_page_bytes
        headers: dict[str, str] = {}
        if kind == "html":
            headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[tuple[int, str]] = []
        current = url
        started = time.monotonic()
        for _hop in range(self.settings.max_redirects + 1):
            _check_scheme(current)
            request = self.client.build_request("GET", current, headers=headers)
            try:
                response = await self.client.send(request, stream=True)
            except FetchError:
                raise
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"timed out fetching {current}: {type(exc).__name__}",
                                   url=url) from exc
            except httpx.HTTPError as exc:
                raise NetworkError(f"cannot fetch {current}: {exc or type(exc).__name__}",
                                   url=url) from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    nxt = urljoin(current, location.strip())
                    redirects.append((response.status_code, nxt))
                    current = nxt
                    continue
                return await self._read(url, current, request, response, kind, cap, redirects,
                                        started)
            finally:
                await response.aclose()
        raise TooManyRedirects(
            f"more than {self.settings.max_redirects} redirects from {url}", url=url
        )

    async def _read(
        self, url: str, final_url: str, request: httpx.Request, response: httpx.Response,
        kind: str, cap: int, redirects: list[tuple[int, str]], started: float,
    ) -> FetchResult:
        status = response.status_code
        if status >= 400:
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
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise TooLargeError(f"{final_url} declares {int(declared):,} bytes, over the "
                                f"limit of {cap:,}", url=url)
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise TooLargeError(f"{final_url} is larger than the limit of {cap:,} bytes",
                                        url=url)
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out reading {final_url}", url=url) from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"error reading {final_url}: {exc or type(exc).__name__}",
                               url=url) from exc
        ip = None
        stream = response.extensions.get("network_stream")
        if stream is not None:
            addr = stream.get_extra_info("server_addr")
            if addr:
                ip = str(addr[0])
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            headers=[(k, v) for k, v in response.headers.multi_items()],
            body=b"".join(chunks),
            fetched_at=datetime.now(UTC),
            content_type=content_type,
            redirects=redirects,
            request_headers=[(k, v) for k, v in request.headers.multi_items()],
            ip_address=ip,
            elapsed=time.monotonic() - started,
        )


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"refused: {url!r} is not an http(s) URL", url=url)
