"""Store benchmark: CPU a page of the crawl's write path alone (``write_page``), without
fetching or extracting, on SQLite and PostgreSQL.

    .venv/bin/python bench/store.py [--pages 300] [--pageset both|real|synthetic]
                                    [--backend both|sqlite|postgres] [--prefill 5000]

The pages (the same sets as bench/crawl.py) are extracted once, in a process pool, before
anything is timed. Then they are stored the way a crawl worker's ``PageWriter`` stores them:
``STORE_BATCH`` pages a write transaction, each page's frontier row marked done in the
transaction that stores it, three passes over the same URLs:
- new: every page is a new article (capture, article, version 1, near-duplicate check, FTS);
- unchanged: the same texts again (a recheck that finds nothing new);
- changed: every text edited (a new version of each article).
``--prefill N`` stores N short articles with random SimHashes first, so the near-duplicate
check reads a full window of recent articles (dedup.RECENT_WINDOW), as it does once a
deployment holds that many; without it the window grows from empty during the run.
Each pass prints the CPU time of this process a page (``time.process_time``: the crawl
process's own cost, which a shared machine moves little; on PostgreSQL the server's CPU is
not in it) and the wall time a page.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl import PATH, PG_ADMIN, WCXB, bodies  # noqa: E402

from newsarchive.extract import ExtractedArticle, ExtractOptions  # noqa: E402
from newsarchive.fetch.client import FetchResult  # noqa: E402
from newsarchive.models import Article, FrontierURL  # noqa: E402
from newsarchive.services import sources as source_service  # noqa: E402
from newsarchive.services.archive import PreparedPage, prepare_page, write_page  # noqa: E402
from newsarchive.services.extraction import extract_job  # noqa: E402
from newsarchive.services.worker import STORE_BATCH  # noqa: E402
from newsarchive.storage import frontier  # noqa: E402
from newsarchive.storage.articles import SaveOutcome  # noqa: E402
from newsarchive.storage.db import Database  # noqa: E402
from newsarchive.storage.migrate import upgrade  # noqa: E402

HOST = "bench.test"
WORKER = "bench-worker"
#: the recheck schedule of the default settings (hours after the first capture)
RECHECK_HOURS = [1.0, 6.0, 24.0, 72.0]
#: appended to every text in the "changed" pass: a new version of each article
EDIT = "\n\nCorrection: an earlier version of this story misstated a date."

Page = tuple[str, bytes, ExtractedArticle, int | None]  # url, body, extraction, SimHash


def _extract(job: tuple[int, bytes]) -> Page:
    i, body = job
    url = f"http://{HOST}{PATH.format(i)}"
    extracted, simhash_value = extract_job(body, url, ExtractOptions())
    return url, body, extracted, simhash_value


def extracted_pages(pageset: str, pages: int) -> list[Page]:
    """The set's pages extracted (articles only), on every core."""
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        done = list(pool.map(_extract, enumerate(bodies(pageset, pages)), chunksize=4))
    return [p for p in done if p[2].is_article]


def _prepared(pages: list[Page], ids: dict[str, int], source_id: int,
              edit: bool) -> list[PreparedPage]:
    out = []
    for url, body, extracted, simhash_value in pages:
        copy = extracted.model_copy(deep=True)
        if edit:
            copy.text += EDIT
            copy.content_hash = copy.content_hash[::-1]
        result = FetchResult(url=url, final_url=url, status=200, body=body,
                             headers=[("content-type", "text/html; charset=utf-8")],
                             request_headers=[("user-agent", "newsarchive-bench")],
                             fetched_at=datetime.now(UTC), content_type="text/html",
                             ip_address="127.0.0.1")
        out.append(prepare_page(result=result, extracted=copy, source_id=source_id,
                                simhash_value=simhash_value, recheck_hours=RECHECK_HOURS,
                                also=_mark_done(ids[url])))
    return out


def _mark_done(row_id: int) -> Callable[[Session, SaveOutcome], None]:
    def also(session: Session, saved: SaveOutcome) -> None:
        frontier.complete(session, row_id=row_id, worker=WORKER, outcome=saved.status,
                          article_id=saved.article.id, now=datetime.now(UTC))
    return also


