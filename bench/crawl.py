"""Crawl benchmark: pages per second end to end (discover, fetch, extract, store) against
the ceiling of extraction alone and a naive loop, on the same pages in the same run.

    .venv/bin/python bench/crawl.py [--pages 1200] [--workers 1,2,4] [--no-postgres]
                                    [--pageset both|real|synthetic]

Two page sets, each with every row below (``both``, the default when the WCXB data is
there; ``synthetic`` otherwise):
- real: the 793 article pages of the WCXB dev set (``$NEWSARCHIVE_WCXB`` or
  ../shared/data/wcxb-dev: html/NNNN.html.gz whose ground-truth/NNNN.json says
  ``page_type.primary == "article"``), read in place and cycled to ``--pages`` distinct URLs
  (page i serves file i mod 793, so the later ones are exact copies under new URLs). Real
  news pages cost trafilatura 40-60 ms, as the sites a crawler meets do.
- synthetic: ``--pages`` WordPress-like article pages of ~88 KB built from the seed template
  (a long menu, inline script and style, comments, related posts); cheap to extract (~7 ms),
  so the crawl's fixed per-page costs weigh far more than on real sites.
The site (those pages and one sitemap) is served by a small asyncio HTTP/1.1 server
(keep-alive) in its own process; host delay 0 for it.

Rows:
- extraction ceiling: ``extract_job`` (extract + SimHash) in a process pool of one process
  per core, each process holding the pages already (only an index goes in and a flag comes
  out: no pickling of pages or records), every process warmed up before the clock starts;
  the bound of any crawl on this machine. The pool's mean CPU per page is printed above
  the table.
- naive loops: httpx get + trafilatura.extract, one page after the other; and the same
  loop with our ``extract()``, the fair baseline of the crawl's architecture (our
  extractor does more than trafilatura's text extraction: metadata, dates, authors,
  boilerplate, page type).
- SQLite, one process: ``crawl_source`` (discovery of the sitemap, frontier, async fetch,
  extraction pool, storage) with the pool warmed up first, on the event loop
  ``newsarchive crawl`` runs on (``newsarchive.eventloop``: uvloop when installed).
- PostgreSQL, N worker processes: ``newsarchive worker`` processes started and idle, then
  the source is made due; timed until its crawl run is closed.
"crawl CPU/page" is the CPU time of the crawling process(es) themselves (event loop, HTTP
client, storage threads; not the extraction processes, not the server) per page: the
crawl's own cost, which a shared machine changes little. "total CPU/page" adds the
extraction processes (read from /proc: they are the fork server's children), i.e. all the
CPU a page costs (the ceiling's row: its pool, warm, handed an index; a naive loop's: the
loop itself); "total vs ceiling" (ceiling and crawl rows) is the ceiling's total over the
row's: what "of ceiling" would be with every core busy all the time, the figure least moved
by other load.
Prints a Markdown table; the numbers in docs/benchmarks.md ("Crawl") come from it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import gzip
import json
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

from newsarchive import eventloop  # noqa: E402
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
#: the WCXB dev set (read in place, never copied into the repository)
WCXB = Path(os.environ.get("NEWSARCHIVE_WCXB", ROOT.parent / "shared" / "data" / "wcxb-dev"))
PAGESETS = ("real", "synthetic")


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


def real_files(data: Path = WCXB) -> list[Path]:
    """The WCXB pages whose ground truth calls them articles, in file order."""
    files = []
    for truth in sorted((data / "ground-truth").glob("*.json")):
        raw = json.loads(truth.read_text(encoding="utf-8"))
        kind = (raw.get("page_type") or raw.get("_internal", {}).get("page_type") or {})
        if kind.get("primary") == "article":
            files.append(data / "html" / f"{truth.stem}.html.gz")
    return files


def bodies(pageset: str, pages: int) -> list[bytes]:
    """The bytes of pages 0..pages-1 of a page set (real pages cycle over the files)."""
    if pageset == "synthetic":
        return [page(i) for i in range(pages)]
    files = [gzip.decompress(f.read_bytes()) for f in real_files()]
    return [files[i % len(files)] for i in range(pages)]


# --- the fast local server ------------------------------------------------------------------

def serve(port_out: multiprocessing.connection.Connection, pageset: str, pages: int) -> None:
    """An asyncio HTTP/1.1 server with keep-alive; GET only; quick enough not to matter."""
    site = {PATH.format(i): body for i, body in enumerate(bodies(pageset, pages))}
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
                elif path in site:
                    body, ctype = site[path], b"text/html"
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
                                             for p in site) + "</urlset>").encode()
        port_out.send(port)
        async with server:
            await server.serve_forever()

    sitemap = b""
    asyncio.run(main())


# --- the rows -------------------------------------------------------------------------------

_POOL_PAGES: list[bytes] = []


def _hold_pages(pageset: str, pages: int) -> None:
    """Pool initializer: each ceiling process holds the pages itself and has extracted one
    (imports, models and caches loaded: a cold process costs seconds on its first page)."""
    _POOL_PAGES[:] = bodies(pageset, pages)
    _extract_one(0)


def _extract_one(i: int) -> tuple[bool, float]:
    """(is an article, CPU seconds) of extracting page i: what the crawl's pool does."""
    began = time.process_time()
    extracted, _simhash = extract_job(_POOL_PAGES[i], f"http://b.test{PATH.format(i)}",
                                      ExtractOptions())
    return extracted.is_article, time.process_time() - began


