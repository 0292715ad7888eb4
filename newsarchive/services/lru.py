"""A mapping bounded to its most recently used keys.

The extraction pool keeps two: the key each distinct site profile crosses to the extraction
processes under, and (per process, mirrored on both sides of the pipe) the profiles a process
holds. Both must forget the same way, so one class serves them.
"""

from __future__ import annotations

import collections
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """At most ``bound`` keys; adding one more forgets the least recently used."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._items: collections.OrderedDict[K, V] = collections.OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[K]:
        """Least recently used first."""
        return list(self._items)

    def peek(self, key: K) -> V | None:
        """The value, without making it recent."""
        return self._items.get(key)

    def touch(self, key: K) -> bool:
        """Whether ``key`` is held; if so it is now the most recent."""
        if key not in self._items:
            return False
        self._items.move_to_end(key)
        return True

    def add(self, key: K, value: V) -> None:
        """Hold ``key`` as the most recent, forgetting the oldest beyond the bound."""
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.bound:
            self._items.popitem(last=False)
