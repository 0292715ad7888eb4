"""The per-host gate: spacing, per-host and global concurrency, and Retry-After backoff.

Every request goes through ``HostGate.slot(host, delay)``. Start times to one host are
reserved one after the other, each at least ``delay`` after the previous one (the gate
hands out the times, so spacing holds however many tasks ask at once); at most
``per_host`` requests to a host are in flight; at most ``total`` in the process. The
global slot is taken only once a request may start, so a slow host never holds slots
that other hosts could use. A 429/503 records a backoff for the host: later requests
wait it out, or, when the wait is long, fail at once with ``HostBackingOff`` so the
frontier can reschedule them instead of holding a worker.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from newsarchive.errors import HostBackingOff

#: a Retry-After longer than this is capped (a hostile or broken server must not park a host
#: for days); the frontier still sees the value the server asked for
MAX_BACKOFF = 3600.0
#: backoff after a 429/503 that names no Retry-After; doubles with each one in a row
DEFAULT_BACKOFF = 5.0
#: a request waits in-process for a backoff up to this long; longer ones fail fast
MAX_INLINE_WAIT = 30.0
#: hosts forgotten after this long without a request (their state is then the default)
HOST_IDLE_FORGET = 600.0


@dataclass
class _Host:
    sem: asyncio.Semaphore
    next_start: float = 0.0
    backoff_until: float = 0.0
    backoff_status: int = 429
    strikes: int = 0
    last_used: float = 0.0
    last_start: float = float("-inf")
    in_flight: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostGate:
    """In-process politeness for one Fetcher (one worker process)."""

    def __init__(self, *, per_host: int, total: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_host = per_host
        self._global = asyncio.Semaphore(total)
        self._hosts: dict[str, _Host] = {}
        self._clock = clock

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            self._forget_idle()
            state = self._hosts[host] = _Host(sem=asyncio.Semaphore(self.per_host))
        return state

    def _forget_idle(self) -> None:
        now = self._clock()
        for name, state in list(self._hosts.items()):
            if (state.in_flight == 0 and now - state.last_used > HOST_IDLE_FORGET
                    and state.backoff_until < now):
                del self._hosts[name]

    def backoff_remaining(self, host: str) -> float:
        state = self._hosts.get(host)
        if state is None:
            return 0.0
        return max(0.0, state.backoff_until - self._clock())

    def record_backoff(self, host: str, status: int, retry_after: float | None) -> float:
        """Remember that ``host`` asked us to wait; returns the wait recorded."""
        state = self._host(host)
        state.strikes += 1
        if retry_after is None:
            wait = DEFAULT_BACKOFF * 2 ** min(state.strikes - 1, 10)
        else:
            wait = retry_after
        wait = min(max(wait, 0.0), MAX_BACKOFF)
        state.backoff_until = max(state.backoff_until, self._clock() + wait)
        state.backoff_status = status
        return wait

    def answered(self, host: str, delay: float) -> None:
        """The host's answer has begun, so it has our request: the next one waits ``delay``
        from now. (Counting from the send alone would let a slow connect shorten the gap
        the server sees.)"""
        state = self._hosts.get(host)
        if state is not None:
            now = self._clock()
            state.last_start = max(state.last_start, now)
            state.next_start = max(state.next_start, now + delay)

    def record_success(self, host: str) -> None:
        state = self._hosts.get(host)
        if state is not None:
            state.strikes = 0

    def _too_long(self, host: str, state: _Host, wait: float, url: str | None) -> HostBackingOff:
        return HostBackingOff(
            f"{host} asked us to wait (HTTP {state.backoff_status}); {wait:.0f} s left",
            status=state.backoff_status, url=url, retry_after=wait,
        )

    async def _reserve(self, host: str, state: _Host, delay: float, url: str | None) -> None:
        """Wait for this request's start time: after the backoff and ``delay`` after the last."""
        while True:
            async with state.lock:
                now = self._clock()
                backoff = state.backoff_until - now
                if backoff > MAX_INLINE_WAIT:
                    raise self._too_long(host, state, backoff, url)
                if backoff <= 0:
                    start = max(now, state.next_start)
                    state.next_start = start + delay
            if backoff > 0:
                await asyncio.sleep(backoff)
                continue
            if start > now:
                await asyncio.sleep(start - now)
            if state.backoff_until <= self._clock():
                return
            # a 429/503 arrived while we slept: take a new place after its backoff

    @asynccontextmanager
    async def slot(self, host: str, delay: float, *, url: str | None = None) -> AsyncIterator[None]:
        """Hold a request slot for ``host``; entered no sooner than the host's rules allow."""
        state = self._host(host)
        state.in_flight += 1
        try:
            async with state.sem:
                await self._reserve(host, state, delay, url)
                async with self._global:
                    # the global slot may have come late: keep the spacing to the last start
                    while (gap := state.last_start + delay - self._clock()) > 0:
                        await asyncio.sleep(gap)
                    state.last_start = state.last_used = self._clock()
                    yield
        finally:
            state.in_flight -= 1
            state.last_used = self._clock()