def prefill(db: Database, count: int) -> None:
    """``count`` short articles with random SimHashes (none near a bench page's)."""
    if not count:
        return  # an empty parameter list would insert one row of defaults
    rng = random.Random(count)
    now = datetime.now(UTC)
    with db.write() as session:
        session.execute(sa.insert(Article.__table__), [  # type: ignore[attr-defined]
            {"url": f"http://prefill.test/{i}", "canonical_url": f"http://prefill.test/{i}",
             "authors": [], "tags": [], "meta": {}, "text": "prefill", "html": "",
             "word_count": 1, "content_hash": f"prefill-{i}", "access": "unknown",
             "simhash": rng.getrandbits(64) - (1 << 63), "fetched_at": now,
             "updated_at": now, "version": 1, "extractor_version": "", "rechecks": 0}
            for i in range(count)])


def run(url: str, pages: list[Page], prefilled: int = 0) -> dict[str, tuple[float, float]]:
    """{pass: (CPU ms a page, wall ms a page)} on a fresh database at ``url``."""
    upgrade(url)
    db = Database(url)
    table = FrontierURL.__table__  # type: ignore[attr-defined]
    try:
        prefill(db, prefilled)
        source = source_service.add_source(db=db, url=f"http://{HOST}/sitemap.xml",
                                           kind="sitemap")
        assert source.id is not None
        now = datetime.now(UTC)
        with db.write() as session:
            session.execute(sa.insert(table), [
                {"url": url, "host": HOST, "source_id": source.id, "hints": {},
                 "next_attempt_at": now, "discovered_at": now, "updated_at": now}
                for url, *_rest in pages])
            ids = {url: row_id for url, row_id in session.execute(
                sa.select(table.c.url, table.c.id))}
        results = {}
        for name, edit in (("new", False), ("unchanged", False), ("changed", True)):
            with db.write() as session:  # every URL leased to this worker again
                session.execute(sa.update(table).values(
                    state="in_progress", leased_by=WORKER,
                    lease_expires_at=now + timedelta(hours=1)))
            prepared = _prepared(pages, ids, source.id, edit)
            cpu, wall = time.process_time(), time.perf_counter()
            for start in range(0, len(prepared), STORE_BATCH):
                with db.write() as session:
                    for page in prepared[start:start + STORE_BATCH]:
                        write_page(session, page)
            results[name] = ((time.process_time() - cpu) / len(prepared) * 1000,
                             (time.perf_counter() - wall) / len(prepared) * 1000)
        return results
    finally:
        db.dispose()


def on_sqlite(pages: list[Page], prefilled: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        return run(f"sqlite:///{tmp}/bench.db", pages, prefilled)


def on_postgres(pages: list[Page], prefilled: int) -> dict[str, tuple[float, float]]:
    name = f"na_store_{os.getpid()}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.engine.make_url(PG_ADMIN).set(database=name)
        return run(url.render_as_string(hide_password=False), pages, prefilled)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    have_real = (WCXB / "ground-truth").is_dir()
    parser.add_argument("--pageset", choices=("both", "real", "synthetic"),
                        default="both" if have_real else "synthetic")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--prefill", type=int, default=0)
    args = parser.parse_args()
    sets = ("real", "synthetic") if args.pageset == "both" else (args.pageset,)
    backends = {"sqlite": on_sqlite, "postgres": on_postgres}
    if args.backend != "both":
        backends = {args.backend: backends[args.backend]}
    print(f"{args.pages} pages a set, {STORE_BATCH} a transaction, {args.prefill} articles "
          "stored before, "
          f"load average {os.getloadavg()[0]:.1f} at the start\n")
    print("| pages | backend | pass | CPU ms a page | wall ms a page |")
    print("|---|---|---|---:|---:|")
    for pageset in sets:
        pages = extracted_pages(pageset, args.pages)
        for backend, store in backends.items():
            for name, (cpu, wall) in store(pages, args.prefill).items():
                print(f"| {pageset} | {backend} | {name} | {cpu:.2f} | {wall:.2f} |",
                      flush=True)


if __name__ == "__main__":
    main()
