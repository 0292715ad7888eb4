"""The hot path's reads on PostgreSQL without a thread: psycopg's AsyncConnection.

The list and the detail run the same cached statements as :mod:`read_plans` (compiled
once per shape, decoded the same way), but from a ``psycopg_pool.AsyncConnectionPool``
on the event loop: no hop to the thread pool and back per request (~0.1-0.2 ms, and a
thread-pool queue under load), and an unreachable server still cannot freeze the loop
(the wait for a connection is bounded; a dead one is dropped and the read retried once,
as on the sync path). Connections are in autocommit, so psycopg keeps its prepared
statements (a ROLLBACK would drop them): one round trip of a prepared statement a read.

Plans: a prepared statement that PostgreSQL plans "custom" (again, for its values) on every
execution costs the server ~0.05-0.1 ms of CPU each time, on the same two cores that
serve the requests; with ``LIMIT $n`` its generic plan looks ~400x dearer than a custom
one, so PostgreSQL never switches by itself. The pool's sessions therefore use generic
plans (``plan_cache_mode=force_generic_plan``), planned once per connection, for the
statements whose best plan does not depend on their values: an article by id, and
unfiltered pages, which walk the sort index from the top or from the cursor whatever
the values. A filtered page (language, source, dates) is sent with its values bound by
psycopg on the client (a simple query: PostgreSQL plans it for those values every time,
whatever ``plan_cache_mode`` says; an unnamed server-side statement would get the generic
plan too): a language no article has is read from its index in ~0.2 ms, where the
generic plan walks the whole sort index (~100 ms at 100k articles, measured).

The pool belongs to the app (opened in its lifespan, closed with it): it is bound to the
event loop that serves requests.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from newsarchive.errors import StorageError
from newsarchive.storage import article_lists, article_query, article_reads, paging, read_plans
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)

#: how long a read waits for a pooled connection before answering 503: a server that is
#: down or a pool exhausted by slow reads should fail a request, not hold it for minutes
POOL_WAIT_SECONDS = 5.0
#: seconds to open one connection (libpq connect_timeout)
CONNECT_TIMEOUT_SECONDS = 5
#: connections kept open and the most opened: one worker on a few cores gains nothing
#: from more reads in flight than PostgreSQL has cores to answer them
POOL_MIN = 2
POOL_MAX = 8
#: see the module docstring: statements prepared on these connections are planned once
SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan"


class ReaderConnection(psycopg.AsyncConnection[Any]):
    """A pooled connection that keeps one cursor for the prepared reads: a new cursor per
    read (what ``conn.execute`` makes) was ~50 of a read's ~225 us of this process's CPU.
    The pool lends a connection to one request at a time, so its cursor is never shared."""

    reads: psycopg.AsyncCursor[Any] | None = None


def _conninfo(url: str) -> str:
    """A libpq URI from the SQLAlchemy URL (``postgresql+psycopg://`` -> ``postgresql://``)."""
    parsed = sa.engine.make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


class AsyncReader:
    """Cached-statement reads on an async pool of autocommit connections."""

    def __init__(self, db: Database) -> None:
        self.dialect = db.engine.dialect
        self.pool = AsyncConnectionPool(
            _conninfo(db.url), connection_class=ReaderConnection, open=False,
            min_size=POOL_MIN, max_size=POOL_MAX,
            timeout=POOL_WAIT_SECONDS, name="newsarchive-reads",
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                    "options": SESSION_OPTIONS})

    async def open(self) -> None:
        """Start connecting in the background: an unreachable server does not stop the
        app from starting; reads answer 503 until it is back."""
        await self.pool.open(wait=False)

    async def close(self) -> None:
        await self.pool.close()

    async def run(self, key: tuple[Any, ...], build: Any, values: dict[str, Any], *,
                  prepare: bool) -> tuple[read_plans.Plan, list[Any]]:
        """Run the cached statement of shape ``key``; its plan and its rows. ``prepare``
        only where one generic plan suits every value (see the module docstring)."""
        plan = read_plans.plan_for(self.dialect, key, build)
        params = plan.params(values)
        for attempt in range(2):
            try:
                async with self.pool.connection() as conn:
                    if prepare:
                        cursor = conn.reads or conn.cursor()
                        conn.reads = cursor
                        await cursor.execute(plan.sql, params, prepare=True)
                    else:
                        cursor = psycopg.AsyncClientCursor(conn)
                        await cursor.execute(plan.sql, params)
                    return plan, await cursor.fetchall()
            except PoolTimeout as exc:
                raise StorageError(f"the database is unavailable: {exc}") from exc
            except psycopg.OperationalError as exc:
                # a terminated backend or a restarted server: the pool discards the broken
                # connection on its return, and the others idle in the pool died alike:
                # check them all (only now, not before every read), then try once more
                if attempt == 0:
                    log.info("read retried on a fresh connection: %s", exc)
                    await self.pool.check()
                    continue
                raise StorageError(f"the database is unavailable: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    async def list_records(self, query: article_query.ArticleQuery
                           ) -> tuple[list[dict[str, Any]], str | None]:
        """:func:`article_lists.list_article_records` for a plain page
        (:func:`article_lists.is_plain`)."""
        key, values = article_lists.plain_request(query)
        plan, rows = await self.run(key, article_lists.plain_statement, values,
                                    prepare=query.unfiltered)
        records, next_keys = article_lists.plain_records(plan, rows, query)
        return records, (paging.encode_cursor(query.sort, *next_keys) if next_keys else None)

    async def article_record(self, article_id: int) -> dict[str, Any] | None:
        """:func:`article_reads.get_article_record`."""
        plan, rows = await self.run(article_reads.RECORD_KEY, article_reads.record_statement,
                                    {"article_id": article_id}, prepare=True)
        return article_reads.record_from_rows(plan, rows)
