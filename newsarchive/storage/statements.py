"""Statements the write path runs for every page, compiled once a dialect and run on the
DB-API cursor of the session's connection (inside its transaction).

SQLAlchemy's per-execute machinery (execution context, result object, events) costs ~0.03 ms
CPU a statement (the frontier's "done" UPDATE on SQLite: 0.044 ms through ``execute``, 0.013
ms here), a few times what SQLite takes to run a small one. A ``Direct`` statement
keeps what makes rows the same as SQLAlchemy writes them: the SQL SQLAlchemy compiles for
the dialect (its parameter style, bind casts and RETURNING) and the dialect's bind
processors (JSON, datetimes on SQLite), applied to the values here. Rows come back as the
driver gives them (no result processing): read plain ids and counts only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

T = TypeVar("T")


class NotDirect(ValueError):
    """The statement needs SQLAlchemy's execution (defaults it would compute, expanding
    parameters): run it with ``Connection.execute``."""


@dataclass(frozen=True)
class _Form:
    """A statement as one dialect runs it."""

    sql: str
    order: tuple[str, ...] | None  # parameter names in order (positional styles), else None
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    fixed: dict[str, Any]  # the values written into the statement (``.values(state="done")``)


class Direct:
    """A Core statement run on the DB-API cursor. ``keys`` are the parameters every call
    gives (an INSERT's columns); each call must give all of them."""

    def __init__(self, statement: ClauseElement, keys: Sequence[str] = ()) -> None:
        self.statement = statement
        self.keys = tuple(keys)
        self._forms: dict[str, _Form] = {}

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms[dialect.name] = self._compile(dialect)
        return form

    def _compile(self, dialect: Dialect) -> _Form:
        compiled: Any = self.statement.compile(
            dialect=dialect, column_keys=list(self.keys) if self.keys else None)
        if compiled.insert_prefetch or compiled.update_prefetch or any(
                b.expanding for b in compiled.binds.values()):
            raise NotDirect(f"not a direct statement: {compiled.string[:80]}")
        order = tuple(compiled.positiontup) if compiled.positional else None
        processors = tuple((name, fn) for name, fn in compiled._bind_processors.items()
                           if fn is not None)
        fixed = {name: bind.effective_value for bind, name in compiled.bind_names.items()
                 if not bind.required}
        return _Form(compiled.string, order, processors, fixed)

    def _params(self, form: _Form, values: Mapping[str, Any]) -> Any:
        if form.fixed:
            values = {**form.fixed, **values}
        if form.processors:
            values = dict(values)
            for name, process in form.processors:
                if name in values:
                    values[name] = process(values[name])
        if form.order is None:
            return values
        return tuple(values[name] for name in form.order)

    def _run(self, conn: sa.Connection, params: Any, fetch: Callable[[Any], T], *,
             many: bool = False) -> T:
        form = self._form(conn.dialect)
        args = ([self._params(form, row) for row in params] if many
                else self._params(form, params))
        cursor = None
        try:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            (cursor.executemany if many else cursor.execute)(form.sql, args)
            return fetch(cursor)
        except Exception as exc:
            # what ``Connection.execute`` does: the error wrapped in SQLAlchemy's classes (the
            # driver's kept as ``.orig``: the retry loop reads it), a lost connection
            # invalidated so the pool does not hand it out again
            conn._handle_dbapi_exception(exc, form.sql, args, cursor, None)
        finally:
            if cursor is not None:
                with suppress(Exception):
                    cursor.close()

    def run(self, conn: sa.Connection, values: Mapping[str, Any]) -> None:
        self._run(conn, values, _nothing)

    def many(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._run(conn, rows, _nothing, many=True)

    def count(self, conn: sa.Connection, values: Mapping[str, Any]) -> int:
        """Rows an UPDATE or DELETE changed."""
        return self._run(conn, values, _rowcount)

    def rows(self, conn: sa.Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows a query (or an INSERT ... RETURNING) gives, as plain tuples."""
        return self._run(conn, values, _all)

    def scalar(self, conn: sa.Connection, values: Mapping[str, Any]) -> Any:
        """The first column of the first row, or None."""
        found = self.rows(conn, values)
        return found[0][0] if found else None


def _nothing(_cursor: Any) -> None:
    return None


def _rowcount(cursor: Any) -> int:
    return int(cursor.rowcount)


def _all(cursor: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in cursor.fetchall()]
