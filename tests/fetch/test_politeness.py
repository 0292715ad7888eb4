"""Politeness, measured on the server: robots.txt, delays, Crawl-delay, Retry-After, 304."""

from __future__ import annotations

import asyncio

import pytest

from newsarchive.errors import FetchTimeout, HostBackingOff, HTTPStatusError, RobotsDisallowed
from newsarchive.fetch.client import Fetcher
from tests.fetch.helpers import fetch_settings, gaps, local_site, run
from tests.sites import LocalSite, Reply

PAGE = "<html><body><p>hello</p></body></html>"


def test_robots_disallowed_path_is_never_requested(site: LocalSite) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/private/secret", PAGE)
    site.add("/public", PAGE)

    async def go() -> None:
        async with Fetcher(fetch_settings()) as fetcher:
            with pytest.raises(RobotsDisallowed, match="disallows"):
                await fetcher.fetch(site.url("/private/secret"))
            assert (await fetcher.fetch(site.url("/public"))).status == 200
            await fetcher.fetch(site.url("/public"))

    run(go())
    assert site.hits("/private/secret") == []
    assert len(site.hits("/public")) == 2
    assert len(site.hits("/robots.txt")) == 1, "robots.txt is cached per origin"


def test_robots_names_our_user_agent(site: LocalSite) -> None:
    site.add("/robots.txt", "User-agent: newsarchive\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
             content_type="text/plain")
    site.add("/a", PAGE)
    with pytest.raises(RobotsDisallowed):
        run(Fetcher(fetch_settings()).fetch(site.url("/a")))
    assert site.hits("/a") == []


def test_redirect_hop_disallowed_by_robots_is_not_requested(site: LocalSite) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /hidden\n", content_type="text/plain")
    site.add("/go", Reply(302, headers={"Location": "/hidden/page"}))
    site.add("/hidden/page", PAGE)
    with pytest.raises(RobotsDisallowed):
        run(Fetcher(fetch_settings()).fetch(site.url("/go")))
    assert site.hits("/hidden/page") == []


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_4xx_allows_everything(site: LocalSite, status: int) -> None:
    site.add("/robots.txt", Reply(status, "nope"))
    site.add("/a", PAGE)
    assert run(Fetcher(fetch_settings()).fetch(site.url("/a"))).status == 200


@pytest.mark.parametrize("status", [500, 503])
def test_robots_5xx_disallows_the_host_for_now(site: LocalSite, status: int) -> None:
    site.add("/robots.txt", Reply(status, "down"))
    site.add("/a", PAGE)
    with pytest.raises(RobotsDisallowed, match="unavailable") as info:
        run(Fetcher(fetch_settings()).fetch(site.url("/a")))
    assert info.value.retryable
    assert site.hits("/a") == []


def test_robots_timeout_disallows_the_host(site: LocalSite) -> None:
    site.add("/robots.txt", Reply(body="User-agent: *\nAllow: /\n", delay=3.0))
    site.add("/a", PAGE)
    with pytest.raises(FetchTimeout, match="robots.txt of .* is unreachable") as info:
        run(Fetcher(fetch_settings(read_timeout=0.5)).fetch(site.url("/a")))
    assert info.value.retryable
    assert site.hits("/a") == []


def test_robots_redirect_is_followed(site: LocalSite) -> None:
    site.add("/robots.txt", Reply(301, headers={"Location": "/real-robots.txt"}))
    site.add("/real-robots.txt", "User-agent: *\nDisallow: /no\n", content_type="text/plain")
    site.add("/no", PAGE)
    with pytest.raises(RobotsDisallowed):
        run(Fetcher(fetch_settings()).fetch(site.url("/no")))
    assert site.hits("/no") == []


def test_huge_robots_file_is_read_only_to_500_kib(site: LocalSite) -> None:
    # The rule sits past 500 KiB of comments: per RFC 9309 it is not read.
    filler = ("# " + "x" * 1000 + "\n") * 10_000  # ~10 MB
    site.add("/robots.txt", "User-agent: *\nDisallow: /early\n" + filler + "Disallow: /late\n",
             content_type="text/plain")
    site.add("/late", PAGE)
    site.add("/early", PAGE)

    async def go() -> None:
        async with Fetcher(fetch_settings()) as fetcher:
            assert (await fetcher.fetch(site.url("/late"))).status == 200
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(site.url("/early"))

    run(go())


def test_host_delay_spaces_requests_to_one_host(site: LocalSite) -> None:
    site.add("/robots.txt", Reply(404))
    for i in range(5):
        site.add(f"/p{i}", PAGE)
    delay = 0.3

    async def go() -> None:
        async with Fetcher(fetch_settings(host_delay=delay, host_concurrency=4)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(site.url(f"/p{i}")) for i in range(5)))

    run(go())
    times = sorted(r.at for r in site.requests)
    assert len(times) == 6
    assert min(gaps(times)) >= delay, gaps(times)


