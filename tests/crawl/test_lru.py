"""BoundedLRU: what the pool and its processes forget, and in which order."""

from __future__ import annotations

from newsarchive.services.lru import BoundedLRU


def test_the_least_recently_used_key_goes_first_and_peeking_does_not_count_as_use() -> None:
    lru: BoundedLRU[str, int] = BoundedLRU(2)
    lru.add("a", 1)
    lru.add("b", 2)
    assert lru.peek("a") == 1 and lru.keys() == ["a", "b"]  # a peek leaves the order
    assert lru.touch("a") and lru.keys() == ["b", "a"]
    lru.add("c", 3)
    assert "b" not in lru and lru.keys() == ["a", "c"] and len(lru) == 2
    assert not lru.touch("b") and lru.peek("b") is None
    lru.add("a", 4)  # adding a held key refreshes it
    assert lru.keys() == ["c", "a"] and lru.peek("a") == 4
