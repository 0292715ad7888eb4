"""The in-memory window of recent SimHashes gives the rows reading them whole would give, while
other writers store, delete, change and roll back articles (a real SQLite file)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsarchive.storage.migrate import upgrade
from newsarchive.storage.simhash_window import SimhashWindow

SIZE = 20
_INSERT = ("INSERT INTO article (url, canonical_url, authors, tags, meta, text, html, "
           "word_count, content_hash, access, simhash, fetched_at, updated_at, version, "
           "extractor_version, rechecks) VALUES (?, ?, '[]', '[]', '{}', 'x', '', 1, ?, "
           "'unknown', ?, ?, ?, 1, '', 0)")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    db_path = tmp_path / "newsarchive.db"
    upgrade(f"sqlite:///{db_path}")
    return db_path


@pytest.fixture
def conns(path: Path) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    """Two connections: this process's and another writer's."""
    mine, other = sqlite3.connect(path), sqlite3.connect(path)
    try:
        yield mine, other
    finally:
        mine.close()
        other.close()


_rng = random.Random(7)


def _store(conn: sqlite3.Connection, count: int) -> list[int]:
    now = datetime.now(UTC).isoformat()
    ids = []
    for _ in range(count):
        key = f"http://w.test/{_rng.getrandbits(60)}"
        value = _rng.getrandbits(64) - (1 << 63)
        row_id = conn.execute(_INSERT, (key, key, key, value, now, now)).lastrowid
        assert row_id is not None
        ids.append(row_id)
    conn.commit()
    return ids


def _plain(conn: sqlite3.Connection, exclude: int) -> list[tuple[int, int]]:
    """The window as dedup read it before: every row, every page."""
    rows = conn.execute("SELECT id, simhash FROM article WHERE simhash IS NOT NULL AND id != ? "
                        f"ORDER BY id DESC LIMIT {SIZE}", (exclude,)).fetchall()
    return sorted(rows)


def _check(window: SimhashWindow, conn: sqlite3.Connection, exclude: int) -> None:
    got = window.pairs(conn.cursor(), "db", exclude)
    assert got.dtype == np.int64 and got.shape[1] == 2
    assert sorted(map(tuple, got.tolist())) == _plain(conn, exclude)


def test_follows_other_writers_and_stays_bounded(conns: tuple[sqlite3.Connection, ...]) -> None:
    mine, other = conns
    window = SimhashWindow(SIZE)
    _check(window, mine, 0)  # empty
    ids = _store(mine, 5)
    _check(window, mine, ids[-1])  # the article being checked is left out
    _store(other, 3)  # another process stores articles
    _check(window, mine, ids[0])
    _store(other, 40)  # past the bound: only the SIZE latest
    last = _store(mine, 1)[0]
    _check(window, mine, last)
    assert len(window.pairs(mine.cursor(), "db", last)) == SIZE
    _check(window, mine, 0)
    short = _store(mine, 2)  # without a SimHash (short texts): never candidates
    mine.execute("UPDATE article SET simhash = NULL WHERE id IN (?, ?)", short)
    mine.commit()
    _check(window, mine, 0)


def test_sees_deletions_changes_and_reused_ids(conns: tuple[sqlite3.Connection, ...]) -> None:
    mine, other = conns
    window = SimhashWindow(SIZE)
    ids = _store(mine, 30)
    _check(window, mine, 0)
    other.execute("DELETE FROM article WHERE id = ?", (ids[-3],))  # in the window: reach back
    other.commit()
    _check(window, mine, 0)
    other.execute("UPDATE article SET simhash = 12345 WHERE id = ?", (ids[-5],))  # new version
    other.commit()
    _check(window, mine, 0)
    a, b = ids[-6], ids[-7]  # two rows swapping SimHashes
    va, vb = (other.execute("SELECT simhash FROM article WHERE id = ?", (i,)).fetchone()[0]
              for i in (a, b))
    other.executemany("UPDATE article SET simhash = ? WHERE id = ?", [(vb, a), (va, b)])
    other.commit()
    _check(window, mine, 0)
    other.execute("UPDATE article SET simhash = 99 WHERE id = ?", (ids[0],))  # outside: same
    other.commit()
    _check(window, mine, 0)
    # rows stored in a transaction that rolls back: their ids are handed out again
    now = datetime.now(UTC).isoformat()
    for i in range(3):
        mine.execute(_INSERT, (f"http://r.test/{i}", f"http://r.test/{i}", f"r{i}", 1, now, now))
    _check(window, mine, 0)  # seen inside the transaction
    mine.rollback()
    _store(other, 3)
    _check(window, mine, 0)


def test_another_database_is_read_whole(conns: tuple[sqlite3.Connection, ...],
                                        tmp_path: Path) -> None:
    mine, _other = conns
    window = SimhashWindow(SIZE)
    _store(mine, 10)
    _check(window, mine, 0)
    second_path = tmp_path / "second.db"
    upgrade(f"sqlite:///{second_path}")
    second = sqlite3.connect(second_path)
    try:
        _store(second, 4)
        # the same name for another file (deleted and created again): still its own rows
        got = window.pairs(second.cursor(), "db", 0)
        assert sorted(map(tuple, got.tolist())) == _plain(second, 0)
        got = window.pairs(mine.cursor(), "db2", 0)
        assert sorted(map(tuple, got.tolist())) == _plain(mine, 0)
    finally:
        second.close()



def test_a_reader_on_an_older_snapshot_gets_its_own_rows(path: Path) -> None:
    """Two transactions of one process share its window: one that began before articles
    were stored must not be handed the rows another, newer one has taken in."""
    writer = sqlite3.connect(path)
    old, new = (sqlite3.connect(path, isolation_level=None) for _ in range(2))
    window = SimhashWindow(SIZE)
    try:
        _store(writer, 5)
        old.execute("BEGIN")
        _check(window, old, 0)  # old's snapshot starts here
        _store(writer, 3)
        _check(window, new, 0)  # the window now holds the 3 new rows
        _check(window, old, 0)  # old still sees 5 rows
        old.execute("COMMIT")
        _check(window, old, 0)
    finally:
        for conn in (writer, old, new):
            conn.close()
