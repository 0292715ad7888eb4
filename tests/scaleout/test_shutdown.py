"""SIGTERM: a worker finishes what it can and hands back the rest, losing nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from newsarchive.models import FrontierURL
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import request_crawl
from newsarchive.services.worker import SHUTDOWN_GRACE_SECONDS
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite, Reply
from tests.workers import worker_env

ROOT = Path(__file__).resolve().parents[2]
FAST = "/news/2024/05/01/a-story-served-at-once"
SLOW = "/news/2024/05/01/a-story-served-very-slowly"


def test_sigterm_releases_in_flight_urls(sqlite_url: str, site: LocalSite) -> None:
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    site.add(FAST, publisher_page("Fast", lorem_paragraphs(1)))
    site.add(SLOW, Reply(body=publisher_page("Slow", lorem_paragraphs(2)),
                         delay=SHUTDOWN_GRACE_SECONDS + 20))
    site.add("/", f'<html><body><a href="{FAST}">f</a><a href="{SLOW}">s</a></body></html>')
    src = source_service.add_source(db=db, url=site.url("/"), kind="page")
    request_crawl(db=db, source_id=src.id)
    env = worker_env(db.url, host_delay="0", read_timeout="60")
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def row(path: str) -> FrontierURL | None:
        with db.read() as s:
            return s.exec(sa.select(FrontierURL).where(
                FrontierURL.url == site.url(path))).scalars().first()

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            fast, slow = row(FAST), row(SLOW)
            if fast and slow and fast.state == "done" and slow.state == "in_progress" \
                    and site.hits(SLOW):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the worker never got going")
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=SHUTDOWN_GRACE_SECONDS + 30) == 0
        # it waited out the grace period for the slow page, not the page itself
        assert time.monotonic() - began < SHUTDOWN_GRACE_SECONDS + 20
    finally:
        if proc.poll() is None:
            proc.kill()
    slow = row(SLOW)
    assert slow is not None
    assert (slow.state, slow.attempts, slow.leased_by) == ("queued", 0, None)
