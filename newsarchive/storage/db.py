"""The engine and its sessions.

SQLite gets WAL, a busy timeout and foreign keys on every connection, and write
transactions open with ``BEGIN IMMEDIATE`` so two writers queue on the busy
timeout instead of failing with "database is locked" mid-transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from newsarchive.errors import StorageError

#: how long a SQLite writer waits for another one before giving up (ms); generous because
#: the crawler and the API write concurrently and a wait is always better than an error.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_file(url: sa.engine.URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine with the project's connection habits; creates a SQLite file's folder."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_file(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create the database folder {path.parent}: {exc}") from exc
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _install_sqlite_habits(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return sa.create_engine(url, **kwargs)


def _install_sqlite_habits(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _first_line(exc: OperationalError) -> str:
    """The driver's own message ("database or disk is full"), without SQL and parameters."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else exc.__class__.__name__


class Database:
    """One engine and the sessions over it; built from settings, never at import time."""

    def __init__(self, database_url: str, **engine_kwargs: Any) -> None:
        self.url = database_url
        self.engine = make_engine(database_url, **engine_kwargs)
        self.dialect = self.engine.dialect.name
        # Writes on SQLite take the write lock up front (BEGIN IMMEDIATE).
        self._write_engine = (
            self.engine.execution_options(sqlite_immediate=True)
            if self.dialect == "sqlite"
            else self.engine
        )

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                if isinstance(exc, OperationalError):
                    # a read-only file, a full disk, a lost connection: one readable line
                    # (the CLI's exit 1, the API's 503), not a driver traceback
                    raise StorageError(f"the database refused a write: {_first_line(exc)}") from exc
                raise

    def dispose(self) -> None:
        self.engine.dispose()