def test_crawl_delay_raises_the_host_delay(site: LocalSite) -> None:
    site.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")
    for i in range(3):
        site.add(f"/p{i}", PAGE)

    async def go() -> float | None:
        async with Fetcher(fetch_settings(host_delay=0.05)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(site.url(f"/p{i}")) for i in range(3)))
            return await fetcher.crawl_delay(site.url("/"))

    assert run(go()) == 0.4
    times = sorted(r.at for r in site.requests if r.path != "/robots.txt")
    assert min(gaps(times)) >= 0.4, gaps(times)


def test_other_hosts_keep_their_pace() -> None:
    """A slow Crawl-delay on one host does not hold back another."""
    with local_site("127.0.0.2") as slow, local_site("127.0.0.3") as fast:
        slow.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
        fast.add("/robots.txt", Reply(404))
        for i in range(3):
            slow.add(f"/p{i}", PAGE)
            fast.add(f"/p{i}", PAGE)

        async def go() -> None:
            async with Fetcher(fetch_settings()) as fetcher:
                await asyncio.gather(*(fetcher.fetch(slow.url(f"/p{i}")) for i in range(3)),
                                     *(fetcher.fetch(fast.url(f"/p{i}")) for i in range(3)))

        run(go())
        slow_times = sorted(r.at for r in slow.requests if r.path != "/robots.txt")
        fast_done = max(r.at for r in fast.requests)
        assert min(gaps(slow_times)) >= 1.0
        # all of the fast host's requests came before the slow host's last two
        assert fast_done < slow_times[1]


def test_per_host_concurrency_is_bounded(site: LocalSite) -> None:
    import threading

    active = 0
    peak = 0
    lock = threading.Lock()

    def slow(_req: object) -> Reply:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        import time

        time.sleep(0.2)
        with lock:
            active -= 1
        return Reply(body=PAGE)

    site.add("/robots.txt", Reply(404))
    for i in range(6):
        site.add(f"/p{i}", slow)

    async def go() -> None:
        async with Fetcher(fetch_settings(host_concurrency=2, concurrency=8)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(site.url(f"/p{i}")) for i in range(6)))

    run(go())
    assert peak == 2


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_raised_and_holds_back_the_host(site: LocalSite, status: int) -> None:
    site.add("/robots.txt", Reply(404))
    site.add("/busy", Reply(status, "slow down", headers={"Retry-After": "1"}))
    site.add("/next", PAGE)

    async def go() -> None:
        async with Fetcher(fetch_settings()) as fetcher:
            with pytest.raises(HTTPStatusError) as info:
                await fetcher.fetch(site.url("/busy"))
            assert info.value.status == status
            assert info.value.retry_after == 1.0
            assert info.value.retryable
            await fetcher.fetch(site.url("/next"))

    run(go())
    busy, nxt = site.hits("/busy")[0], site.hits("/next")[0]
    assert nxt.at - busy.at >= 1.0


def test_long_retry_after_fails_fast_without_a_request(site: LocalSite) -> None:
    site.add("/robots.txt", Reply(404))
    site.add("/busy", Reply(429, "slow down", headers={"Retry-After": "600"}))
    site.add("/next", PAGE)

    async def go() -> None:
        async with Fetcher(fetch_settings()) as fetcher:
            with pytest.raises(HTTPStatusError):
                await fetcher.fetch(site.url("/busy"))
            with pytest.raises(HostBackingOff) as info:
                await fetcher.fetch(site.url("/next"))
            assert info.value.retry_after is not None and info.value.retry_after > 590

    run(go())
    assert site.hits("/next") == []


def test_conditional_get_304(site: LocalSite) -> None:
    def feed(req: object) -> Reply:
        if getattr(req, "headers", {}).get("if-none-match") == '"v1"':
            return Reply(304, b"", content_type=None)
        return Reply(body="<rss/>", headers={"ETag": '"v1"'}, content_type="application/rss+xml")

    site.add("/robots.txt", Reply(404))
    site.add("/feed", feed)

    async def go() -> None:
        async with Fetcher(fetch_settings()) as fetcher:
            first = await fetcher.fetch(site.url("/feed"), kind="xml")
            assert first.header("etag") == '"v1"' and not first.not_modified
            second = await fetcher.fetch(site.url("/feed"), kind="xml", etag='"v1"')
            assert second.not_modified and second.body == b""

    run(go())
    assert site.hits("/feed")[1].headers["if-none-match"] == '"v1"'


def test_user_agent_is_sent(site: LocalSite) -> None:
    site.add("/robots.txt", Reply(404))
    site.add("/a", PAGE)
    run(Fetcher(fetch_settings(user_agent="newsarchive-test/1 (+https://example.org)"))
        .fetch(site.url("/a")))
    assert all(r.headers["user-agent"].startswith("newsarchive-test/1") for r in site.requests)
