"""Small httpx clients, one per host, closed when idle.

One httpx client slows sharply past ~8-16 connections in its pool (measured: 500 pages/s
at 8 connections, 160 at 32), while several small clients reach 600+. Per-host politeness
keeps a host to a few connections anyway, so each host gets its own small client.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

#: a host's client unused for this long is closed (its keep-alive connections with it)
CLIENT_IDLE_SECONDS = 60.0
#: idle clients are looked for at most this often
SWEEP_EVERY = 10.0


@dataclass
class _Entry:
    client: httpx.AsyncClient
    in_use: int = 0
    last_used: float = 0.0


class ClientPool:
    """Hands out the client of a host; closes clients nobody used for a while."""

    def __init__(self, factory: Callable[[], httpx.AsyncClient], *,
                 idle_seconds: float = CLIENT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._factory = factory
        self._idle = idle_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._last_sweep = clock()

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def client(self, key: str) -> AsyncIterator[httpx.AsyncClient]:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(self._factory())
        entry.in_use += 1
        try:
            yield entry.client
        finally:
            entry.in_use -= 1
            entry.last_used = self._clock()
        if self._clock() - self._last_sweep >= SWEEP_EVERY:
            await self.sweep()

    async def sweep(self) -> int:
        """Close the clients idle for longer than the idle time; returns how many."""
        now = self._clock()
        self._last_sweep = now
        idle = [k for k, e in self._entries.items()
                if e.in_use == 0 and now - e.last_used >= self._idle]
        for key in idle:
            entry = self._entries.pop(key)
            await entry.client.aclose()
        return len(idle)

    async def aclose(self) -> None:
        entries, self._entries = self._entries, {}
        for entry in entries.values():
            await entry.client.aclose()
