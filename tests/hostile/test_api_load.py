"""Load: 200 concurrent API clients for 30 s on 127.0.0.1 while a crawl runs; no errors,
p99 reported. A soak test: skipped unless asked for with ``pytest -m soak``."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.api.helpers import add_article
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite

CLIENTS = 200
SECONDS = 30
#: pages of the crawled site and the host delay: together longer than the load window, so
#: the crawl runs from its first second to its last
CRAWL_PAGES = 400
CRAWL_DELAY = 0.1
PATHS = ["/api/articles", "/api/articles?q=river", "/api/articles?q=river&sort=relevance",
         "/api/articles/1", "/api/sources", "/api/crawls", "/api/stats"]


ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import uvicorn
from newsarchive.web.app import create_app
from tests.conftest import make_settings
uvicorn.run(create_app(make_settings({url!r}, host_delay={delay})), host="127.0.0.1", port={port},
            log_level="warning", access_log=False, timeout_keep_alive=30)
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.soak
def test_200_clients_for_30_seconds_during_a_crawl(request: pytest.FixtureRequest,
                                                   tmp_path: Path, site: LocalSite) -> None:
    if "soak" not in (request.config.getoption("-m") or ""):
        pytest.skip("soak test: run with -m soak")
    url = f"sqlite:///{tmp_path / 'load.db'}"
    upgrade(url)
    db = Database(url)
    for n in range(1, 301):
        add_article(db, n, f"River story {n}", " ".join(lorem_paragraphs(n, 4)))
    links = "".join(f'<a href="/2024/06/{n:03d}/crawl-story-{n}/">Crawl {n}</a>'
                    for n in range(1, CRAWL_PAGES + 1))
    site.add("/news/", f"<html><body>{links}</body></html>")
    for n in range(1, CRAWL_PAGES + 1):
        site.add(f"/2024/06/{n:03d}/crawl-story-{n}/",
                 publisher_page(f"Crawl {n}", lorem_paragraphs(n)))
    port = _port()
    # The server runs in its own process: a client in the same process would share its GIL.
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(url=url, port=port, delay=CRAWL_DELAY)],
                              cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    latencies: list[float] = []
    errors: list[str] = []
    crawl_at_end: dict[str, object] = {}

    async def load() -> None:
        # the client drops idle connections (5 s) before the server does (30 s): no race
        # on a connection the server is closing
        limits = httpx.Limits(max_connections=CLIENTS, keepalive_expiry=5)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            source = (await client.post("/api/sources", json={"url": site.url("/news/"),
                                                              "kind": "page"})).json()
            crawl = await client.post(f"/api/sources/{source['id']}/crawl")
            assert crawl.status_code == 202
            stop = time.monotonic() + SECONDS

            async def one(n: int) -> None:
                i = n
                while time.monotonic() < stop:
                    t0 = time.perf_counter()
                    response = await client.get(PATHS[i % len(PATHS)])
                    latencies.append(time.perf_counter() - t0)
                    if response.status_code != 200:
                        errors.append(f"{PATHS[i % len(PATHS)]}: {response.status_code}")
                    i += 1

            await asyncio.gather(*(one(n) for n in range(CLIENTS)))
            runs = (await client.get("/api/crawls")).json()["items"]
            crawl_at_end.update(runs[0] if runs else {})
            crawl_at_end["articles"] = (await client.get("/api/stats")).json()["articles"]

    try:
        asyncio.run(load())
    finally:
        server.terminate()
        server.wait(10)
        db.dispose()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(f"\n{len(latencies)} requests in {SECONDS} s by {CLIENTS} clients: "
          f"{len(latencies) / SECONDS:.0f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
          f"{len(errors)} errors; the crawl at the end: {crawl_at_end.get('status')}, "
          f"{int(crawl_at_end.get('articles') or 0) - 300} pages archived by it")
    assert not errors, errors[:10]
    # the crawl ran under the load the whole time: still running, and it got work done
    assert crawl_at_end.get("status") == "running", crawl_at_end
    assert int(crawl_at_end["articles"]) > 300  # type: ignore[call-overload]
    assert len(latencies) > CLIENTS
