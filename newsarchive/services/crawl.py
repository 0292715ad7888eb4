"""Crawl a source: discover its article links, queue them, fetch the queue, record the run.

``crawl_source`` is the one use case behind ``newsarchive crawl``, ``POST
/api/sources/{id}/crawl``, the HTML form and the scheduler. With ``process=True`` (the
default) it works its own pass's URLs until none is left; with ``process=False`` it only
discovers and queues them, and the workers fetch them and close the run.

A pass is "running" while the process that started it drives it: that process beats the
pass's heartbeat every third of a lease from ``start_run`` to its close, discovery
included, so the workers' reaper (which hands over a pass silent for two leases) leaves a
slow discovery alone and takes only the pass of a process that died.

Scheduling stays single however many processes run: a source is discovered by whoever
takes it with ``claim_due_source``, a conditional UPDATE of ``source.next_due_at``
(see docs/capacity.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from newsarchive.config import Settings
from newsarchive.errors import NewsarchiveError, NotFound, StorageError
from newsarchive.fetch.client import Fetcher
from newsarchive.models import CrawlRun, Source
from newsarchive.services.extraction import ExtractPool
from newsarchive.services.worker import Result, Worker
from newsarchive.storage import crawls as runs
from newsarchive.storage import frontier
from newsarchive.storage.db import Database
from newsarchive.storage.sources import get_source

log = logging.getLogger(__name__)

COUNTERS = ("discovered", "fetched", "archived", "unchanged", "skipped", "failed")
#: a source without a schedule is crawled this often (30 min, the README's default)
DEFAULT_EVERY_SECONDS = 1800


@dataclass
class CrawlProgress:
    """Counts of one pass, updated as it goes (the CLI draws them)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    failures: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def add(self, result: Result) -> None:
        """Count one URL's result (a retry is not counted until it settles)."""
        if result.outcome in ("retry", "lost"):
            return
        if result.outcome == "failed":
            self.bump("failed")
            reason = result.reason or "error"
            self.failures[reason] = self.failures.get(reason, 0) + 1
            return
        self.bump("fetched")
        self.bump("archived" if result.outcome in ("archived", "updated") else "unchanged")


ProgressCallback = Callable[[CrawlProgress], None]


def next_due(source: Source, now: datetime) -> datetime:
    """When a source is due after ``now``, from its interval or cron expression."""
    if source.cron:
        from apscheduler.triggers.cron import CronTrigger

        fire = CronTrigger.from_crontab(source.cron, timezone=UTC).get_next_fire_time(None, now)
        if fire is not None:
            return fire
    return now + timedelta(seconds=source.every_seconds or DEFAULT_EVERY_SECONDS)


@contextlib.asynccontextmanager
async def beating(db: Database, *, run_id: int, every: float) -> AsyncIterator[None]:
    """Beat pass ``run_id``'s heartbeat every ``every`` seconds while the block runs: the
    pass stays this process's through a discovery longer than the reaper's two leases.
    A failed beat is logged and tried again at the next one (the crawl goes on; a pass
    silent too long is handed to the workers, which finish it)."""
    stop = asyncio.Event()

    def beat() -> None:
        with db.write() as session:
            runs.beat(session, run_id=run_id, now=datetime.now(UTC))

    async def loop() -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
            if stop.is_set():
                return  # not cancelled mid-write: a beat in flight ends first
            try:
                await asyncio.to_thread(beat)
            except (StorageError, SQLAlchemyError) as exc:
                log.warning("crawl run %s: heartbeat not renewed: %s", run_id, exc)

    task = asyncio.get_running_loop().create_task(loop(), name=f"heartbeat of run {run_id}")
    try:
        yield
    finally:
        stop.set()
        await task


def default_pool_size() -> int:
    return max(1, os.cpu_count() or 1)


