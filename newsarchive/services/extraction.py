"""Extraction in a process pool, on every core, with the site's boilerplate profile.

Extraction is CPU-bound (40-60 ms a real page) and runs in ``ExtractPool``: a process
pool with a hard per-page timeout, where a page that hangs or kills its process fails
alone. ``SiteProfiles`` learns each source's repeated blocks from its recent captures
(``extract.profile.build_site_profile``) and hands them to the extractor; a profile
crosses to each extraction process once, and later pages name it by a key.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hashlib
import logging
import pickle
import time

from newsarchive.errors import ExtractionError
from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.extract.profile import SiteProfile, as_profile, build_site_profile
from newsarchive.services import dedup
from newsarchive.services.extract_process import (
    JOBS_AHEAD,
    PROCESS_PROFILES,
    Child,
    Died,
    ExtractJob,
    Hung,
    Job,
    Unstartable,
)
from newsarchive.services.lru import BoundedLRU
from newsarchive.storage.articles import recent_capture_bodies
from newsarchive.storage.db import Database

#: a page whose extraction takes longer than this is failed and its child process killed
EXTRACT_TIMEOUT_SECONDS = 30.0
#: captures a source's profile is learnt from
PROFILE_PAGES = 20
#: how long a learnt profile is used before it is learnt again
PROFILE_TTL_SECONDS = 3600.0
#: profiles the pool keeps a key for; a forgotten one gets a new key and is sent again
POOL_PROFILE_KEYS = 4 * PROCESS_PROFILES

log = logging.getLogger(__name__)


def extract_job(body: bytes, url: str, options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
    """What a pool process runs: the extraction and the text's SimHash (both CPU-bound)."""
    extracted = extract(body, url, options)
    return extracted, (dedup.simhash(extracted.text) if extracted.is_article else None)


class ExtractionCrashed(ExtractionError):
    """The page killed its extraction process or ran past the timeout."""

    reason = "extract_crash"


