"""The near-duplicate check's window on SQLite: the latest articles' (id, SimHash) pairs, kept
in memory by each process instead of read whole for every page.

Reading the window costs ~3-4 ms a page once a deployment holds ``size`` articles (5,000
Python tuples turned into an array), more than the rest of the check. Kept in memory, a page
costs two statements SQLite answers from the ``(id, simhash)`` index: the rows newer than the
newest one held (articles stored since, by this process or any other), and a checksum of the
rows the window covers (count and sums over id and SimHash), compared with the one computed
from memory. Whatever the window cannot follow by ids alone changes the checksum and makes it
read again whole, so a reader never misses a candidate the plain query would give:
- an article deleted, or whose SimHash changed or became NULL (a new version of its text);
- ids reused after a rollback (SQLite hands out max(id) + 1 again);
- another database at the same URL (a file deleted and created again).
PostgreSQL needs none of this: it filters the window itself and only close pairs cross the
wire (services/dedup.py).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np

_NEWER = "SELECT id, simhash FROM article WHERE simhash IS NOT NULL AND id > ? ORDER BY id"
_LATEST = "SELECT id, simhash FROM article WHERE simhash IS NOT NULL ORDER BY id DESC LIMIT ?"
#: what the window must equal in the rows it covers; the id-weighted sum catches two rows
#: swapping SimHashes, which plain sums would not
_CHECKSUM = ("SELECT count(*), sum(simhash & 4294967295), sum(simhash >> 32), "
             "sum((simhash & 65535) * id) FROM article WHERE simhash IS NOT NULL AND id >= ?")
#: the lowest id of all: the window covers every row while it holds fewer than its size
_ALL = -(1 << 63)


@dataclass(frozen=True)
class _Held:
    key: str
    ids: np.ndarray  # ascending
    values: np.ndarray


def _array(rows: list[tuple[int, int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _checksum(ids: np.ndarray, values: np.ndarray) -> tuple[int, int, int, int]:
    """The ``_CHECKSUM`` of rows held in memory (SQLite's >> is arithmetic, as numpy's)."""
    return (len(ids), int((values & 0xFFFFFFFF).sum()), int((values >> 32).sum()),
            int(((values & 0xFFFF) * ids).sum()))


class SimhashWindow:
    """The ``size`` latest (id, SimHash) pairs of one SQLite database, with one more held so
    that the article being checked can be left out and ``size`` others remain."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._held: _Held | None = None
        self._lock = threading.Lock()

    def pairs(self, cursor: sqlite3.Cursor, key: str, exclude_id: int) -> np.ndarray:
        """(id, SimHash) of the ``size`` latest articles but ``exclude_id``, as an n x 2
        int64 array, oldest first; the same rows as reading them whole in this transaction.
        ``key`` names the database (its URL)."""
        # the lock guards the reference only: no statement runs under it, so a thread whose
        # read waits on the database never holds up another (each checks what it takes)
        with self._lock:
            held = self._held if self._held is not None and self._held.key == key else None
        if held is not None:
            held = self._follow(cursor, held)
        if held is None:
            rows = _array(cursor.execute(_LATEST, (self._size + 1,)).fetchall())[::-1]
            held = _Held(key, np.ascontiguousarray(rows[:, 0]), np.ascontiguousarray(rows[:, 1]))
        with self._lock:
            self._held = held
        keep = held.ids != exclude_id
        ids, values = held.ids[keep][-self._size:], held.values[keep][-self._size:]
        return np.stack([ids, values], axis=1) if len(ids) else np.zeros((0, 2), np.int64)

    def _follow(self, cursor: sqlite3.Cursor, held: _Held) -> _Held | None:
        """``held`` with the rows stored since, or None if it no longer matches the table."""
        newest = int(held.ids[-1]) if len(held.ids) else _ALL
        newer = _array(cursor.execute(_NEWER, (newest,)).fetchall())
        ids, values = held.ids, held.values
        if len(newer):
            ids = np.concatenate([ids, newer[:, 0]])[-(self._size + 1):]
            values = np.concatenate([values, newer[:, 1]])[-(self._size + 1):]
        lowest = int(ids[0]) if len(ids) > self._size else _ALL
        row = cursor.execute(_CHECKSUM, (lowest,)).fetchone()
        stored = tuple(int(v or 0) for v in row)
        if stored != _checksum(ids, values):
            return None
        return _Held(held.key, ids, values)