async def _discover(fetcher: Fetcher, source: Source) -> tuple[list[frontier.Candidate], dict[str, object], dict[str, object], list[str]]:
    """(candidates, new validators, resolved discovery facts, errors) of one source."""
    from newsarchive.services.discovery import discover_source

    found = await discover_source(fetcher=fetcher, url=source.url, kind=source.kind,
                                  validators=dict(source.validators or {}))
    candidates = []
    for cand in found.candidates:
        hints = {k: v for k, v in (("title", cand.title), ("published_at", cand.published_at),
                                   ("lastmod", cand.lastmod), ("source", cand.source)) if v}
        candidates.append(frontier.Candidate(cand.url, hints))
    return candidates, dict(found.validators), dict(found.resolved), list(found.errors)


async def crawl_source(
    *, db: Database, settings: Settings, source_id: int, trigger: str = "cli",
    on_progress: ProgressCallback | None = None, fetcher: Fetcher | None = None,
    process: bool = True, pool: ExtractPool | None = None, concurrency: int | None = None,
) -> CrawlRun:
    """One pass over one source: discovery, queueing, and (``process``) fetching."""
    now = datetime.now(UTC)
    with db.write() as session:
        source = get_source(session, source_id)
        if source is None:
            raise NotFound(f"no source {source_id}")
        # the scheduler must not start the same pass while this one runs
        if source.next_due_at is None or source.next_due_at <= now:
            source.next_due_at = next_due(source, now)
        session.add(source)
        run = runs.start_run(session=session, source_id=source_id, trigger=trigger)
        run_id = run.id
        session.expunge(source)
    assert run_id is not None
    progress = CrawlProgress()
    own_fetcher, own_pool = fetcher is None, pool is None and process
    fetcher = fetcher or Fetcher(settings)
    error: str | None = None
    discovered = skipped = 0
    try:
        async with beating(db, run_id=run_id, every=settings.lease_seconds / 3):
            candidates, validators, resolved, errors = await _discover(fetcher, source)
            discovered = len(candidates)

            def queue() -> frontier.EnqueueResult:
                with db.write() as session:
                    stamp = datetime.now(UTC)
                    found = frontier.enqueue(session, candidates=candidates, source_id=source_id,
                                             run_id=run_id, now=stamp)
                    found.queued += frontier.enqueue_rechecks(session, source_id=source_id,
                                                              run_id=run_id, now=stamp)
                    src = get_source(session, source_id)
                    if src is not None:
                        src.validators = validators
                        src.discovered = resolved
                        session.add(src)
                    return found

            queued = queue()
            skipped = queued.skipped
            progress.bump("discovered", discovered)
            progress.bump("skipped", skipped)
            progress.total = queued.queued
            if not candidates and errors:
                error = "; ".join(errors)[:2000]
            if on_progress:
                on_progress(progress)
            if process:
                pool = pool or ExtractPool(default_pool_size())

                def seen(result: Result) -> None:
                    progress.add(result)
                    if on_progress:
                        on_progress(progress)

                worker = Worker(db=db, settings=settings, fetcher=fetcher, pool=pool,
                                concurrency=concurrency, run_id=run_id, on_result=seen)
                await worker.run(until_idle=True)
    except NewsarchiveError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 (the run is closed, whatever went wrong)
        log.exception("crawl of source %s failed", source_id)
        error = f"internal error: {exc.__class__.__name__}: {exc}"
    finally:
        if own_fetcher:
            await fetcher.aclose()
        if own_pool and pool is not None:
            pool.close()
    # URLs still pending (not yet fetched, or retried much later) are the workers' to finish
    return _close_run(db, run_id=run_id, source_id=source_id, discovered=discovered,
                      skipped=skipped, error=error, handed_off=error is None)


def _close_run(db: Database, *, run_id: int, source_id: int, discovered: int, skipped: int,
               error: str | None, handed_off: bool) -> CrawlRun:
    with db.write() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        runs.record_counts(session=session, run=run, discovered=discovered, skipped=skipped)
        pending = frontier.pending(session, run_id=run_id)
        if handed_off and pending:
            run.status = "queued"
            session.add(run)
        else:
            runs.finish_run(session=session, run=run, error=error)
        source = get_source(session, source_id)
        if source is not None:
            source.last_crawl_at = datetime.now(UTC)
            source.last_error = error
            session.add(source)
        session.flush()
        session.expunge(run)
    return run


