"""One APScheduler job per enabled source, kept in step with the database.

The database holds the schedules (they survive a restart); the scheduler re-reads
the sources every ``SYNC_SECONDS`` so a source added, changed, paused or removed
from the CLI or the API takes effect without a restart.
"""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from newsarchive.config import Settings
from newsarchive.services.crawl import crawl_source
from newsarchive.services.sources import list_sources
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)

#: how often the scheduler re-reads the sources table; short enough to feel immediate
SYNC_SECONDS = 10


def _trigger_for(every_seconds: int | None, cron: str | None) -> Any:
    if cron:
        return CronTrigger.from_crontab(cron)
    return IntervalTrigger(seconds=every_seconds or 1800)


def _signature(every_seconds: int | None, cron: str | None) -> str:
    return f"cron:{cron}" if cron else f"every:{every_seconds}"


class SourceScheduler:
    def __init__(self, *, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._signatures: dict[str, str] = {}

    def start(self) -> None:
        self.scheduler.add_job(self.sync, IntervalTrigger(seconds=SYNC_SECONDS), id="sync",
                               max_instances=1, coalesce=True)
        self.scheduler.start()
        self.sync()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

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
        for job_id, source in wanted.items():
            sig = _signature(source.every_seconds, source.cron)
            if self._signatures.get(job_id) == sig:
                continue
            self.scheduler.add_job(
                self.run_source, _trigger_for(source.every_seconds, source.cron),
                id=job_id, args=[source.id], replace_existing=True,
                max_instances=1, coalesce=True, misfire_grace_time=None,
                next_run_time=source.next_due_at if source.next_due_at else None,
            )
            self._signatures[job_id] = sig

    async def run_source(self, source_id: int) -> None:
        try:
            await crawl_source(db=self.db, settings=self.settings, source_id=source_id,
                               trigger="scheduler")
        except Exception:  # noqa: BLE001
            log.exception("scheduled crawl of source %s failed", source_id)
