"""One extraction process of ``ExtractPool``: the frames it reads and answers, its pipes on
the event loop, and the profiles it holds.

A job frame is the pipe's length header, the profile part (the profile's key, and the
profile itself only when the process does not hold it yet) and the pickled (body, url,
options without the profile). The pool keeps, per process, a mirror of the profiles the
process holds, so a profile crosses to each process once.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import fcntl
import multiprocessing
import os
import pickle
import struct
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from newsarchive.extract import ExtractedArticle, ExtractOptions
from newsarchive.extract.profile import SiteProfile
from newsarchive.services.lru import BoundedLRU

if TYPE_CHECKING:
    from newsarchive.services.extraction import ExtractPool


#: how often an extraction process checks that the worker owning it is still alive
OWNER_POLL_SECONDS = 1.0
#: profiles an extraction process keeps (least recently used out first): more than the
#: sources a worker crawls at once, so a profile crosses to a process about once an hour
PROCESS_PROFILES = 64
#: what the fork server imports once, so that every process forks from it warm: the
#: module of the default job, which imports the extractor and this module
PRELOAD = ["newsarchive.services.extraction"]

ExtractJob = Callable[[bytes, str, ExtractOptions], tuple[ExtractedArticle, int | None]]


def follow_owner(owner: int) -> None:
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


class ProfileCache(BoundedLRU[int, "SiteProfile | None"]):
    """Profile keys in least-recently-used order. The pool keeps one per process that
    mirrors the process's own (same frames, same order, same bound), so it knows without
    asking which profiles the process holds."""

    def __init__(self) -> None:
        super().__init__(PROCESS_PROFILES)

    def use(self, key: int, profile: SiteProfile | None = None) -> bool:
        """Whether ``key`` was held (now the most recent); if not, it is held from now on,
        with ``profile``."""
        if self.touch(key):
            return True
        self.add(key, profile)
        return False


@dataclasses.dataclass(frozen=True)
class Job:
    """A page for a process: its pickled (body, url, options without the profile), and the
    profile with the key it crosses under."""

    payload: bytes
    profile_key: int | None = None
    profile: SiteProfile | None = None


def frame_head(job: Job, held: ProfileCache) -> bytes:
    """What goes before the job's payload: the pipe's length header and the profile part,
    with the profile itself only if the process does not hold it (``held`` mirrors it)."""
    if job.profile_key is None:
        part = _NO_PROFILE
    elif held.use(job.profile_key):
        part = _profile_part(job.profile_key, None)
    else:
        part = _profile_part(job.profile_key, job.profile)
    return _HEADER.pack(len(part) + len(job.payload)) + part


def read_job(frame: bytes, profiles: ProfileCache) -> tuple[bytes, str, ExtractOptions]:
    """A job frame's (body, url, options), its profile taken from the frame or the cache."""
    (size,) = _PART.unpack_from(frame)
    key, profile = pickle.loads(frame[_PART.size:_PART.size + size])
    if key is not None:  # before anything else can fail, as the pool's mirror has it
        if profile is None:
            profile = profiles.peek(key)  # the pool sends it whenever this one lacks it
        if profile is None:
            raise RuntimeError(f"extraction process: profile {key} was never sent")
        profiles.use(key, profile)
    body, url, options = pickle.loads(memoryview(frame)[_PART.size + size:])
    if profile is not None:
        options = dataclasses.replace(options, profile=profile)
    return body, url, options


def serve(jobs: Connection, answers: Connection, owner: int, job: ExtractJob) -> None:
    """An extraction process: reads job frames (``read_job``), answers each in order with
    (True, result) or (False, exception), until its job pipe closes."""
    follow_owner(owner)
    profiles = ProfileCache()
    while True:
        try:
            frame = jobs.recv_bytes()
        except EOFError:
            return
        try:
            answer = pickle.dumps((True, job(*read_job(frame, profiles))), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 (handed to the caller, as an executor does)
            try:
                answer = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 (an exception that cannot be pickled)
                answer = pickle.dumps((False, RuntimeError(repr(exc))))
        answers.send_bytes(answer)


class Died(Exception):
    """The extraction process went away with this job sent to it."""


class Unstartable(Exception):
    """No extraction process could be started (the fork server or the process failed)."""


class Hung(Exception):
    """The job ran past the timeout in its process (which is killed)."""


class _Answers(asyncio.Protocol):
    """The parent's end of a process's answer pipe: frames in, futures resolved in order."""

    def __init__(self, child: Child) -> None:
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


class Child:
    """One extraction process, its two pipes on the event loop, and the jobs sent to it
    (answered in the order sent)."""

    def __init__(self, pool: ExtractPool | None, job: ExtractJob, timeout: float) -> None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        jobs_in, self._jobs = ctx.Pipe(duplex=False)
        self._answers, answers_out = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=serve, args=(jobs_in, answers_out, os.getpid(), job),
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
        self.profiles = ProfileCache()  # what the process holds: it starts with none
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

    def send(self, job: Job, future: asyncio.Future[bytearray]) -> int:
        """Write the job's frame; returns the bytes written."""
        assert self._writer is not None
        self.sent.append(future)
        head = frame_head(job, self.profiles)
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
            head.set_exception(Hung())
        self.kill()

    def answered(self, frame: bytearray) -> None:
        future = self.sent.popleft()
        if not future.done():
            future.set_result(frame)
        self._arm()
        if self.pool is not None:
            self.pool.feed(self)

    def died(self) -> None:
        if not self.alive:
            return
        self.alive = False
        if self._timer is not None:
            self._timer.cancel()
        for future in self.sent:
            if not future.done():
                future.set_exception(Died())
        self.sent.clear()
        if self.pool is not None:
            self.pool.lost(self)

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
