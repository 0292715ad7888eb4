"""robots.txt: fetched once per origin, kept in memory for a while, obeyed on every request.

What a robots answer means (RFC 9309): a 4xx says "no rules", so everything is allowed;
a 5xx, a timeout or a network failure says "unreachable", so the whole host is treated
as disallowed for now and asked again after a short while. Redirects are followed (the
fetcher does that), and only the first ``ROBOTS_MAX_BYTES`` are read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

from newsarchive.errors import (
    BlockedURL,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    RobotsDisallowed,
)

#: RFC 9309 asks crawlers to parse at least 500 KiB; the rest of a larger file is ignored
ROBOTS_MAX_BYTES = 500 * 1024
#: how long good robots rules are trusted before being fetched again (RFC 9309: <= 24 h)
ROBOTS_TTL = 3600.0
#: how long an unreachable robots.txt keeps its host disallowed before we ask again
ROBOTS_ERROR_TTL = 120.0
#: a Crawl-delay above this is treated as this (a typo of 86400 must not stop a crawl)
MAX_CRAWL_DELAY = 60.0
#: origins remembered at once; the oldest are forgotten first
ROBOTS_CACHE_SIZE = 4096


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass
class RobotsRules:
    """What one origin's robots.txt says, or why it says nothing."""

    origin: str
    parser: Protego | None = None
    #: set when robots.txt could not be read (5xx, timeout): the host is disallowed for now
    unavailable: str | None = None
    expires: float = 0.0
    sitemaps: list[str] = field(default_factory=list)
    #: the network error or timeout that made robots.txt unavailable, if that was it
    cause: FetchError | None = None

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.unavailable is not None:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        if delay is None:
            rate = self.parser.request_rate(user_agent)
            if rate is not None and rate.requests:
                delay = rate.seconds / rate.requests
        if delay is None:
            return None
        return min(max(float(delay), 0.0), MAX_CRAWL_DELAY)

    def check(self, url: str, user_agent: str) -> None:
        """Raise RobotsDisallowed unless ``url`` may be fetched."""
        if isinstance(self.cause, NetworkError | FetchTimeout):
            # the host itself is unreachable: say so, rather than blame robots.txt
            raise type(self.cause)(
                f"cannot fetch {url}: robots.txt of {self.origin} is unreachable "
                f"({self.cause})", url=url,
            )
        if self.unavailable is not None:
            exc = RobotsDisallowed(
                f"refused for now: robots.txt of {self.origin} is unavailable "
                f"({self.unavailable}), so the host is not crawled until it answers",
                url=url,
            )
            exc.retryable = True
            raise exc
        if not self.allowed(url, user_agent):
            raise RobotsDisallowed(f"refused: robots.txt of {self.origin} disallows {url}",
                                   url=url)


def parse_robots(origin: str, body: bytes, *, now: float, ttl: float = ROBOTS_TTL) -> RobotsRules:
    """Rules from a robots.txt body (only the first ROBOTS_MAX_BYTES count)."""
    text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    parser = Protego.parse(text)
    base = origin + "/"
    sitemaps = [urljoin(base, s.strip()) for s in parser.sitemaps if s and s.strip()]
    return RobotsRules(origin=origin, parser=parser, expires=now + ttl, sitemaps=sitemaps)


#: fetches a robots.txt URL without consulting robots (the Fetcher provides it)
RobotsFetch = Callable[[str], Awaitable[tuple[int, bytes]]]


class RobotsCache:
    """Per-process cache of robots rules, one fetch at a time per origin."""

    def __init__(self, fetch: RobotsFetch, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        cached = self._rules.get(origin)
        if cached is not None and cached.expires > self._clock():
            return cached
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > self._clock():
                return cached
            rules = await self._load(origin)
            self._remember(rules)
            return rules

    def _remember(self, rules: RobotsRules) -> None:
        self._rules.pop(rules.origin, None)
        self._rules[rules.origin] = rules
        while len(self._rules) > ROBOTS_CACHE_SIZE:
            oldest = next(iter(self._rules))
            del self._rules[oldest]
            self._locks.pop(oldest, None)

    async def _load(self, origin: str) -> RobotsRules:
        now = self._clock()
        try:
            status, body = await self._fetch(origin + "/robots.txt")
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules(origin=origin, expires=now + ROBOTS_TTL)
            return RobotsRules(origin=origin, unavailable=f"HTTP {exc.status}",
                               expires=now + ROBOTS_ERROR_TTL)
        except BlockedURL:
            raise  # a private address or a bad scheme: the page fetch would be refused too
        except FetchError as exc:
            return RobotsRules(origin=origin, unavailable=exc.reason,
                               expires=now + ROBOTS_ERROR_TTL, cause=exc)
        if status >= 400:
            return RobotsRules(origin=origin, expires=now + ROBOTS_TTL)
        return parse_robots(origin, body, now=now)
