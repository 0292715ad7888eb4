"""A foreground pass beats its heartbeat from its start: a discovery slower than the
reaper's two leases leaves the pass with its driver instead of handing it to the workers."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime

from newsarchive.models import CrawlRun
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import crawl_source
from newsarchive.storage import crawls as runs
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.conftest import make_settings
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite, Reply

#: the test's lease (below the setting's floor of 5 s, set past validation): the reaper
#: hands over a pass silent for 2 s, and the slow sitemap takes longer than that
LEASE = 1
SITEMAP_DELAY = 2.6 * LEASE


class Reaper(threading.Thread):
    """What the workers' reaper does to passes, every 0.1 s instead of every few seconds;
    records every status the pass showed and how many passes it handed over."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.done = threading.Event()
        self.handed_over = 0
        self.seen: set[str] = set()

    def run(self) -> None:
        while not self.done.wait(0.1):
            with self.db.write() as session:
                self.handed_over += runs.hand_over_abandoned(
                    session, now=datetime.now(UTC), silent_for=2 * LEASE)
                self.seen.update(r.status for r in session.query(CrawlRun).all())


def test_a_slow_discovery_keeps_its_pass(sqlite_url: str, site: LocalSite) -> None:
    paths = [f"/news/2024/05/0{i}/harbour-story-{i}" for i in (1, 2)]
    for i, path in enumerate(paths):
        site.add(path, publisher_page(f"Harbour story number {i} is told", lorem_paragraphs(i)))
    locs = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in paths)
    site.add("/sitemap.xml", Reply(
        body=f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9">{locs}</urlset>',
        content_type="application/xml", delay=SITEMAP_DELAY))
    settings = make_settings(sqlite_url).model_copy(update={"lease_seconds": LEASE})
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    reaper = Reaper(db)
    try:
        sid = source_service.add_source(db=db, url=site.url("/sitemap.xml"), kind="sitemap").id
        assert sid is not None
        reaper.start()
        began = time.monotonic()
        run = asyncio.run(crawl_source(db=db, settings=settings, source_id=sid))
        assert time.monotonic() - began > 2 * LEASE  # the reaper had its chance
    finally:
        reaper.done.set()
        reaper.join()
        db.dispose()
    assert run.archived == 2 and run.status == "done", run
    assert reaper.handed_over == 0
    assert reaper.seen <= {"running", "done"}, reaper.seen
