"""Crawl workers: claim URLs from the frontier, fetch them asynchronously, extract them in a
process pool (services/extraction.py), store them.

One ``Worker`` per process (``newsarchive worker``, ``serve``'s in-process crawl, or a
foreground ``newsarchive crawl`` limited to its own pass). Fetching stays on the event
loop; extraction (CPU-bound, ~40-60 ms a real page) runs in ``ExtractPool`` on every core;
storing (a few ms, with the frontier row marked done in the same transaction) runs in a
thread, several finished pages per transaction (``PageWriter``, which lets a finished page
wait a moment for others to join its transaction): one writer per process,
so threads never queue on SQLite's write lock, whose busy handler sleeps in steps of
milliseconds. ``concurrency`` bounds the URLs in flight.

Nothing is lost: leases are renewed while a URL is worked on; a worker killed outright
leaves leases that expire and return its URLs; on SIGTERM (``stop()``) it stops claiming,
gives in-flight work ``SHUTDOWN_GRACE_SECONDS`` to finish and releases the rest. Database
errors (PostgreSQL restarting, connections killed) are retried with backoff.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from newsarchive.config import Settings
from newsarchive.errors import HTTPStatusError, NewsarchiveError, StorageError
from newsarchive.extract import ExtractOptions
from newsarchive.fetch.client import Fetcher
from newsarchive.services import recheck
from newsarchive.services.archive import PreparedPage, prepare_page, with_db_retry, write_page
from newsarchive.services.extraction import ExtractPool, SiteProfiles, body_digest
from newsarchive.services.site_rules import rules_file
from newsarchive.storage import crawls as runs
from newsarchive.storage import frontier
from newsarchive.storage.articles import SaveOutcome
from newsarchive.storage.db import Database
from newsarchive.storage.frontier import Claimed, Failure, Policy

log = logging.getLogger(__name__)
T = TypeVar("T")

#: on SIGTERM, in-flight URLs get this long to finish before their leases are released
SHUTDOWN_GRACE_SECONDS = 10.0
#: idle polling starts fast (a new pass is picked up at once) and slows to this
MAX_IDLE_POLL_SECONDS = 2.0
MIN_IDLE_POLL_SECONDS = 0.05
#: claims refill a quarter of the worker's concurrency at a time (fewer transactions)
CLAIM_BATCHES = 4
#: a worker run ``until_idle`` waits this long for URLs due again (retries, backoffs)
FOREGROUND_WAIT_SECONDS = 60.0
#: expired leases are looked for this often by each worker
REAP_SECONDS = 5.0
#: due sources and finished passes are looked for this often
HOUSEKEEPING_SECONDS = 2.0
#: finished pages written in one transaction at most
STORE_BATCH = 16
#: a page ready while fewer than STORE_BATCH are waits this long for others to join its
#: transaction. Pages finish one at a time, so without it nearly every transaction held one
#: page and paid its own BEGIN, commit (SQLite writes the page's index and FTS changes at
#: each) and hop to the writer thread: in the crawl bench (300 real pages, SQLite) ~10 pages
#: a transaction instead of ~1.03, and the crawling process's CPU 6.9 -> 5.1 ms a page.
#: 0.1 s holds a URL's lease a little longer and its concurrency slot too: at 60 pages a
#: second that is ~6 of ``concurrency``'s slots
STORE_LINGER_SECONDS = 0.1


def policy_of(settings: Settings) -> Policy:
    return Policy(lease_seconds=float(settings.lease_seconds), host_delay=settings.host_delay,
                  host_concurrency=settings.host_concurrency,
                  max_attempts=settings.max_attempts)


def failure_of(exc: NewsarchiveError) -> Failure:
    """The frontier's record of an error: reason, readable message, whether to retry."""
    reason = exc.reason
    if type(exc) is HTTPStatusError:
        reason = f"http_{exc.status}"
    retry_after = getattr(exc, "retry_after", None)
    retryable = bool(getattr(exc, "retryable", False)) or isinstance(exc, StorageError)
    return Failure(reason=reason, message=str(exc), retryable=retryable,
                   retry_after=retry_after)


@dataclass
class Result:
    """What one URL came to, for progress displays."""

    claimed: Claimed
    outcome: str  # archived, updated, unchanged, not_modified, failed, retry, lost
    reason: str | None = None


