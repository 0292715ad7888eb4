"""Extraction in a process pool, on every core, with the site's boilerplate profile.

Extraction is CPU-bound (40-60 ms a real page) and runs in ``ExtractPool``: a process
pool with a hard per-page timeout, where a page that hangs or kills its process fails
alone. ``SiteProfiles`` learns each source's repeated blocks from its recent captures
(``extract.profile.build_site_profile``) and hands them to the extractor.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable

from newsarchive.errors import ExtractionError
from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.extract.profile import SiteProfile, build_site_profile
from newsarchive.services import dedup
from newsarchive.storage.articles import recent_capture_bodies
from newsarchive.storage.db import Database

#: a page whose extraction takes longer than this is failed and its child process killed
EXTRACT_TIMEOUT_SECONDS = 30.0
#: captures a source's profile is learnt from
PROFILE_PAGES = 20
#: how long a learnt profile is used before it is learnt again
PROFILE_TTL_SECONDS = 3600.0
#: how often an extraction process checks that the worker owning it is still alive
OWNER_POLL_SECONDS = 1.0

ExtractJob = Callable[[bytes, str, ExtractOptions], tuple[ExtractedArticle, int | None]]


def extract_job(body: bytes, url: str, options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
    """What a pool process runs: the extraction and the text's SimHash (both CPU-bound)."""
    extracted = extract(body, url, options)
    return extracted, (dedup.simhash(extracted.text) if extracted.is_article else None)


def _follow_owner(owner: int) -> None:
    """Pool initializer: the process exits once the worker that owns the pool is gone. A
    worker killed with SIGKILL cannot shut its pool down, and its children (which hold both
    ends of the pool's queue) would otherwise wait forever, with the fork server."""

    def watch() -> None:
        while True:
            time.sleep(OWNER_POLL_SECONDS)
            try:
                os.kill(owner, 0)
            except (ProcessLookupError, PermissionError):  # gone (or the pid reused)
                os._exit(0)

    threading.Thread(target=watch, name="follow-owner", daemon=True).start()


def _ping() -> None:
    """A job that does nothing: starts a pool's processes."""


class ExtractionCrashed(ExtractionError):
    """The page killed its extraction process or ran past the timeout."""

    reason = "extract_crash"


class ExtractPool:
    """A process pool with a hard per-page timeout: a page that hangs or kills its child is
    failed, the pool is replaced, and the other pages go on in the new one."""

    def __init__(self, size: int, job: ExtractJob = extract_job,
                 timeout: float = EXTRACT_TIMEOUT_SECONDS) -> None:
        self.size = max(1, size)
        self.job = job
        self.timeout = timeout
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._generation = 0

    def _new_pool(self, size: int) -> concurrent.futures.ProcessPoolExecutor:
        # forkserver: children never inherit the event loop's threads or sockets
        ctx = multiprocessing.get_context("forkserver")
        # the server imports the extractor once; every child forks from it warm
        ctx.set_forkserver_preload([__name__])
        return concurrent.futures.ProcessPoolExecutor(
            size, mp_context=ctx, initializer=_follow_owner, initargs=(os.getpid(),))

    def _get(self) -> tuple[concurrent.futures.ProcessPoolExecutor, int]:
        if self._pool is None:
            self._pool = self._new_pool(self.size)
            self._generation += 1
        return self._pool, self._generation

    def _replace(self, generation: int) -> None:
        if self._pool is None or generation != self._generation:
            return  # someone replaced it already
        pool, self._pool = self._pool, None
        _kill(pool)

    async def _in(self, pool: concurrent.futures.ProcessPoolExecutor, body: bytes, url: str,
                  options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
        future = asyncio.get_running_loop().run_in_executor(pool, self.job, body, url, options)
        return await asyncio.wait_for(future, self.timeout)

    async def start(self) -> None:
        """Start the pool's processes off the event loop: the first start imports the
        extractor in the fork server (seconds on a busy machine), and a blocked loop would
        let claimed leases run out."""

        def warm() -> None:
            pool, _generation = self._get()
            for future in [pool.submit(_ping) for _ in range(self.size)]:
                future.result()

        await asyncio.to_thread(warm)

    async def run(self, body: bytes, url: str,
                  options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
        pool, generation = self._get()
        try:
            return await self._in(pool, body, url, options)
        except TimeoutError as exc:
            self._replace(generation)
            raise ExtractionCrashed(f"extracting {url} took over {self.timeout:g} s",
                                    url=url) from exc
        except concurrent.futures.process.BrokenProcessPool:
            self._replace(generation)
        # the pool broke under this page or a neighbour: try it alone, so only the page
        # that kills its process fails and its neighbours go on
        alone = self._new_pool(1)
        try:
            return await self._in(alone, body, url, options)
        except TimeoutError as exc:
            raise ExtractionCrashed(f"extracting {url} took over {self.timeout:g} s",
                                    url=url) from exc
        except concurrent.futures.process.BrokenProcessPool as exc:
            raise ExtractionCrashed(f"extracting {url} killed its process", url=url) from exc
        finally:
            _kill(alone)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _kill(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop a pool now, children included (a hung extraction never returns by itself)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


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