def ceiling(pageset: str, pages: int, *, server: int | None) -> tuple[float, float, float]:
    """(pages/s of extraction alone on every core, mean CPU seconds a page of the
    extraction itself, CPU seconds a page of the pool's processes and this one)."""
    size = default_pool_size()
    ctx = multiprocessing.get_context("forkserver")
    with concurrent.futures.ProcessPoolExecutor(size, mp_context=ctx, initializer=_hold_pages,
                                                initargs=(pageset, pages)) as pool:
        # every process up, its pages loaded and its extractor warm before the clock starts
        list(pool.map(_extract_one, range(4 * size), chunksize=1))
        began, own, total = time.perf_counter(), time.process_time(), _TreeCPU(os.getpid(), server)
        out = list(pool.map(_extract_one, range(pages), chunksize=4))
        took = time.perf_counter() - began
        spent = total.spent() + time.process_time() - own
    if pageset == "synthetic":
        assert all(is_article for is_article, _cpu in out)
    return pages / took, sum(cpu for _a, cpu in out) / pages, spent / pages


def naive(base: str, pages: int, *, ours: bool = False) -> tuple[float, float]:
    """One page after the other: httpx get, then trafilatura.extract (or our extract());
    (pages/s, CPU seconds a page)."""
    import httpx
    import trafilatura

    from newsarchive.extract import extract

    began, cpu = time.perf_counter(), time.process_time()
    with httpx.Client() as client:
        for i in range(pages):
            url = base + PATH.format(i)
            response = client.get(url)
            if ours:
                extract(response.content, url, ExtractOptions())
            else:
                trafilatura.extract(response.text)
    return pages / (time.perf_counter() - began), (time.process_time() - cpu) / pages


def _settled(run: CrawlRun, pages: int) -> None:
    """Every URL came to an end: stored, or refused (not an article by our page type vote;
    an extraction over its 30 s timeout on an overloaded machine), said on stderr."""
    assert run.archived + run.unchanged + run.failed == pages, run
    if run.failures:
        print(f"  failed URLs by reason: {run.failures}", file=sys.stderr, flush=True)


def bench_settings(url: str) -> Settings:
    return Settings(database_url=url, allow_private_networks=True, host_delay=0.0,
                    host_concurrency=64, concurrency=16, lease_seconds=60)


def sqlite_one_process(base: str, pages: int, *,
                       server: int | None) -> tuple[float, float, float]:
    """(pages/s, CPU seconds a page of the crawling process, of it and its extraction
    processes)."""
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
            began, cpu = time.perf_counter(), time.process_time()
            total = _TreeCPU(os.getpid(), server)
            run = await crawl_source(db=db, settings=settings, source_id=src.id, pool=pool)
            main.took = time.perf_counter() - began  # type: ignore[attr-defined]
            main.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
            main.total = main.cpu + total.spent()  # type: ignore[attr-defined]
            return run

        try:
            run = eventloop.run(main())
        finally:
            pool.close()
            db.dispose()
        _settled(run, pages)
        return (pages / main.took, main.cpu / pages,  # type: ignore[attr-defined]
                main.total / pages)  # type: ignore[attr-defined]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (not its children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(root: int, skip: int | None = None) -> dict[int, float]:
    """CPU seconds so far of every live process under ``root`` (not ``skip``'s branch):
    the extraction processes are children of a fork server, not of the crawler, so
    ``RUSAGE_CHILDREN`` never sees them."""
    parent_of: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent_of[int(entry)] = int(fields[1])
    found: dict[int, float] = {}
    stack = [pid for pid, parent in parent_of.items() if parent == root and pid != skip]
    while stack:
        pid = stack.pop()
        try:
            found[pid] = _cpu_seconds(pid)
        except OSError:
            continue
        stack += [p for p, parent in parent_of.items() if parent == pid]
    return found


