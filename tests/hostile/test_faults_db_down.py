"""Faults: the database unavailable for a while. The crawl pauses and resumes (each article
once, the worker process never exits), and the API answers 503 with a JSON detail while it
is down, 200 once it is back.

The outage is real and confined to the test's own throwaway PostgreSQL database: ``ALTER
DATABASE ... ALLOW_CONNECTIONS false`` refuses new connections (superusers included) and
``pg_terminate_backend`` drops the open ones, for ``OUTAGE_SECONDS``. The server itself is
never stopped (other tests share it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsarchive.models import Article, FrontierURL
from newsarchive.web.app import create_app
from tests.conftest import PG_ADMIN_URL, make_settings
from tests.hostile.test_faults_kill import ARTICLES, DEADLINE_SECONDS, Crawl, open_crawl
from tests.sites import LocalSite

#: long enough for every worker write in flight to hit the outage, shorter than the
#: worker's retry loop of one write (0.5 + 1 + 2 + 4 + 8 s)
OUTAGE_SECONDS = 5.0


def _outage(admin: sa.Engine, name: str, *, down: bool) -> int:
    """Close (or reopen) the database to new connections; closing also drops open ones."""
    with admin.connect() as conn:
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {not down}')
        if not down:
            return 0
        return int(conn.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).scalar_one())


def _settled(crawl: Crawl) -> int:
    return crawl.count(FrontierURL, FrontierURL.state.in_(("done", "failed")))  # type: ignore[attr-defined]


@pytest.fixture
def crawl(pg_url: str, site: LocalSite) -> Iterator[Crawl]:
    with open_crawl(pg_url, site) as c:
        yield c


@pytest.mark.postgres
def test_crawl_pauses_and_resumes_and_the_api_says_503(crawl: Crawl) -> None:
    name = sa.engine.make_url(crawl.url).database
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    # spaced requests: the outage falls in the middle of the pass
    worker = crawl.worker(host_delay="0.4", lease_seconds="10")
    app_settings = make_settings(crawl.url)
    try:
        with TestClient(create_app(app_settings)) as api:
            assert api.get("/api/articles").status_code == 200
            deadline = time.monotonic() + DEADLINE_SECONDS
            while _settled(crawl) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            before = _settled(crawl)
            assert 2 <= before < ARTICLES, before
            crawl.db.dispose()  # the test's own pooled connections would be killed too

            killed = _outage(admin, name, down=True)
            down_at = time.monotonic()
            assert killed >= 1  # at least the worker's connection
            answers = []
            while time.monotonic() - down_at < OUTAGE_SECONDS:
                response = api.get("/api/articles")
                answers.append((response.status_code, response.headers["content-type"],
                                response.json()))
                time.sleep(0.5)
            assert worker.poll() is None  # paused, not dead
            _outage(admin, name, down=False)
            up_at = time.monotonic()

            for status, content_type, body in answers:
                assert status == 503 and content_type == "application/json", (status, body)
                assert "unavailable" in body["detail"]
            assert api.get("/healthz").status_code == 200
            back = api.get("/api/articles")
            assert back.status_code == 200, back.text

            # recovery: the next page stored after the database came back
            while _settled(crawl) <= before and time.monotonic() < up_at + DEADLINE_SECONDS:
                time.sleep(0.1)
            recovery = time.monotonic() - up_at
            code = worker.wait(timeout=DEADLINE_SECONDS)
    finally:
        if worker.poll() is None:
            worker.kill()
        _outage(admin, name, down=False)
        admin.dispose()
    err = worker.stderr.read().decode() if worker.stderr else ""
    assert code == 0, err[-2000:]
    print(f"\n{len(answers)} API calls during a {OUTAGE_SECONDS:g} s outage: all 503 JSON; "
          f"crawl resumed {recovery:.1f} s after the database came back")
    with crawl.db.read() as s:
        urls = s.execute(sa.select(Article.canonical_url)).scalars().all()
    assert len(urls) == len(set(urls)) == ARTICLES
    assert crawl.states() == {"done": ARTICLES}

