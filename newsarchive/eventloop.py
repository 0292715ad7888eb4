"""The event loop the commands run on: uvloop where it is installed (the loop uvicorn
already gives ``serve``, so its in-process crawl and a ``crawl``/``worker`` process run
on the same one), asyncio's own elsewhere.

Why: the crawling process's event loop (sockets, the extraction processes' pipes, the
storage threads' hand-offs) is a good part of its own CPU, which competes with extraction
for the cores; uvloop does that work in C.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, on uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover  (uvicorn[standard] installs it, not on Windows)
        return asyncio.run(main)
    return uvloop.run(main)
