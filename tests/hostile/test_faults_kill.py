"""Faults: a ``newsarchive worker`` killed with SIGKILL after a claim, after a fetch and in
the middle of its write transaction loses nothing and duplicates nothing, on SQLite and on
PostgreSQL.

The kill points are deterministic: ``NEWSARCHIVE_TEST_FAULT`` (read by
``services.worker._fault``) makes the worker SIGKILL itself at that point. A second
worker, started once the dead one's leases have run out (``NEWSARCHIVE_LEASE_SECONDS=5``,
the smallest allowed), finishes the pass.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsarchive.models import Article, ArticleVersion, Capture, CrawlRun, FrontierURL
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import request_crawl
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite
from tests.workers import worker_env

ARTICLES = 8
LEASE_SECONDS = 5  # the smallest the settings allow
ROOT = Path(__file__).resolve().parents[2]
#: generous: worker start-up imports the extractor and starts its pool on a shared machine
DEADLINE_SECONDS = 90


def _path(i: int) -> str:
    return f"/news/2024/05/01/fault-report-{i:03d}"


@dataclass
class Crawl:
    """A source over a local site, made due; the database the workers share."""

    site: LocalSite
    db: Database
    url: str
    tag: str = ""

    def worker(self, *, fault: str | None = None,
               **settings: str) -> subprocess.Popen[bytes]:
        defaults = {"host_delay": "0", "lease_seconds": str(LEASE_SECONDS), "log_level": "WARNING"}
        env = worker_env(self.url, **{**defaults, **settings})
        if fault:
            env["NEWSARCHIVE_TEST_FAULT"] = fault
        # inherited by the worker's fork server and extraction processes: found by _tagged
        env[TAG_ENV] = self.tag
        # one URL in flight: the kill point is reached in a known order
        return subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "worker", "--concurrency", "1",
             *([] if fault else ["--until-idle"])],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def count(self, model: type, *where: sa.ColumnElement[bool]) -> int:
        with self.db.read() as s:
            query = sa.select(sa.func.count()).select_from(model)
            return int(s.execute(query.where(*where) if where else query).scalar_one())

    def states(self) -> dict[str, int]:
        with self.db.read() as s:
            return dict(s.execute(sa.select(FrontierURL.state, sa.func.count())  # type: ignore[arg-type]
                                  .group_by(FrontierURL.state)).all())

    def wait_for_leases_to_expire(self) -> None:
        with self.db.read() as s:
            latest = s.execute(sa.select(sa.func.max(FrontierURL.lease_expires_at))).scalar()
        if latest is not None:
            latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
            time.sleep(max(0.0, (latest - datetime.now(UTC)).total_seconds()) + 0.2)


@contextlib.contextmanager
def open_crawl(database_url: str, site: LocalSite) -> Iterator[Crawl]:
    """ARTICLES pages behind a sitemap source, made due, in a migrated database."""
    for i in range(ARTICLES):
        site.add(_path(i), publisher_page(f"Fault report {i}", lorem_paragraphs(i, n=4),
                                          author="Desk"))
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    urls = "".join(f"<url><loc>{site.url(_path(i))}</loc></url>" for i in range(ARTICLES))
    site.add("/sitemap.xml", '<?xml version="1.0"?><urlset xmlns='
             f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
             content_type="application/xml")
    upgrade(database_url)
    db = Database(database_url)
    src = source_service.add_source(db=db, url=site.url("/sitemap.xml"), kind="sitemap",
                                    every="1h")
    request_crawl(db=db, source_id=src.id)
    try:
        yield Crawl(site, db, database_url, tag=uuid.uuid4().hex)
    finally:
        db.dispose()


@pytest.fixture
def crawl(database_url: str, site: LocalSite) -> Iterator[Crawl]:
    with open_crawl(database_url, site) as c:
        yield c


TAG_ENV = "FAULT_TEST_TAG"


def _tagged(tag: str) -> list[int]:
    """Processes still running with this test's tag in their environment."""
    found = []
    needle = f"{TAG_ENV}={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue  # exited meanwhile
    return found


def _died(proc: subprocess.Popen[bytes]) -> None:
    try:
        code = proc.wait(timeout=DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the worker never reached its fault point") from None
    assert code == -signal.SIGKILL, (code, proc.stderr.read() if proc.stderr else b"")


#: fault point -> (articles committed when the worker dies, fetches of the URL it held)
POINTS = {
    "after_claim": (0, 0),
    "after_fetch": (0, 1),
    "mid_write:3": (2, 1),  # two pages stored, the third killed inside its transaction
}


@pytest.mark.parametrize("point", list(POINTS))
def test_a_killed_worker_loses_and_duplicates_nothing(crawl: Crawl, point: str) -> None:
    committed, fetches_of_held = POINTS[point]
    _died(crawl.worker(fault=point))

    # the dead worker's extraction processes and fork server follow it (within a second)
    deadline = time.monotonic() + 10
    while _tagged(crawl.tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _tagged(crawl.tag) == []

    # at the moment of death: exactly what was committed, one URL still leased
    assert crawl.count(Article) == committed
    assert crawl.count(Capture) == committed
    assert crawl.count(ArticleVersion) == committed
    assert crawl.states().get("in_progress") == 1
    assert crawl.states().get("done", 0) == committed
    with crawl.db.read() as s:
        held = s.execute(sa.select(FrontierURL.url).where(
            FrontierURL.state == "in_progress")).scalar_one()
    held_path = held.removeprefix(crawl.site.base)
    assert len(crawl.site.hits(held_path)) == fetches_of_held

    crawl.wait_for_leases_to_expire()
    second = crawl.worker()
    try:
        code = second.wait(timeout=DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        second.kill()
        raise
    assert code == 0, second.stderr.read() if second.stderr else b""

    # nothing lost, nothing twice
    with crawl.db.read() as s:
        urls = s.execute(sa.select(Article.canonical_url)).scalars().all()
        runs = s.execute(sa.select(CrawlRun.status, CrawlRun.archived)).all()
    assert sorted(urls) == sorted(crawl.site.url(_path(i)) for i in range(ARTICLES))
    assert crawl.count(Capture) == ARTICLES
    assert crawl.count(ArticleVersion) == ARTICLES
    assert crawl.count(ArticleVersion, ArticleVersion.version != 1) == 0  # type: ignore[arg-type]
    assert crawl.states() == {"done": ARTICLES}
    assert len(runs) == 1 and runs[0].archived == ARTICLES, runs
    # the URL the dead worker held was fetched again (at-least-once fetching), once
    assert len(crawl.site.hits(held_path)) == fetches_of_held + 1
    if crawl.db.is_sqlite:
        with crawl.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