#: test-only fault injection, read by ``_fault`` (tests/hostile/test_faults_kill.py)
FAULT_ENV = "NEWSARCHIVE_TEST_FAULT"
_fault_hits: dict[str, int] = {}


def _fault(point: str) -> None:
    """Test-only: die like ``kill -9`` at a named point. ``NEWSARCHIVE_TEST_FAULT`` set to
    ``after_claim``, ``after_fetch`` or ``mid_write`` (inside the page's open write
    transaction), optionally ``:N`` for the Nth time there. Inert when unset."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name == point:
        _fault_hits[point] = _fault_hits.get(point, 0) + 1
        if _fault_hits[point] >= int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)


class PageWriter:
    """Writes finished pages, several per transaction, one batch at a time.

    A URL is done only when its article is stored: each page's frontier row is marked in the
    transaction that stores it (``PreparedPage.also``), so a crash loses whole batches, never
    a row without its article. A batch that fails (a lost insert race, a database restart, a
    page that breaks) is written again page by page, each with ``with_db_retry``, so one bad
    page fails alone."""

    def __init__(self, db: Database, batch: int = STORE_BATCH,
                 linger: float = STORE_LINGER_SECONDS) -> None:
        self.db = db
        self.batch = batch
        self.linger = linger
        self._queue: list[tuple[PreparedPage, asyncio.Future[SaveOutcome]]] = []
        self._task: asyncio.Task[None] | None = None
        self._full = asyncio.Event()

    async def write(self, page: PreparedPage) -> SaveOutcome:
        future: asyncio.Future[SaveOutcome] = asyncio.get_running_loop().create_future()
        self._queue.append((page, future))
        if len(self._queue) >= self.batch:
            self._full.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _gather(self) -> None:
        """Wait up to ``linger`` for a full batch (a page that fills one ends the wait)."""
        if len(self._queue) >= self.batch or self.linger <= 0:
            return
        self._full.clear()
        try:
            await asyncio.wait_for(self._full.wait(), self.linger)
        except TimeoutError:
            pass

    async def _drain(self) -> None:
        while self._queue:
            await self._gather()
            batch = [(p, f) for p, f in self._queue[: self.batch] if not f.cancelled()]
            del self._queue[: self.batch]
            if not batch:
                continue
            try:
                outcomes = await asyncio.to_thread(self._write_batch, [p for p, _f in batch])
            except Exception:  # noqa: BLE001 (each page is tried again alone below)
                log.debug("a batch of %d pages failed; writing them one by one", len(batch))
            else:
                for (_page, future), outcome in zip(batch, outcomes, strict=True):
                    if not future.done():
                        future.set_result(outcome)
                continue
            for page, future in batch:
                if future.cancelled():
                    continue
                try:
                    written = await asyncio.to_thread(
                        with_db_retry, functools.partial(self._write_batch, [page]),
                        what=f"store {page.result.url}")
                except Exception as exc:  # noqa: BLE001 (handed to the page's own task)
                    if not future.done():
                        future.set_exception(exc)
                else:
                    if not future.done():
                        future.set_result(written[0])

    def _write_batch(self, pages: list[PreparedPage]) -> list[SaveOutcome]:
        with self.db.write() as session:
            return [write_page(session, page) for page in pages]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Claims and processes frontier URLs until stopped (or, with ``until_idle``, until the
    queue, or its pass's share of it, is empty).

    With ``run_id`` it claims only that pass's URLs; the pass's heartbeat, which keeps other
    workers off them, is beaten by the pass's driver (``services.crawl.beating``), not here.
    """

    def __init__(
        self, *, db: Database, settings: Settings, fetcher: Fetcher,
        pool: ExtractPool, concurrency: int | None = None, run_id: int | None = None,
        name: str | None = None, on_result: Callable[[Result], None] | None = None,
        housekeeping: Callable[[], Any] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.fetcher = fetcher
        self.pool = pool
        self.concurrency = concurrency or settings.concurrency
        self.run_id = run_id
        self.name = name or worker_name()
        self.policy = policy_of(settings)
        self.on_result = on_result
        self.housekeeping = housekeeping
        self.profiles = SiteProfiles(db)
        self.site_rules = rules_file(settings.site_rules)  # shared with archive_url in serve
        self.writer = PageWriter(db)
        self._stop = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def stop(self) -> None:
        """Stop claiming; in-flight URLs finish or are released (SIGTERM lands here)."""
        self._stop.set()

    async def _db(self, action: Callable[[], T], what: str) -> T:
        return await asyncio.to_thread(with_db_retry, action, what=what)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    async def run(self, *, until_idle: bool = False) -> None:
        await self.pool.start()  # before the first claim: no lease waits for the pool
        renew = asyncio.create_task(self._renew_loop())
        idle = MIN_IDLE_POLL_SECONDS
        last_reap = last_house = 0.0
        try:
            while not self._stop.is_set():
                mono = time.monotonic()
                got: list[Claimed] = []
                try:
                    if mono - last_reap >= REAP_SECONDS:
                        last_reap = mono
                        await self._db(self._reap, "return expired leases")
                    if self.housekeeping is not None and (
                            mono - last_house >= HOUSEKEEPING_SECONDS):
                        last_house = mono
                        await self.housekeeping()
                    free = self.concurrency - len(self._tasks)
                    # a claim is a write transaction: one per few finished URLs, not per URL
                    if free >= max(1, self.concurrency // CLAIM_BATCHES) or not self._tasks:
                        got = await self._db(functools.partial(self._claim, free),
                                             "claim URLs")
                    if got:
                        _fault("after_claim")
                    for c in got:
                        self._tasks[c.id] = asyncio.create_task(self._process(c))
                    if got:
                        idle = MIN_IDLE_POLL_SECONDS
                    elif until_idle and not self._tasks and await self._db(
                            self._drained, "count pending URLs"):
                        return
                except (StorageError, SQLAlchemyError):
                    # the database is away for longer than one retry loop, or housekeeping
                    # (which does not retry) met it away: keep trying
                    log.exception("worker %s: database unavailable", self.name)
                if self._tasks:
                    await self._wait(idle)  # woken as soon as a URL finishes
                else:
                    await self._wait(await self._idle_wait(idle))
                if not got:
                    idle = min(idle * 2, MAX_IDLE_POLL_SECONDS)
        finally:
            renew.cancel()
            await self._shutdown()

    async def _wait(self, timeout: float) -> None:
        waits: list[asyncio.Future[Any]] = [*self._tasks.values()]
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait([*waits, stopper], timeout=timeout,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()

    async def _idle_wait(self, idle: float) -> float:
        """Sleep no longer than until the next queued URL (a retry, a host slot) is due."""

        def wakeup() -> datetime | None:
            with self.db.read() as session:
                return frontier.next_wakeup(session, run_id=self.run_id)

        try:
            due = await self._db(wakeup, "read the next due time")
        except StorageError:
            return idle
        if due is None:
            return idle
        return max(MIN_IDLE_POLL_SECONDS, min(idle, (due - self._now()).total_seconds()))

    def _claim(self, limit: int) -> list[Claimed]:
        with self.db.write() as session:
            return frontier.claim(session, worker=self.name, policy=self.policy, limit=limit,
                                  now=self._now(), run_id=self.run_id)

    def _reap(self) -> int:
        """Expired leases back to the queue, and the passes of dead drivers to everyone."""
        with self.db.write() as session:
            # a driver beats every third of a lease (as leases are renewed): two leases of
            # silence is a dead one, not a slow one
            runs.hand_over_abandoned(session, now=self._now(),
                                     silent_for=2 * self.policy.lease_seconds)
            return frontier.reap_expired(session, policy=self.policy, now=self._now())

    def _drained(self) -> bool:
        """Nothing left to do soon: URLs retried later than ``FOREGROUND_WAIT_SECONDS``
        from now are left to the workers (a foreground crawl does not wait out an hour's
        Retry-After)."""
        horizon = self._now() + timedelta(seconds=FOREGROUND_WAIT_SECONDS)
        with self.db.read() as session:
            return frontier.pending(session, run_id=self.run_id, due_before=horizon) == 0

    async def _renew_loop(self) -> None:
        while True:
            await asyncio.sleep(self.policy.lease_seconds / 3)
            ids = list(self._tasks)
            if not ids:
                continue

            def renew(ids: list[int] = ids) -> set[int]:
                with self.db.write() as session:
                    owned = frontier.renew(session, ids=ids, worker=self.name,
                                           policy=self.policy, now=self._now())
                    return owned | frontier.finished(
                        session, ids=[i for i in ids if i not in owned])

            try:
                owned = await self._db(renew, "renew leases")
            except StorageError:
                log.exception("worker %s: cannot renew leases", self.name)
                continue
            lost = (set(ids) - owned) & set(self._tasks)  # stored but still winding down: not lost
            if lost:
                log.warning("worker %s: lost the lease of %d URLs", self.name, len(lost))

    async def _shutdown(self) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks.values()), timeout=SHUTDOWN_GRACE_SECONDS)
        left = [i for i, t in self._tasks.items() if not t.done()]
        for i in left:
            self._tasks[i].cancel()
        if left:
            await asyncio.gather(*(self._tasks[i] for i in left), return_exceptions=True)

            def release() -> int:
                with self.db.write() as session:
                    return frontier.release(session, ids=left, worker=self.name,
                                            now=self._now())

            try:
                await self._db(release, "release leases")
            except StorageError:
                log.exception("worker %s: leases left to expire", self.name)

    async def _process(self, c: Claimed) -> None:
        try:
            delay = (c.not_before - self._now()).total_seconds()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                outcome, article_id, owned = await self._handle(c)
            except NewsarchiveError as exc:
                failure = failure_of(exc)
                state = await self._db(lambda: self._fail(c, failure), f"record {c.url}")
                said = str(exc)  # fetch errors name the URL already; say it once
                log.info("%s (%s)", said if c.url in said else f"{c.url}: {said}", state)
                self._report(Result(c, "failed" if state == "failed" else
                                    "retry" if state == "queued" else "lost", failure.reason))
                return
            if owned is None:
                owned = await self._db(lambda: self._complete(c, outcome, article_id),
                                       f"record {c.url}")
            self._report(Result(c, outcome if owned else "lost"))
        except StorageError:
            log.exception("%s: left for its lease to expire", c.url)
        finally:
            self._tasks.pop(c.id, None)

    def _report(self, result: Result) -> None:
        if self.on_result is not None:
            self.on_result(result)

    def _fail(self, c: Claimed, failure: Failure) -> str | None:
        with self.db.write() as session:
            return frontier.fail(session, row_id=c.id, worker=self.name, failure=failure,
                                 policy=self.policy, now=self._now())

    def _complete(self, c: Claimed, outcome: str, article_id: int | None) -> bool:
        with self.db.write() as session:
            return frontier.complete(session, row_id=c.id, worker=self.name, outcome=outcome,
                                     article_id=article_id, now=self._now())

    async def _handle(self, c: Claimed) -> tuple[str, int | None, bool | None]:
        """(outcome, article id, whether the lease was still ours when the row was marked
        done; None when the row is left for the caller to mark)."""
        etag = last_modified = digest = None
        if c.purpose == "recheck" and c.article_id is not None:
            article_id = c.article_id

            def conditions() -> tuple[str | None, str | None, str | None]:
                with self.db.read() as session:
                    return recheck.validators(session, article_id)

            etag, last_modified, digest = await self._db(conditions, "read validators")
        result = await self.fetcher.fetch(c.url, kind="html", etag=etag,
                                          last_modified=last_modified)
        _fault("after_fetch")
        hours = self.settings.recheck_hours
        if digest is not None and not result.not_modified and body_digest(result.body) == digest:
            # the same bytes as last time (a server without validators): nothing new, and no
            # re-extraction that a newer site profile might read differently
            result.status = 304
        if result.not_modified:
            if c.article_id is not None:
                article_id = c.article_id

                def not_modified() -> None:
                    with self.db.write() as session:
                        recheck.mark_not_modified(session, article_id, hours=hours,
                                                  now=self._now())

                await self._db(not_modified, f"record 304 of {c.url}")
            return "not_modified", c.article_id, None
        profile = await self.profiles.get(c.source_id)
        options = ExtractOptions(fetched_at=result.fetched_at, content_type=result.content_type,
                                 hints=dict(c.hints), profile=profile or frozenset(),
                                 rules=self.site_rules.for_url(result.final_url))
        extracted, simhash_value = await self.pool.run(result.body, result.final_url, options)
        owned: list[bool] = []

        def mark_done(session: Session, saved: SaveOutcome) -> None:
            owned[:] = [frontier.complete(session, row_id=c.id, worker=self.name,
                                          outcome=saved.status, article_id=saved.article.id,
                                          now=self._now())]
            _fault("mid_write")  # the page's rows are written, not yet committed

        page = prepare_page(result=result, extracted=extracted, source_id=c.source_id,
                            simhash_value=simhash_value, recheck_hours=hours, also=mark_done)
        outcome = await self.writer.write(page)
        return outcome.status, outcome.article.id, owned[0] if owned else None