class _TreeCPU:
    """CPU spent by the processes under ``root`` (the server's branch aside) from now on;
    a process that ends before ``spent`` is read takes its CPU with it."""

    def __init__(self, root: int, skip: int | None) -> None:
        self.root, self.skip = root, skip
        self.start = _descendants(root, skip)

    def spent(self) -> float:
        now = _descendants(self.root, self.skip)
        return sum(cpu - self.start.get(pid, 0.0) for pid, cpu in now.items())


def postgres_workers(base: str, pages: int, workers: int) -> tuple[float, float, float]:
    """(pages/s, CPU seconds a page of the worker processes, extraction pools aside; of the
    workers with their extraction pools)."""
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
        cpu = sum(_cpu_seconds(p.pid) for p in procs)
        totals = [_TreeCPU(p.pid, None) for p in procs]
        request_crawl(db=db, source_id=src.id)
        while True:
            with db.read() as s:
                run = s.exec(sa.select(CrawlRun)).scalars().first()
                if run is not None and run.status == "done":
                    break
            time.sleep(0.05)
        took = time.perf_counter() - began
        cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu
        total = cpu + sum(t.spent() for t in totals)
        _settled(run, pages)
        db.dispose()
        return pages / took, cpu / pages, total / pages
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


#: label, pages/s, crawl CPU seconds a page, total CPU seconds a page (crawl + extraction)
Row = tuple[str, float, float | None, float]


def measure(pageset: str, args: argparse.Namespace) -> tuple[list[Row], float]:
    """Every row on one page set, its own server running; and the pool's CPU a page."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(writer, pageset, args.pages), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{reader.recv()}"
    rows: list[Row] = []

    def done(row: Row) -> None:  # each row as soon as it is measured (a long run may break)
        rows.append(row)
        cpu = f", crawl CPU {row[2] * 1000:.1f} ms a page" if row[2] is not None else ""
        print(f"  {pageset}: {row[0]}: {row[1]:.1f} pages/s{cpu}, total CPU "
              f"{row[3] * 1000:.1f} ms a page", file=sys.stderr, flush=True)

    try:
        top, extract_cpu, top_total = ceiling(pageset, args.pages, server=server.pid)
        done((f"extraction ceiling ({default_pool_size()} processes)", top, None, top_total))
        rate, total = naive(base, args.pages)
        done(("naive loop (httpx get + trafilatura.extract)", rate, None, total))
        rate, total = naive(base, args.pages, ours=True)
        done(("naive loop (httpx get + newsarchive extract)", rate, None, total))
        done(("SQLite, one process", *sqlite_one_process(base, args.pages, server=server.pid)))
        if not args.no_postgres:
            for n in (int(w) for w in args.workers.split(",")):
                done((f"PostgreSQL, {n} worker process{'es' if n > 1 else ''}",
                      *postgres_workers(base, args.pages, n)))
    finally:
        server.kill()
    return rows, extract_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--no-postgres", action="store_true")
    have_real = (WCXB / "ground-truth").is_dir()
    parser.add_argument("--pageset", choices=("both", *PAGESETS),
                        default="both" if have_real else "synthetic")
    args = parser.parse_args()
    sets = PAGESETS if args.pageset == "both" else (args.pageset,)
    if "real" in sets and not have_real:
        parser.error(f"no WCXB data at {WCXB} (set NEWSARCHIVE_WCXB)")
    results = {name: measure(name, args) for name in sets}
    print(f"{args.pages} pages a set, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    for name in sets:
        sizes = bodies(name, min(args.pages, 800))
        print(f"- {name}: {sum(map(len, sizes)) // len(sizes) // 1024} KB a page on average, "
              f"extraction {results[name][1] * 1000:.1f} ms CPU a page in the pool "
              f"({os.cpu_count()} cores / that = {os.cpu_count() / results[name][1]:.1f} "
              "pages/s on an idle machine)")
    print("\n| pages | run | pages/s | of ceiling | vs naive trafilatura "
          "| vs naive, same extractor | crawl CPU/page | total CPU/page | total vs ceiling |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in sets:
        rows, _cpu = results[name]
        top, naive_rate, naive_ours = rows[0][1], rows[1][1], rows[2][1]
        top_total = rows[0][3]
        for i, (label, rate, cpu, total) in enumerate(rows):
            own = f"{cpu * 1000:.1f} ms" if cpu is not None else ""
            # a naive loop is one process: its CPU a page says nothing of two busy cores
            share = f"{top_total / total:.0%}" if i == 0 or cpu is not None else ""
            print(f"| {name} | {label} | {rate:.1f} | {rate / top:.0%} "
                  f"| {rate / naive_rate:.2f}x | {rate / naive_ours:.2f}x | {own} "
                  f"| {total * 1000:.1f} ms | {share} |")


if __name__ == "__main__":
    main()
