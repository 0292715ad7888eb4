"""429 storms and flapping 5xx hold their host back only; hostile HTML costs bounded time."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from newsarchive.discover.feeds import find_feed_links
from newsarchive.discover.links import page_candidates
from newsarchive.errors import HTTPStatusError
from newsarchive.fetch.client import Fetcher
from newsarchive.fetch.pool import ClientPool
from tests.fetch.helpers import fetch_settings, gaps, local_site, run
from tests.sites import LocalSite, Reply
from tests.sites import Request as SiteRequest

PAGE = "<html><body><p>fine</p></body></html>"


def test_429_storm_backs_off_while_another_host_keeps_its_pace() -> None:
    with local_site("127.0.0.2") as stormy, local_site("127.0.0.3") as calm:
        stormy.add("/robots.txt", Reply(404))
        calm.add("/robots.txt", Reply(404))
        for i in range(4):
            stormy.add(f"/s{i}", Reply(429, "busy", headers={"Retry-After": "1"}))
        for i in range(6):
            calm.add(f"/c{i}", PAGE)

        async def go() -> list[BaseException | object]:
            async with Fetcher(fetch_settings(host_delay=0.1)) as fetcher:
                return await asyncio.gather(
                    *(fetcher.fetch(stormy.url(f"/s{i}")) for i in range(4)),
                    *(fetcher.fetch(calm.url(f"/c{i}")) for i in range(6)),
                    return_exceptions=True,
                )

        results = run(go())
        assert all(isinstance(r, HTTPStatusError) and r.status == 429 for r in results[:4])
        assert all(not isinstance(r, BaseException) for r in results[4:])
        storm_times = sorted(r.at for r in stormy.requests if r.path != "/robots.txt")
        assert min(gaps(storm_times)) >= 1.0, gaps(storm_times)
        calm_times = sorted(r.at for r in calm.requests)
        # the calm host finished at its own pace, long before the storm was over
        assert max(calm_times) < storm_times[2]
        assert min(gaps(calm_times)) >= 0.1


def test_flapping_5xx_are_reported_retryable_and_the_host_recovers(site: LocalSite) -> None:
    flips = itertools.cycle([502, 200, 500, 200])

    def flapping(_req: SiteRequest) -> Reply:
        status = next(flips)
        return Reply(status, PAGE if status == 200 else "down")

    site.add("/robots.txt", Reply(404))
    site.add("/flap", flapping)

    async def go() -> list[object]:
        async with Fetcher(fetch_settings()) as fetcher:
            out: list[object] = []
            for _ in range(4):
                try:
                    out.append((await fetcher.fetch(site.url("/flap"))).status)
                except HTTPStatusError as exc:
                    assert exc.retryable and exc.retry_after is None
                    out.append(exc.status)
            return out

    assert run(go()) == [502, 200, 500, 200]


def test_idle_clients_are_closed() -> None:
    import httpx

    now = [0.0]
    pool = ClientPool(httpx.AsyncClient, idle_seconds=5, clock=lambda: now[0])

    async def go() -> None:
        async with pool.client("a.example") as a:
            async with pool.client("a.example") as again:
                assert again is a
        async with pool.client("b.example"):
            pass
        assert len(pool) == 2
        now[0] = 6.0
        assert await pool.sweep() == 2
        assert len(pool) == 0 and a.is_closed
        await pool.aclose()

    run(go())


@pytest.mark.parametrize("name, html", [
    ("deep nesting", "<div>" * 10_000 + '<a href="/2024/05/01/deep-story">Deep story link text</a>'
     + "</div>" * 10_000),
    ("10 MB attribute", '<a title="' + "x" * 10_000_000
     + '" href="/2024/05/01/big-attr-story">Big attribute story here</a>'),
    ("a million paragraphs", "<p>para</p>" * 1_000_000
     + '<h2><a href="/2024/05/01/million-para-story">Story after a million paragraphs</a></h2>'),
    ("NUL and control bytes", "\x00\x01<a hr\x00ef='/x'>\x07</a><h2><a href=\"/2024/05/01/nul-story\">"
     "Story with \x00 bytes around</a></h2>\x1b"),
    ("binary as text", bytes(range(256)).decode("latin-1") * 4000
     + '<h2><a href="/2024/05/01/binary-story">Story after binary noise</a></h2>'),
])
def test_hostile_html_for_link_discovery(name: str, html: str) -> None:
    # bounded time is pytest-timeout's job here; speed is not asserted
    found = page_candidates(html, "https://e.com/")
    assert find_feed_links(html, "https://e.com/") == []
    slug = {"deep nesting": "deep-story", "10 MB attribute": "big-attr-story",
            "a million paragraphs": "million-para-story", "NUL and control bytes": "nul-story",
            "binary as text": "binary-story"}[name]
    assert f"https://e.com/2024/05/01/{slug}" in [c.url for c in found]
