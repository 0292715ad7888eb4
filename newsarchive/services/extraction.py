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
import fcntl
import hashlib
import logging
import multiprocessing
import os
import pickle
import struct
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from newsarchive.errors import ExtractionError
from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.extract.profile import SiteProfile, as_profile, build_site_profile
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
#: profiles an extraction process keeps (least recently used out first): more than the
#: sources a worker crawls at once, so a profile crosses to a process about once an hour
PROCESS_PROFILES = 64
#: profiles the pool keeps a key for; a forgotten one gets a new key and is sent again
POOL_PROFILE_KEYS = 4 * PROCESS_PROFILES

log = logging.getLogger(__name__)

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


class ExtractionCrashed(ExtractionError):
    """The page killed its extraction process or ran past the timeout."""

    reason = "extract_crash"


#: jobs sent ahead to each extraction process: one running, one waiting in its pipe, so a
#: process that finishes a page starts the next without waiting for the event loop
JOBS_AHEAD = 2
#: pipe buffer asked for (Linux's default is 64 KB, so a 176 KB page took several trips
#: through the event loop to write; 1 MB is the unprivileged maximum)
PIPE_BYTES = 1 << 20
#: the frame header of ``multiprocessing.connection``: a message's length, big-endian
_HEADER = struct.Struct("!i")
#: a job frame is this length, the pickled (profile key, profile or None), then the pickled
#: (body, url, options without the profile)
_PART = struct.Struct("!I")


def _profile_part(key: int | None, profile: SiteProfile | None) -> bytes:
    part = pickle.dumps((key, profile), pickle.HIGHEST_PROTOCOL)
    return _PART.pack(len(part)) + part


#: the profile part of a page without a profile
_NO_PROFILE = _profile_part(None, None)


class _ProfileCache:
    """Profile keys in least-recently-used order. The pool keeps one per process that
    mirrors the process's own (same frames, same order, same bound), so it knows without
    asking which profiles the process holds."""

    def __init__(self) -> None:
        self.profiles: collections.OrderedDict[int, SiteProfile | None] = collections.OrderedDict()

    def use(self, key: int, profile: SiteProfile | None = None) -> bool:
        """Whether ``key`` was held (now the most recent); if not, it is held from now on,
        with ``profile``."""
        if key in self.profiles:
            self.profiles.move_to_end(key)
            return True
        self.profiles[key] = profile
        if len(self.profiles) > PROCESS_PROFILES:
            self.profiles.popitem(last=False)
        return False


def _read_job(frame: bytes, profiles: _ProfileCache) -> tuple[bytes, str, ExtractOptions]:
    """A job frame's (body, url, options), its profile taken from the frame or the cache."""
    (size,) = _PART.unpack_from(frame)
    key, profile = pickle.loads(frame[_PART.size:_PART.size + size])
    if key is not None:  # before anything else can fail, as the pool's mirror has it
        if profile is None:
            profile = profiles.profiles.get(key)  # the pool sends it whenever this one lacks it
        if profile is None:
            raise RuntimeError(f"extraction process: profile {key} was never sent")
        profiles.use(key, profile)
    body, url, options = pickle.loads(memoryview(frame)[_PART.size + size:])
    if profile is not None:
        options = dataclasses.replace(options, profile=profile)
    return body, url, options


