"""Faults: SQLite under concurrent writers. A ``newsarchive worker`` process stores pages
while API threads add and change sources in parallel: WAL, the busy timeout and ``BEGIN
IMMEDIATE`` on every write transaction (``storage/db.py``) make writers queue, so there is
not one "database is locked", not even one retried, and every write lands.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsarchive.models import Article, FrontierURL, Source
from newsarchive.web.app import create_app
from tests.conftest import make_settings
from tests.hostile.test_faults_kill import ARTICLES, DEADLINE_SECONDS, Crawl, open_crawl
from tests.sites import LocalSite

WRITERS = 4  # API threads, each adding a source and renaming it, over and over


@pytest.fixture
def crawl(sqlite_url: str, site: LocalSite) -> Iterator[Crawl]:
    with open_crawl(sqlite_url, site) as c:
        yield c


def test_crawl_and_api_writes_never_see_a_locked_database(
        crawl: Crawl, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    worker = crawl.worker(host_delay="0.1", log_level="INFO")
    statuses: list[int] = []
    written: list[tuple[datetime, int, str]] = []  # (when, source id, name)
    crawling = threading.Event()
    crawling.set()

    def writer(client: TestClient, k: int) -> None:
        n = 0
        while crawling.is_set():
            n += 1
            created = client.post("/api/sources", json={
                "url": crawl.site.url(f"/elsewhere/{k}/{n}/"), "kind": "page", "every": "24h"})
            statuses.append(created.status_code)
            if created.status_code != 201:
                continue
            name = f"writer {k} pass {n}"
            changed = client.patch(f"/api/sources/{created.json()['id']}",
                                   json={"name": name, "enabled": False})
            statuses.append(changed.status_code)
            written.append((datetime.now(UTC), created.json()["id"], name))

    with TestClient(create_app(make_settings(crawl.url))) as client:
        threads = [threading.Thread(target=writer, args=(client, k)) for k in range(WRITERS)]
        for t in threads:
            t.start()
        try:
            code = worker.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
        finally:
            crawling.clear()
            for t in threads:
                t.join(30)
    log = (worker.stderr.read() if worker.stderr else b"").decode()
    assert code == 0, log[-2000:]

    assert "locked" not in log.lower() and "database error" not in log
    assert not [r for r in caplog.records if "locked" in r.getMessage().lower()]
    assert statuses and set(statuses) == {200, 201}, sorted(set(statuses))

    with crawl.db.read() as s:
        urls = s.execute(sa.select(Article.canonical_url)).scalars().all()
        names = dict(s.execute(sa.select(Source.id, Source.name)).all())  # type: ignore[arg-type]
        stored = s.execute(sa.select(sa.func.min(FrontierURL.updated_at),
                                     sa.func.max(FrontierURL.updated_at))
                           .where(FrontierURL.state == "done")).one()
    assert len(urls) == len(set(urls)) == ARTICLES
    assert len(names) == 1 + len(written)
    assert all(names[i] == name for _when, i, name in written)
    # the API wrote while the worker was storing pages, not before or after it
    first, last = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in stored)
    during = [w for w in written if first <= w[0] <= last]
    assert len(during) >= 5, (len(written), first, last)
    print(f"\n{len(statuses)} API writes ({len(during)} pairs while pages were stored), "
          f"{ARTICLES} pages stored, 0 'database is locked'")


