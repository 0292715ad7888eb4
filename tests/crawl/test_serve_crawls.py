"""``serve`` crawls in-process: the scheduler takes due sources, the worker fetches them."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from newsarchive.models import Article, CrawlRun
from newsarchive.services import sources as source_service
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.conftest import make_settings
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite


def test_serve_discovers_due_sources_and_archives_them(sqlite_url: str,
                                                       site: LocalSite) -> None:
    from newsarchive.storage.migrate import upgrade

    upgrade(sqlite_url)
    db = Database(sqlite_url)
    paths = [f"/news/2024/05/0{i}/a-story-for-the-server-{i}" for i in range(1, 4)]
    for i, path in enumerate(paths):
        site.add(path, publisher_page(f"Served {i}", lorem_paragraphs(i + 30)))
    site.add("/", "".join(f'<a href="{p}">s</a>' for p in paths))
    source_service.add_source(db=db, url=site.url("/"), kind="page", every="1h")
    app = create_app(make_settings(sqlite_url), db=db, run_scheduler=True)
    try:
        with TestClient(app):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with db.read() as s:
                    run = s.query(CrawlRun).first()
                    if run is not None and run.status == "done":
                        break
                time.sleep(0.2)
        with db.read() as s:
            assert sorted(a.title for a in s.query(Article).all()) == [
                "Served 0", "Served 1", "Served 2"]
            runs = s.query(CrawlRun).all()
        assert [(r.trigger, r.status, r.archived) for r in runs] == [("scheduler", "done", 3)]
    finally:
        db.dispose()
