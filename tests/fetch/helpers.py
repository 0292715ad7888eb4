"""Shared bits of the fetch tests: settings without a database, running a coroutine."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from newsarchive.config import Settings
from newsarchive.fetch.client import Fetcher
from tests.sites import LocalSite

T = TypeVar("T")


def fetch_settings(**overrides: Any) -> Settings:
    """Settings for fetching from local servers (nothing here touches a database)."""
    values: dict[str, Any] = {
        "database_url": "sqlite://",
        "allow_private_networks": True,
        "host_delay": 0.0,
        "total_timeout": 10.0,
        "read_timeout": 5.0,
        "connect_timeout": 2.0,
    }
    values.update(overrides)
    return Settings(**values)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def fetch_with(settings: Settings, url: str, **kwargs: Any) -> Any:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(url, **kwargs)


@contextmanager
def local_site(host: str = "127.0.0.1", port: int = 0) -> Iterator[LocalSite]:
    site = LocalSite(host=host, port=port).start()
    try:
        yield site
    finally:
        site.stop()


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]
