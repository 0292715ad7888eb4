"""Crawl a source: discover its article links, archive the new ones, record the run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsarchive.config import Settings
from newsarchive.discover.links import article_links
from newsarchive.errors import NewsarchiveError, NotFound
from newsarchive.extract.core import decode_html
from newsarchive.fetch.client import Fetcher
from newsarchive.models import CrawlRun
from newsarchive.services.archive import archive_url
from newsarchive.storage import crawls as runs
from newsarchive.storage.articles import find_article
from newsarchive.storage.db import Database
from newsarchive.storage.sources import get_source

log = logging.getLogger(__name__)

COUNTERS = ("discovered", "fetched", "archived", "unchanged", "skipped", "failed")


@dataclass
class CrawlProgress:
    """Counts of one pass, updated as it goes (the CLI draws them)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    failures: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] += n


ProgressCallback = Callable[[CrawlProgress], None]


async def crawl_source(
    *, db: Database, settings: Settings, source_id: int, trigger: str = "cli",
    on_progress: ProgressCallback | None = None, fetcher: Fetcher | None = None,
) -> CrawlRun:
    """One pass over one source; the same function serves the CLI, the API and the scheduler."""
    with db.write() as session:
        source = get_source(session, source_id)
        if source is None:
            raise NotFound(f"no source {source_id}")
        source_url = source.url
        run = runs.start_run(session=session, source_id=source_id, trigger=trigger)
        run_id = run.id
    progress = CrawlProgress()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    error: str | None = None
    try:
        page = await fetcher.fetch(source_url)
        links = article_links(decode_html(page.body, page.content_type), page.final_url)
        progress.bump("discovered", len(links))
        with db.read() as session:
            new = [u for u in links if find_article(session, u) is None]
        progress.bump("skipped", len(links) - len(new))
        progress.total = len(new)
        if on_progress:
            on_progress(progress)
        for url in new:
            try:
                outcome = await archive_url(db=db, fetcher=fetcher, url=url, source_id=source_id)
                progress.bump("fetched")
                progress.bump(outcome.status if outcome.status != "updated" else "archived")
            except NewsarchiveError as exc:
                progress.bump("failed")
                progress.failures[exc.reason] = progress.failures.get(exc.reason, 0) + 1
                log.info("crawl %s: %s", url, exc)
            if on_progress:
                on_progress(progress)
            if settings.host_delay:
                await asyncio.sleep(settings.host_delay)
    except NewsarchiveError as exc:
        error = str(exc)
    finally:
        if own_fetcher:
            await fetcher.aclose()
    with db.write() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        for name in COUNTERS:
            setattr(run, name, progress.counts[name])
        run.failures = dict(progress.failures)
        runs.finish_run(session=session, run=run, error=error)
        source = get_source(session, source_id)
        if source is not None:
            now = datetime.now(UTC)
            source.last_crawl_at = now
            source.last_error = error
            if source.every_seconds:
                source.next_due_at = now + timedelta(seconds=source.every_seconds)
            session.add(source)
        session.expunge(run)
    return run