def _serve(jobs: Connection, answers: Connection, owner: int, job: ExtractJob) -> None:
    """An extraction process: reads job frames (``_read_job``), answers each in order with
    (True, result) or (False, exception), until its job pipe closes."""
    _follow_owner(owner)
    profiles = _ProfileCache()
    while True:
        try:
            frame = jobs.recv_bytes()
        except EOFError:
            return
        try:
            answer = pickle.dumps((True, job(*_read_job(frame, profiles))), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 (handed to the caller, as an executor does)
            try:
                answer = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 (an exception that cannot be pickled)
                answer = pickle.dumps((False, RuntimeError(repr(exc))))
        answers.send_bytes(answer)


@dataclasses.dataclass(frozen=True)
class _Job:
    """A page for a process: its pickled (body, url, options without the profile), and the
    profile with the key it crosses under."""

    payload: bytes
    profile_key: int | None = None
    profile: SiteProfile | None = None


def _frame_head(job: _Job, held: _ProfileCache) -> bytes:
    """What goes before the job's payload: the pipe's length header and the profile part,
    with the profile itself only if the process does not hold it (``held`` mirrors it)."""
    if job.profile_key is None:
        part = _NO_PROFILE
    elif held.use(job.profile_key):
        part = _profile_part(job.profile_key, None)
    else:
        part = _profile_part(job.profile_key, job.profile)
    return _HEADER.pack(len(part) + len(job.payload)) + part


class _Died(Exception):
    """The extraction process went away with this job sent to it."""


class _Unstartable(Exception):
    """No extraction process could be started (the fork server or the process failed)."""


class _Hung(Exception):
    """The job ran past the timeout in its process (which is killed)."""


class _Answers(asyncio.Protocol):
    """The parent's end of a process's answer pipe: frames in, futures resolved in order."""

    def __init__(self, child: _Child) -> None:
        self.child = child
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            end = _HEADER.size + size
            if len(self.buffer) < end:
                return
            frame = self.buffer[_HEADER.size:end]
            del self.buffer[:end]
            self.child.answered(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        self.child.died()


class _Child:
    """One extraction process, its two pipes on the event loop, and the jobs sent to it
    (answered in the order sent)."""

    def __init__(self, pool: ExtractPool | None, job: ExtractJob, timeout: float) -> None:
        ctx = multiprocessing.get_context("forkserver")
        # the server imports the extractor once; every process forks from it warm
        ctx.set_forkserver_preload([__name__])
        jobs_in, self._jobs = ctx.Pipe(duplex=False)
        self._answers, answers_out = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, args=(jobs_in, answers_out, os.getpid(), job),
                                   daemon=True, name="newsarchive-extract")
        try:
            self.process.start()
        except BaseException:
            for conn in (jobs_in, self._jobs, self._answers, answers_out):
                conn.close()
            raise
        jobs_in.close()
        answers_out.close()
        for conn in (self._jobs, self._answers):
            with contextlib.suppress(OSError):  # Linux only; a full-size page is one write
                fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.pool = pool
        self.timeout = timeout
        self.sent: collections.deque[asyncio.Future[bytearray]] = collections.deque()
        self.profiles = _ProfileCache()  # what the process holds: it starts with none
        self.alive = True
        self._timer: asyncio.TimerHandle | None = None
        self._writer: asyncio.WriteTransport | None = None
        self._reader: asyncio.BaseTransport | None = None

    async def connect(self) -> None:
        """Hand the pipe ends to the event loop, which owns them from then on (a file of its
        own each: a Connection and a transport both closing one descriptor, as an unclosed
        pool's reference cycle does at exit, would close it twice)."""
        loop = asyncio.get_running_loop()
        answers = os.fdopen(os.dup(self._answers.fileno()), "rb", buffering=0)
        jobs = os.fdopen(os.dup(self._jobs.fileno()), "wb", buffering=0)
        self._answers.close()
        self._jobs.close()
        self._reader, _answers = await loop.connect_read_pipe(lambda: _Answers(self), answers)
        self._writer, _jobs = await loop.connect_write_pipe(asyncio.Protocol, jobs)

    def send(self, job: _Job, future: asyncio.Future[bytearray]) -> int:
        """Write the job's frame; returns the bytes written."""
        assert self._writer is not None
        self.sent.append(future)
        head = _frame_head(job, self.profiles)
        self._writer.write(head)
        self._writer.write(job.payload)
        if len(self.sent) == 1:
            self._arm()
        return len(head) + len(job.payload)

    def _arm(self) -> None:
        """The job at the head is the one running: its clock starts now (a job waiting
        behind a hung one is not timed out with it, it is tried again alone)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = (asyncio.get_running_loop().call_later(self.timeout, self._hung)
                       if self.sent else None)

    def _hung(self) -> None:
        head = self.sent.popleft()
        if not head.done():
            head.set_exception(_Hung())
        self.kill()

    def answered(self, frame: bytearray) -> None:
        future = self.sent.popleft()
        if not future.done():
            future.set_result(frame)
        self._arm()
        if self.pool is not None:
            self.pool._feed(self)

    def died(self) -> None:
        if not self.alive:
            return
        self.alive = False
        if self._timer is not None:
            self._timer.cancel()
        for future in self.sent:
            if not future.done():
                future.set_exception(_Died())
        self.sent.clear()
        if self.pool is not None:
            self.pool._lost(self)

    def kill(self) -> None:
        """Stop the process now (a hung extraction never returns by itself)."""
        self.died()
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self._jobs.close()  # before connect(), or a no-op
        self._answers.close()
        for transport in (self._writer, self._reader):
            if transport is None:
                continue
            if not transport.is_closing():
                with contextlib.suppress(RuntimeError):  # its loop is closed already
                    if isinstance(transport, asyncio.WriteTransport):
                        transport.abort()  # the unsent jobs are dropped: it is dead
                    else:
                        transport.close()
            transport.get_extra_info("pipe").close()  # a no-op once the transport did


class ExtractPool:
    """Extraction processes with a hard per-page timeout: a page that hangs or kills its
    process is failed, the process is replaced, and the other pages go on.

    Each process has a pipe of its own on the event loop (no executor threads, queues or
    hand-offs between them): a job is one frame of bytes in, one frame out, and each
    process is kept ``JOBS_AHEAD`` jobs deep so it never waits for the loop between pages.
    A page sent to a process that dies is tried again alone in a process of its own, so
    only the page that kills its process fails. The processes belong to the event loop
    that first used the pool; another loop gets new ones."""

    def __init__(self, size: int, job: ExtractJob = extract_job,
                 timeout: float = EXTRACT_TIMEOUT_SECONDS) -> None:
        self.size = max(1, size)
        self.job = job
        self.timeout = timeout
        self._children: list[_Child] = []
        self._waiting: collections.deque[tuple[_Job, asyncio.Future[bytearray]]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._starting = 0
        self._refill: asyncio.Task[None] | None = None  # referenced while it runs
        self._profile_keys: collections.OrderedDict[SiteProfile, int] = collections.OrderedDict()
        self._next_key = 0
        #: bytes of job frames written to the processes (a profile crossing shows here)
        self.sent_bytes = 0

    async def _ready(self, why: str = "fill the pool") -> None:
        """As many live processes as ``size``, on this event loop. A process that cannot be
        started is logged; the pool goes on with the others, and only with none left is it
        ``_Unstartable`` (for the caller and every page waiting)."""
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
            except _Unstartable as exc:
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
            self._feed(child)

    async def _start(self, pool: ExtractPool | None) -> _Child:
        """A new process on this loop (off it while it starts); ``_Unstartable`` if none can
        be started."""
        try:
            child = await asyncio.to_thread(_Child, pool, self.job, self.timeout)
        except Exception as exc:  # noqa: BLE001 (whatever the fork server or the OS raised)
            raise _Unstartable(f"{type(exc).__name__}: {exc}") from exc
        try:
            await child.connect()
        except Exception as exc:  # noqa: BLE001 (as above)
            child.kill()
            raise _Unstartable(f"{type(exc).__name__}: {exc}") from exc
        return child

    def _feed(self, child: _Child) -> None:
        while child.alive and len(child.sent) < JOBS_AHEAD and self._waiting:
            job, future = self._waiting.popleft()
            if not future.done():
                self.sent_bytes += child.send(job, future)

    def _lost(self, child: _Child) -> None:
        """A process died or was killed: its place is filled for the jobs still waiting."""
        if child not in self._children:
            return  # closed with the pool, or never one of its processes
        self._children.remove(child)
        if not self._loop_closed():
            self._refill = self._loop.create_task(self._replace())  # type: ignore[union-attr]

    async def _replace(self) -> None:
        """The refill after a lost process. Its failure is ours to log (``_ready`` does; a
        task nobody awaits would only be reported by asyncio, at garbage collection)."""
        with contextlib.suppress(_Unstartable):  # logged, and the waiting pages failed
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
        except _Unstartable as exc:
            raise ExtractionCrashed(f"no extraction process could be started ({exc})") from exc

    async def run(self, body: bytes, url: str,
                  options: ExtractOptions) -> tuple[ExtractedArticle, int | None]:
        job = self._job(body, url, options)
        try:
            return await self._in_pool(job)
        except _Died:
            pass
        except _Hung as exc:
            raise self._timed_out(url) from exc
        except _Unstartable as exc:
            raise self._unstartable(url, exc) from exc
        # the process died under this page or one sent to it with this one: try the page
        # alone, so only the page that kills or hangs its process fails
        try:
            alone = await self._start(None)
        except _Unstartable as exc:
            raise self._unstartable(url, exc) from exc
        future: asyncio.Future[bytearray] = asyncio.get_running_loop().create_future()
        try:
            self.sent_bytes += alone.send(job, future)
            return self._answer(await future)
        except _Died as exc:
            raise ExtractionCrashed(f"extracting {url} killed its process", url=url) from exc
        except _Hung as exc:
            raise self._timed_out(url) from exc
        finally:
            alone.kill()

    def _job(self, body: bytes, url: str, options: ExtractOptions) -> _Job:
        """The page's job: the profile goes apart, under a key kept per distinct profile
        (a source's profile is one object for an hour: its hash is cached, the match is by
        identity, so the lookup costs little)."""
        profile = as_profile(options.profile)
        if profile is None:
            payload = pickle.dumps((body, url, options), pickle.HIGHEST_PROTOCOL)
            return _Job(payload)
        payload = pickle.dumps((body, url, dataclasses.replace(options, profile=None)),
                               pickle.HIGHEST_PROTOCOL)
        key = self._profile_keys.get(profile)
        if key is None:
            key = self._next_key = self._next_key + 1
            self._profile_keys[profile] = key
            if len(self._profile_keys) > POOL_PROFILE_KEYS:
                self._profile_keys.popitem(last=False)
        else:
            self._profile_keys.move_to_end(profile)
        return _Job(payload, key, profile)

    def _timed_out(self, url: str) -> ExtractionCrashed:
        return ExtractionCrashed(f"extracting {url} took over {self.timeout:g} s", url=url)

    @staticmethod
    def _unstartable(url: str, exc: _Unstartable) -> ExtractionCrashed:
        return ExtractionCrashed(f"extracting {url}: no extraction process could be started "
                                 f"({exc})", url=url)

    async def _in_pool(self, job: _Job) -> tuple[ExtractedArticle, int | None]:
        await self._ready()
        future: asyncio.Future[bytearray] = asyncio.get_running_loop().create_future()
        self._waiting.append((job, future))
        for child in sorted(self._children, key=lambda c: len(c.sent)):
            self._feed(child)
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
