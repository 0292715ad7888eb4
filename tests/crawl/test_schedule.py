"""Scheduling: schedules live in the database, and a due source is discovered once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsarchive.config import Settings
from newsarchive.jobs.scheduler import SourceScheduler
from newsarchive.models import CrawlRun, Source
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import crawl_due_sources, next_due, request_crawl
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.conftest import make_settings
from tests.sites import LocalSite


def _jobs(db: Database, settings: Settings) -> dict[str, datetime]:
    async def main() -> dict[str, datetime]:
        sched = SourceScheduler(db=db, settings=settings, crawl=False)
        sched.start()
        try:
            return {j.id: j.next_run_time for j in sched.scheduler.get_jobs() if j.id != "sync"}
        finally:
            await sched.aclose()

    return asyncio.run(main())


def test_schedules_survive_a_restart_and_follow_changes(db: Database,
                                                        settings: Settings) -> None:
    src = source_service.add_source(db=db, url="http://a.test/", every="1h")
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    with db.write() as s:
        s.execute(sa.update(Source).values(next_due_at=due))
    assert _jobs(db, settings) == {f"source-{src.id}": due}
    assert _jobs(db, settings) == {f"source-{src.id}": due}  # a new process, same schedule

    async def follow() -> list[str]:
        sched = SourceScheduler(db=db, settings=settings, crawl=False)
        sched.start()
        try:
            seen = []
            source_service.change_source(db=db, source_id=src.id, changes={"every": "2h"})
            sched.sync()
            job = sched.scheduler.get_job(f"source-{src.id}")
            seen.append(str(job.trigger))
            source_service.change_source(db=db, source_id=src.id, changes={"enabled": False})
            sched.sync()
            seen.append(str(sched.scheduler.get_job(f"source-{src.id}")))
            return seen
        finally:
            await sched.aclose()

    trigger, paused = asyncio.run(follow())
    assert "2:00:00" in trigger and paused == "None"


def test_one_source_with_an_impossible_interval_does_not_stop_the_others(
    sqlite_url: str,
) -> None:
    # SQLite only: PostgreSQL's integer column never held such an interval (it refused it)
    settings = make_settings(sqlite_url)
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    try:
        bad = source_service.add_source(db=db, url="http://a.test/", every="1h")
        good = source_service.add_source(db=db, url="http://b.test/", every="1h")
        with db.write() as s:  # as stored before intervals had a maximum
            s.execute(sa.update(Source).where(Source.id == bad.id)
                      .values(every_seconds=8_639_999_913_600))
        assert list(_jobs(db, settings)) == [f"source-{good.id}"]
    finally:
        db.dispose()


def test_next_due_follows_interval_or_cron() -> None:
    now = datetime(2026, 1, 1, 12, 7, tzinfo=UTC)
    assert next_due(Source(url="x", every_seconds=600), now) == now + timedelta(minutes=10)
    assert next_due(Source(url="x", cron="*/30 * * * *"), now) == now.replace(minute=30)


def test_a_due_source_is_discovered_once_by_two_schedulers(
    db: Database, settings: Settings, site: LocalSite,
) -> None:
    site.add("/", "<html><body><p>nothing yet</p></body></html>")
    src = source_service.add_source(db=db, url=site.url("/"), kind="page", every="1h")
    request_crawl(db=db, source_id=src.id)
    other = Database(settings.database_url)
    try:
        a = SourceScheduler(db=db, settings=settings, crawl=False)
        b = SourceScheduler(db=other, settings=settings, crawl=False)

        async def both() -> None:
            await asyncio.gather(a.run_source(src.id), b.run_source(src.id),
                                 crawl_due_sources(db=other, settings=settings))

        asyncio.run(both())
    finally:
        other.dispose()
    assert len(site.hits("/")) == 1
    with db.read() as s:
        runs = s.query(CrawlRun).all()
        source = s.get(Source, src.id)
    assert len(runs) == 1 and runs[0].trigger == "scheduler" and runs[0].status == "done"
    assert source is not None and source.next_due_at > datetime.now(UTC) + timedelta(minutes=59)
