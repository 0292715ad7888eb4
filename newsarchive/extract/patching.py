"""Library internals swapped for our calls only.

trafilatura and htmldate read some settings and helpers from module globals; we swap a few
of them (a leaner parser, cut fallbacks) around our own calls, so other callers in the same
process (the benchmark's bare-library baselines) keep the shipped ones. A swap is
module-wide, so each is held under a lock: one call at a time sees it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["patched"]


@contextmanager
def patched(lock: threading.Lock, swaps: Sequence[tuple[object, str, object]]) -> Iterator[None]:
    """Set each ``(module, name, value)`` for the block under ``lock``, then put the shipped
    values back. When a name is missing (a later release moved it) nothing is swapped and the
    library runs as shipped."""
    if not all(hasattr(module, name) for module, name, _ in swaps):
        yield
        return
    with lock:
        shipped = [(module, name, getattr(module, name)) for module, name, _ in swaps]
        for module, name, value in swaps:
            setattr(module, name, value)
        try:
            yield
        finally:
            for module, name, value in shipped:
                setattr(module, name, value)