def request_crawl(*, db: Database, source_id: int) -> None:
    """Make a source due now: the next scheduler or worker to look discovers it (this is
    ``crawl --enqueue`` and an API crawl when the server does not crawl itself)."""
    with db.write() as session:
        if get_source(session, source_id) is None:
            raise NotFound(f"no source {source_id}")
        runs.set_next_due(session, source_id=source_id, when=datetime.now(UTC))


#: crawls started by start_crawl, referenced until done (the loop holds tasks only weakly)
_STARTED: set[asyncio.Task[CrawlRun]] = set()


async def start_crawl(*, db: Database, settings: Settings, source_id: int, trigger: str,
                      in_process: bool) -> str:
    """Crawl a source now (the API's and the HTML page's "crawl now"): in this process when
    it crawls (``serve``), returning "started" at once while the crawl runs on; else made
    due now for the workers (``serve --no-crawl``), returning "queued". NotFound first
    when there is no such source."""
    if not in_process:
        await asyncio.to_thread(request_crawl, db=db, source_id=source_id)
        return "queued"

    def exists() -> None:
        with db.read() as session:
            if get_source(session, source_id) is None:
                raise NotFound(f"no source {source_id}")

    await asyncio.to_thread(exists)
    task = asyncio.get_running_loop().create_task(
        crawl_source(db=db, settings=settings, source_id=source_id, trigger=trigger))
    _STARTED.add(task)
    task.add_done_callback(_STARTED.discard)
    return "started"


async def crawl_due_sources(
    *, db: Database, settings: Settings, fetcher: Fetcher | None = None,
    only: int | None = None,
) -> list[CrawlRun]:
    """Discover every source that is due and hand its pass to the workers. Safe to call from
    any number of processes at once: each due source is taken by one of them."""
    started: list[CrawlRun] = []
    while True:
        with db.write() as session:
            source = runs.claim_due_source(session, now=datetime.now(UTC), next_due=next_due,
                                           only=only)
            source_id = source.id if source is not None else None
        if source_id is None:
            return started
        try:
            started.append(await crawl_source(db=db, settings=settings, source_id=source_id,
                                              trigger="scheduler", fetcher=fetcher,
                                              process=False))
        except NotFound:
            continue  # removed meanwhile


def close_finished_runs(*, db: Database) -> int:
    """Close the passes handed to the workers whose URLs are all settled."""
    closed = 0
    with db.write() as session:
        for run in runs.queued_runs(session):
            if run.id is not None and frontier.pending(session, run_id=run.id) == 0:
                runs.record_counts(session=session, run=run, discovered=run.discovered,
                                   skipped=run.skipped)
                runs.finish_run(session=session, run=run, error=run.error)
                closed += 1
    return closed


async def housekeeping(*, db: Database, settings: Settings, fetcher: Fetcher) -> None:
    """What a worker does between claims: take due sources, close finished passes."""
    try:
        await crawl_due_sources(db=db, settings=settings, fetcher=fetcher)
    except NewsarchiveError as exc:
        log.warning("due sources: %s", exc)
    await asyncio.to_thread(close_finished_runs, db=db)


async def work(
    *, db: Database, settings: Settings, concurrency: int | None = None,
    until_idle: bool = False, take_sources: bool = True,
    ready: Callable[[Worker], None] | None = None,
) -> None:
    """A crawl worker: due sources are discovered (each by one process), every queued URL is
    fetched. Runs until ``Worker.stop()`` (``ready`` receives the worker, e.g. to wire
    signals), or with ``until_idle`` until nothing is queued."""
    size = min(default_pool_size(), concurrency or settings.concurrency)
    pool = ExtractPool(size)
    async with Fetcher(settings) as fetcher:

        async def chores() -> None:
            if take_sources:
                await housekeeping(db=db, settings=settings, fetcher=fetcher)
            else:
                await asyncio.to_thread(close_finished_runs, db=db)

        worker = Worker(db=db, settings=settings, fetcher=fetcher, pool=pool,
                        concurrency=concurrency, housekeeping=chores)
        if ready is not None:
            ready(worker)
        try:
            await worker.run(until_idle=until_idle)
            if until_idle:
                await chores()
        finally:
            pool.close()
