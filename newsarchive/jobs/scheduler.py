"""When things run: one APScheduler job per enabled source, plus the in-process crawl worker
of ``newsarchive serve``.

The database holds the schedules (``source.next_due_at``), so they survive a restart; the
scheduler re-reads the sources every ``SYNC_SECONDS`` so a source added, changed, paused
or removed from the CLI or the API takes effect without a restart. A job only says "look
now": the source is discovered by whichever process takes it in the database first
(``services.crawl.crawl_due_sources``), so two schedulers, or a scheduler and many
``newsarchive worker`` processes, discover a due source once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from newsarchive.config import Settings
from newsarchive.models import Source
from newsarchive.services.crawl import DEFAULT_EVERY_SECONDS, crawl_due_sources, work
from newsarchive.services.sources import list_sources
from newsarchive.services.worker import Worker
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)

#: how often the scheduler re-reads the sources table; short enough to feel immediate
SYNC_SECONDS = 10


def _trigger_for(every_seconds: int | None, cron: str | None) -> Any:
    if cron:
        return CronTrigger.from_crontab(cron, timezone=UTC)
    return IntervalTrigger(seconds=every_seconds or DEFAULT_EVERY_SECONDS, timezone=UTC)


def _signature(source: Source) -> str:
    schedule = f"cron:{source.cron}" if source.cron else f"every:{source.every_seconds}"
    due = source.next_due_at.isoformat() if source.next_due_at else "-"
    return f"{schedule}@{due}"


class SourceScheduler:
    """APScheduler jobs mirroring the sources table; with ``crawl`` also a crawl worker."""

    def __init__(self, *, db: Database, settings: Settings, crawl: bool = True) -> None:
        self.db = db
        self.settings = settings
        self.crawl = crawl
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._signatures: dict[str, str] = {}
        self._worker: Worker | None = None
        self._worker_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start with the running event loop (the app's lifespan)."""
        self.scheduler.add_job(self.sync, IntervalTrigger(seconds=SYNC_SECONDS), id="sync",
                               max_instances=1, coalesce=True)
        self.scheduler.start()
        self.sync()
        if self.crawl:
            self._worker_task = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        def keep(worker: Worker) -> None:
            self._worker = worker

        try:
            # due sources are taken by the APScheduler jobs below
            await work(db=self.db, settings=self.settings, ready=keep, take_sources=False)
        except Exception:  # noqa: BLE001 (the web server must outlive its crawler)
            log.exception("in-process crawl worker stopped")

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._worker is not None:
            self._worker.stop()  # finishes or releases in-flight URLs

    async def aclose(self) -> None:
        """Shut down and wait for the crawl worker to hand back its URLs."""
        self.shutdown()
        if self._worker_task is not None:
            await self._worker_task

    def sync(self) -> None:
        try:
            sources = [s for s in list_sources(db=self.db) if s.enabled]
        except Exception:  # noqa: BLE001 (a database hiccup must not kill the scheduler)
            log.exception("scheduler: cannot read sources")
            return
        wanted = {f"source-{s.id}": s for s in sources}
        for job_id in list(self._signatures):
            if job_id not in wanted:
                self.scheduler.remove_job(job_id)
                del self._signatures[job_id]
        now = datetime.now(UTC)
        for job_id, source in wanted.items():
            sig = _signature(source)
            if self._signatures.get(job_id) == sig:
                continue
            first = source.next_due_at if source.next_due_at else now
            try:
                trigger = _trigger_for(source.every_seconds, source.cron)
            except (ValueError, OverflowError) as exc:
                # a schedule stored before it was validated (an interval of 99999999d):
                # this source is skipped, the others are still scheduled
                log.error("scheduler: source %s has a schedule that cannot run (%s): "
                          "change it on /sources", source.id, exc)
                self._signatures[job_id] = sig  # said once, not every sync
                continue
            self.scheduler.add_job(
                self.run_source, trigger,
                id=job_id, args=[source.id], replace_existing=True,
                max_instances=1, coalesce=True, misfire_grace_time=None,
                next_run_time=max(first, now),
            )
            self._signatures[job_id] = sig

    async def run_source(self, source_id: int) -> None:
        """Discover the source if it is still due (another process may have taken it)."""
        try:
            await crawl_due_sources(db=self.db, settings=self.settings, only=source_id)
        except Exception:  # noqa: BLE001
            log.exception("scheduled crawl of source %s failed", source_id)
