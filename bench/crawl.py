"""Crawl benchmark: pages per second end to end (discover, fetch, extract, store) against
the ceiling of extraction alone and a naive loop, on the same pages in the same run.

    .venv/bin/python bench/crawl.py [--pages 1200] [--workers 1,2,4] [--no-postgres]

A local site of ``--pages`` WordPress-like article pages and one sitemap, served by a
small asyncio HTTP/1.1 server (keep-alive) in its own process; host delay 0 for it.

Rows:
- extraction ceiling: ``extract_job`` (extract + SimHash) over the page bytes in a process
  pool of one process per core, nothing else; the bound of any crawl on this machine.
- naive loops: httpx get + trafilatura.extract, one page after the other; and the same
  loop with our ``extract()``, the fair baseline of the crawl's architecture (our
  extractor does more than trafilatura's text extraction: metadata, dates, authors,
  boilerplate, page type, and costs ~3.5x as much on these pages).
- SQLite, one process: ``crawl_source`` (discovery of the sitemap, frontier, async fetch,
  extraction pool, storage) with the pool warmed up first.
- PostgreSQL, N worker processes: ``newsarchive worker`` processes started and idle, then
  the source is made due; timed until its crawl run is closed.
Prints a Markdown table; the numbers in docs/benchmarks.md ("Crawl") come from it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from newsarchive.config import Settings  # noqa: E402
from newsarchive.extract import ExtractOptions  # noqa: E402
from newsarchive.models import CrawlRun  # noqa: E402
from newsarchive.services import sources as source_service  # noqa: E402
from newsarchive.services.crawl import crawl_source, default_pool_size, request_crawl  # noqa: E402
from newsarchive.services.extraction import ExtractPool, extract_job  # noqa: E402
from newsarchive.storage.db import Database  # noqa: E402
from newsarchive.storage.migrate import upgrade  # noqa: E402
from tests.pages import lorem_paragraphs, seed_page  # noqa: E402

PG_ADMIN = os.environ.get("NEWSARCHIVE_TEST_PG_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: the URL path of article i
PATH = "/news/2024/05/01/bench-story-number-{:05d}/"


def page(i: int) -> bytes:
    """A ~90 KB WordPress article page: the seed's template with a long menu, inline script
    and style, a comment thread and related posts, as real pages carry them."""
    nav = "".join(f'<li><a href="/section/{k}/topic-{k}">Section {k} news</a></li>'
                  for k in range(250))
    script = "<script>" + "var x=1;" * 4000 + "</script>"
    style = "<style>" + ".a{color:red}" * 2000 + "</style>"
    comments = "".join(f'<div class="comment"><p class="author">User {k}</p>'
                       f"<p>{lorem_paragraphs(i + k, 1)[0]}</p></div>" for k in range(25))
    html = seed_page(title=f"Bench story number {i} about the harbor",
                     paragraphs=lorem_paragraphs(i, n=14),
                     published="2024-05-01T08:00:00+00:00")
    html = html.replace("<body", f"<head>{script}{style}</head><body", 1)
    html = html.replace('<nav class="main-navigation"><ul>',
                        '<nav class="main-navigation"><ul>' + nav, 1)
    html = html.replace('<aside class="related-posts">',
                        f'<section class="comments">{comments}</section>'
                        '<aside class="related-posts">', 1)
    return html.encode()


# --- the fast local server ------------------------------------------------------------------

def serve(port_out: multiprocessing.connection.Connection, pages: int) -> None:
    """An asyncio HTTP/1.1 server with keep-alive; GET only; quick enough not to matter."""
    bodies = {PATH.format(i): page(i) for i in range(pages)}
    robots = b"User-agent: *\nAllow: /\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                if path == "/sitemap.xml":
                    body, ctype = sitemap, b"application/xml"
                elif path == "/robots.txt":
                    body, ctype = robots, b"text/plain"
                elif path in bodies:
                    body, ctype = bodies[path], b"text/html; charset=utf-8"
                else:
                    body, ctype = b"not found", b"text/plain"
                status = b"200 OK" if body != b"not found" else b"404 Not Found"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype
                             + b"\r\nContent-Length: " + str(len(body)).encode()
                             + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            writer.close()

    async def main() -> None:
        nonlocal sitemap
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                   'sitemap/0.9">' + "".join(f"<url><loc>{base}{p}</loc></url>"
                                             for p in bodies) + "</urlset>").encode()
        port_out.send(port)
        async with server:
            await server.serve_forever()

    sitemap = b""
    asyncio.run(main())


# --- the rows -------------------------------------------------------------------------------

def ceiling(pages: int) -> float:
    bodies = [page(i) for i in range(pages)]
    ctx = multiprocessing.get_context("forkserver")
    with concurrent.futures.ProcessPoolExecutor(default_pool_size(), mp_context=ctx) as pool:
        list(pool.map(extract_job, bodies[:4], ["http://x.test/"] * 4,
                      [ExtractOptions()] * 4))  # warm up
        began = time.perf_counter()
        out = list(pool.map(extract_job, bodies, [f"http://b.test{PATH.format(i)}"
                                                   for i in range(pages)],
                            [ExtractOptions()] * pages, chunksize=8))
        took = time.perf_counter() - began
    assert all(a.is_article for a, _ in out)
    return pages / took


def naive(base: str, pages: int, *, ours: bool = False) -> float:
    """One page after the other: httpx get, then trafilatura.extract (or our extract())."""
    import httpx
    import trafilatura

    from newsarchive.extract import extract

    began = time.perf_counter()
    with httpx.Client() as client:
        for i in range(pages):
            url = base + PATH.format(i)
            body = client.get(url).content
            if ours:
                assert extract(body, url, ExtractOptions()).is_article
            else:
                assert trafilatura.extract(body.decode())
    return pages / (time.perf_counter() - began)


def bench_settings(url: str) -> Settings:
    return Settings(database_url=url, allow_private_networks=True, host_delay=0.0,
                    host_concurrency=64, concurrency=16, lease_seconds=60)


def sqlite_one_process(base: str, pages: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = Database(url)
        settings = bench_settings(url)
        src = source_service.add_source(db=db, url=base + "/sitemap.xml", kind="sitemap")
        pool = ExtractPool(default_pool_size())

        async def main() -> CrawlRun:
            await asyncio.gather(*(pool.run(page(i), "http://x.test/", ExtractOptions())
                                   for i in range(4)))  # warm up the pool
            began = time.perf_counter()
            run = await crawl_source(db=db, settings=settings, source_id=src.id, pool=pool)
            main.took = time.perf_counter() - began  # type: ignore[attr-defined]
            return run

        try:
            run = asyncio.run(main())
        finally:
            pool.close()
            db.dispose()
        assert run.archived == pages, run
        return pages / main.took  # type: ignore[attr-defined]


def postgres_workers(base: str, pages: int, workers: int) -> float:
    name = f"na_bench_{os.getpid()}_{workers}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(url)
        db = Database(url)
        src = source_service.add_source(db=db, url=base + "/sitemap.xml", kind="sitemap",
                                        every="1d")
        with db.write() as s:  # not due until we say so
            s.execute(sa.text("UPDATE source SET next_due_at = NULL"))
        env = {**os.environ, "NEWSARCHIVE_DATABASE_URL": url,
               "NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS": "true", "NEWSARCHIVE_HOST_DELAY": "0",
               "NEWSARCHIVE_HOST_CONCURRENCY": "64", "NEWSARCHIVE_CONCURRENCY": "16",
               "NEWSARCHIVE_LOG_LEVEL": "WARNING"}
        for _ in range(workers):
            procs.append(subprocess.Popen([sys.executable, "-m", "newsarchive", "worker"],
                                          cwd=ROOT, env=env, stderr=subprocess.PIPE))
        for p in procs:  # wait until each says it started
            assert p.stderr is not None
            p.stderr.readline()
        time.sleep(1.0)
        began = time.perf_counter()
        request_crawl(db=db, source_id=src.id)
        while True:
            with db.read() as s:
                run = s.exec(sa.select(CrawlRun)).scalars().first()
                if run is not None and run.status == "done":
                    break
            time.sleep(0.05)
        took = time.perf_counter() - began
        assert run.archived == pages, run
        db.dispose()
        return pages / took
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    reader, writer = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("fork").Process(target=serve, args=(writer, args.pages),
                                                         daemon=True)
    server.start()
    base = f"http://127.0.0.1:{reader.recv()}"
    rows: list[tuple[str, float]] = []
    try:
        top = ceiling(args.pages)
        rows.append((f"extraction ceiling ({default_pool_size()} processes)", top))
        rows.append(("naive loop (httpx get + trafilatura.extract)", naive(base, args.pages)))
        rows.append(("naive loop (httpx get + newsarchive extract)",
                     naive(base, args.pages, ours=True)))
        rows.append(("SQLite, one process", sqlite_one_process(base, args.pages)))
        if not args.no_postgres:
            for n in (int(w) for w in args.workers.split(",")):
                rows.append((f"PostgreSQL, {n} worker process{'es' if n > 1 else ''}",
                             postgres_workers(base, args.pages, n)))
    finally:
        server.kill()
    naive_rate, naive_ours = rows[1][1], rows[2][1]
    print(f"{args.pages} pages of {len(page(0)) // 1024} KB, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| run | pages/s | of ceiling | vs naive trafilatura | vs naive, same extractor |")
    print("|---|---:|---:|---:|---:|")
    for label, rate in rows:
        print(f"| {label} | {rate:.1f} | {rate / top:.0%} | {rate / naive_rate:.2f}x "
              f"| {rate / naive_ours:.2f}x |")


if __name__ == "__main__":
    main()