class ExtractPool:
    """Extraction processes with a hard per-page timeout: a page that hangs or kills its
    process is failed, the process is replaced, and the other pages go on.

    Each process has a pipe of its own on the event loop (no executor threads, queues or
    hand-offs between them): a job is one frame of bytes in, one frame out, and each
    process is kept ``JOBS_AHEAD`` jobs deep so it never waits for the loop between pages.
    A page sent to a process that dies is tried again alone in a process of its own, so
    only the page that kills its process fails. A process that cannot be started is logged
    and the pages left without one fail with ExtractionCrashed. The processes belong to the
    event loop that first used the pool; another loop gets new ones. One process, its
    frames and the profiles it holds: ``extract_process``."""

    def __init__(self, size: int, job: ExtractJob = extract_job,
                 timeout: float = EXTRACT_TIMEOUT_SECONDS) -> None:
        self.size = max(1, size)
        self.job = job
        self.timeout = timeout
        self._children: list[Child] = []
        self._waiting: collections.deque[tuple[Job, asyncio.Future[bytearray]]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._starting = 0
        self._refill: asyncio.Task[None] | None = None  # referenced while it runs
        self._profile_keys: BoundedLRU[SiteProfile, int] = BoundedLRU(POOL_PROFILE_KEYS)
        self._next_key = 0
        #: bytes of job frames written to the processes (a profile crossing shows here)
        self.sent_bytes = 0

    async def _ready(self, why: str = "fill the pool") -> None:
        """As many live processes as ``size``, on this event loop. A process that cannot be
        started is logged; the pool goes on with the others, and only with none left is it
        ``Unstartable`` (for the caller and every page waiting)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self.close()
            self._loop = loop
        while len(self._children) + self._starting < self.size:
            # the first start launches the fork server, which imports the extractor (seconds
            # on a busy machine): off the loop, so claimed leases are renewed meanwhile
            self._starting += 1
            try:
                child = await self._start(self)
            except Unstartable as exc:
                self._starting -= 1
                log.error("extraction pool: could not start an extraction process to %s "
                          "(%d of %d running): %s", why, len(self._children), self.size, exc,
                          exc_info=exc.__cause__)
                if self._children or self._starting:
                    return  # the others take the pages meanwhile
                self._fail_waiting(exc)
                raise
            self._starting -= 1
            if self._loop is not loop:  # closed meanwhile
                child.kill()
                return
            self._children.append(child)
            self.feed(child)

    async def _start(self, pool: ExtractPool | None) -> Child:
        """A new process on this loop (off it while it starts); ``Unstartable`` if none can
        be started."""
        try:
            child = await asyncio.to_thread(Child, pool, self.job, self.timeout)
        except Exception as exc:  # noqa: BLE001 (whatever the fork server or the OS raised)
            raise Unstartable(f"{type(exc).__name__}: {exc}") from exc
        try:
            await child.connect()
        except Exception as exc:  # noqa: BLE001 (as above)
            child.kill()
            raise Unstartable(f"{type(exc).__name__}: {exc}") from exc
        return child

    def feed(self, child: Child) -> None:
        """Keep ``child`` ``JOBS_AHEAD`` jobs deep (it calls this after each answer)."""
        while child.alive and len(child.sent) < JOBS_AHEAD and self._waiting:
            job, future = self._waiting.popleft()
            if not future.done():
                self.sent_bytes += child.send(job, future)

    def lost(self, child: Child) -> None:
        """A process died or was killed: its place is filled for the jobs still waiting."""
        if child not in self._children:
            return  # closed with the pool, or never one of its processes
        self._children.remove(child)
        if not self._loop_closed():
            self._refill = self._loop.create_task(self._replace())  # type: ignore[union-attr]

    async def _replace(self) -> None:
        """The refill after a lost process. Its failure is ours to log (``_ready`` does; a
        task nobody awaits would only be reported by asyncio, at garbage collection)."""
        with contextlib.suppress(Unstartable):  # logged, and the waiting pages failed
            await self._ready("replace a lost one")

    def _fail_waiting(self, exc: BaseException) -> None:
        for _job, future in self._waiting:
            if not future.done():
                future.set_exception(exc)
        self._waiting.clear()

    def _loop_closed(self) -> bool:
        return self._loop is None or self._loop.is_closed()

    async def start(self) -> None:
        """Start the processes before the first page (see ``_ready``); ExtractionCrashed if
        not one can be started."""
        try:
            await self._ready()
        except Unstartable as exc:
            raise ExtractionCrashed(f"no extraction process could be started ({exc})") from exc

    async def run(self, body: bytes, url: str,
                  options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
        job = self._job(body, url, options)
        try:
            return await self._in_pool(job)
        except Died:
            pass
        except Hung as exc:
            raise self._timed_out(url) from exc
        except Unstartable as exc:
            raise self._unstartable(url, exc) from exc
        # the process died under this page or one sent to it with this one: try the page
        # alone, so only the page that kills or hangs its process fails
        try:
            alone = await self._start(None)
        except Unstartable as exc:
            raise self._unstartable(url, exc) from exc
        future: asyncio.Future[bytearray] = asyncio.get_running_loop().create_future()
        try:
            self.sent_bytes += alone.send(job, future)
            return self._answer(await future)
        except Died as exc:
            raise ExtractionCrashed(f"extracting {url} killed its process", url=url) from exc
        except Hung as exc:
            raise self._timed_out(url) from exc
        finally:
            alone.kill()

    def _job(self, body: bytes, url: str, options: ExtractOptions) -> Job:
        """The page's job: the profile goes apart, under a key kept per distinct profile
        (a source's profile is one object for an hour: its hash is cached, the match is by
        identity, so the lookup costs little)."""
        profile = as_profile(options.profile)
        if profile is None:
            payload = pickle.dumps((body, url, options), pickle.HIGHEST_PROTOCOL)
            return Job(payload)
        payload = pickle.dumps((body, url, dataclasses.replace(options, profile=None)),
                               pickle.HIGHEST_PROTOCOL)
        key = self._profile_keys.peek(profile)
        if key is None:
            key = self._next_key = self._next_key + 1
            self._profile_keys.add(profile, key)
        else:
            self._profile_keys.touch(profile)
        return Job(payload, key, profile)

    def _timed_out(self, url: str) -> ExtractionCrashed:
        return ExtractionCrashed(f"extracting {url} took over {self.timeout:g} s", url=url)

    @staticmethod
    def _unstartable(url: str, exc: Unstartable) -> ExtractionCrashed:
        return ExtractionCrashed(f"extracting {url}: no extraction process could be started "
                                 f"({exc})", url=url)

    async def _in_pool(self, job: Job) -> tuple[ExtractedArticle, int | None]:
        await self._ready()
        future: asyncio.Future[bytearray] = asyncio.get_running_loop().create_future()
        self._waiting.append((job, future))
        for child in sorted(self._children, key=lambda c: len(c.sent)):
            self.feed(child)
        try:
            return self._answer(await future)
        finally:
            future.cancel()  # a job not sent yet is not sent (a no-op once answered)

    @staticmethod
    def _answer(frame: bytearray) -> tuple[ExtractedArticle, int | None]:
        ok, value = pickle.loads(frame)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self._refill is not None and not self._loop_closed():
            self._refill.cancel()
        children, self._children = self._children, []
        for child in children:
            child.kill()
        for _frame, future in self._waiting:
            if not future.done():
                future.cancel()
        self._waiting.clear()
        self._loop = None


class SiteProfiles:
    """Each source's boilerplate profile, built from its latest captures and kept for
    ``PROFILE_TTL_SECONDS`` (a template changes rarely; a new one is learnt within the hour).
    """

    def __init__(self, db: Database, ttl: float = PROFILE_TTL_SECONDS) -> None:
        self.db = db
        self.ttl = ttl
        self._cache: dict[int, tuple[float, SiteProfile]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def _build(self, source_id: int) -> SiteProfile:
        with self.db.read() as session:
            pages = recent_capture_bodies(session, source_id=source_id, limit=PROFILE_PAGES)
        return build_site_profile(pages)

    async def get(self, source_id: int | None) -> SiteProfile | None:
        if source_id is None:
            return None
        lock = self._locks.setdefault(source_id, asyncio.Lock())
        async with lock:
            cached = self._cache.get(source_id)
            if cached is not None and cached[0] > time.monotonic():
                return cached[1] or None
            try:
                profile = await asyncio.to_thread(self._build, source_id)
            except Exception:  # noqa: BLE001 (no profile is a fine profile)
                profile = SiteProfile()
            self._cache[source_id] = (time.monotonic() + self.ttl, profile)
            return profile or None


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
