"""The read side of the archive: article lists, search and export batches, in lean SQL.

``list_article_summaries(db, ArticleQuery(...))`` is the hot path of the API and the
HTML index. It selects only the summary columns with SQLAlchemy Core (no ORM
objects: measured 310 req/s through the ORM against ~1,770 in plain SQL) and pages
with an opaque keyset cursor, so page 500 costs what page 1 costs and new articles
arriving between two requests never shift a page.

Sorts and what they walk:
    -published / published  index on (coalesce(published_at, fetched_at), id)
    -fetched                index on (fetched_at, id)
    relevance               the newest RELEVANCE_CANDIDATES matches, ranked by
                            bm25 (SQLite) or ts_rank_cd (PostgreSQL)

Invalid parameters raise :class:`newsarchive.errors.InvalidQuery` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from newsarchive.errors import InvalidQuery, StorageError
from newsarchive.models import (
    Article,
    ArticlePublic,
    ArticleSummary,
    ArticleVersion,
    Capture,
    CrawlRun,
    FrontierURL,
    UTCDateTime,
)
from newsarchive.models import Source as SourceRow
from newsarchive.storage.db import Database, make_engine
from newsarchive.storage.search import (
    SearchQuery,
    is_dense,
    match_filter,
    newest_match_window,
    page_plan,
    parse_search,
    pg_rank,
    ranked_matches,
)
from newsarchive.storage.search import snippet as make_snippet

SORTS = ("-published", "published", "-fetched", "relevance")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: the largest id either database stores in an INTEGER primary key (PostgreSQL int4)
MAX_ID = 2**31 - 1
#: relevance ranks this many of the newest matches: bm25/ts_rank over every match of a
#: common word costs ~0.5-1.5 s at 200k articles; a bounded set keeps it under 100 ms
RELEVANCE_CANDIDATES = 1_000
#: longest author or language filter accepted (names are short; this is a guard)
MAX_FILTER_CHARS = 200
#: cursors are short; anything longer is not one we gave out
MAX_CURSOR_CHARS = 200
CURSOR_VERSION = 1

article = Article.__table__  # type: ignore[attr-defined]
SUMMARY_FIELDS = tuple(f for f in ArticleSummary.model_fields if f != "snippet")


class _SQLiteTime(sa.types.TypeDecorator[datetime]):
    """Reads SQLite's stored 'YYYY-MM-DD HH:MM:SS.ffffff' with ``fromisoformat`` (C) rather
    than SQLAlchemy's regex: that parsing was a fifth of a 20-row list's cost."""

    impl = sa.String
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _fast(column: Any, dialect: str) -> Any:
    if dialect == "sqlite" and isinstance(column.type, UTCDateTime):
        return sa.type_coerce(column, _SQLiteTime).label(column.name)
    return column


#: the summary columns per dialect
SUMMARY_COLUMNS = {d: tuple(_fast(article.c[name], d) for name in SUMMARY_FIELDS)
                   for d in ("sqlite", "postgresql")}
#: the newest-first key: the publication date, else when it was captured
SORT_AT = sa.func.coalesce(article.c.published_at, article.c.fetched_at, type_=UTCDateTime)

Source = Database | Session | Connection


# --- the query ------------------------------------------------------------------------------


def parse_instant(value: datetime | date | str | None, field_name: str, *,
                  end_of_day: bool = False) -> datetime | None:
    """ISO 8601 date or date-time -> aware UTC datetime (naive means UTC).

    A bare date means its start, or with ``end_of_day`` the start of the next day (so
    ``until=2024-05-01`` includes that whole day).
    """
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            if "\x00" in value or len(value) > 64:
                raise ValueError("not a date")
            text = value.strip()
            if len(text) == 10:
                value = date.fromisoformat(text)
            else:
                value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if not isinstance(value, datetime):
            day = value + timedelta(days=1) if end_of_day else value
            value = datetime.combine(day, time(), tzinfo=UTC)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (ValueError, OverflowError, TypeError) as exc:
        raise InvalidQuery(field_name, "not an ISO 8601 date or date-time, e.g. 2024-05-01 "
                                       "or 2024-05-01T08:00:00Z") from exc


def _clean_text(value: str | None, field_name: str) -> str | None:
    if value is None or value.strip() == "":
        return None
    if "\x00" in value:
        raise InvalidQuery(field_name, "contains a NUL byte")
    if len(value) > MAX_FILTER_CHARS:
        raise InvalidQuery(field_name, f"longer than {MAX_FILTER_CHARS} characters")
    return value.strip()


@dataclass
class ArticleQuery:
    """What a list, search or export asks for; validated on construction.

    ``since``/``until`` apply to the publication date, falling back to the capture date
    (``since`` inclusive, ``until`` exclusive; a bare ``until`` date includes that day);
    ``updated_since`` to ``updated_at`` (exclusive: what changed after that instant).
    """

    q: str | None = None
    source_id: int | None = None
    author: str | None = None
    language: str | None = None
    since: datetime | str | None = None
    until: datetime | str | None = None
    updated_since: datetime | str | None = None
    sort: str = "-published"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    search: SearchQuery | None = field(default=None, init=False, repr=False)
    #: the cursor's keys (:func:`decode_cursor`), decoded once here: decoding again per
    #: use was a tenth of a deep page's CPU on PostgreSQL
    after: list[Any] | None = field(default=None, init=False, repr=False)

    @property
    def unfiltered(self) -> bool:
        """No search and no filter: a page is one seek in the sort index."""
        return (self.q is None and self.source_id is None and not self.author
                and not self.language and self.since is None and self.until is None
                and self.updated_since is None and self.sort != "relevance")

    def __post_init__(self) -> None:
        if self.q is not None:
            if "\x00" in self.q:
                raise InvalidQuery("q", "contains a NUL byte")
            self.search = parse_search(self.q)
        if self.source_id is not None and not 1 <= self.source_id <= MAX_ID:
            raise InvalidQuery("source", f"must be an id from 1 to {MAX_ID}")
        self.author = _clean_text(self.author, "author")
        language = _clean_text(self.language, "language")
        self.language = language.lower() if language else None
        self.since = parse_instant(self.since, "since")
        self.until = parse_instant(self.until, "until", end_of_day=True)
        self.updated_since = parse_instant(self.updated_since, "updated_since")
        if self.sort not in SORTS:
            raise InvalidQuery("sort", f"must be one of {', '.join(SORTS)}")
        if self.sort == "relevance" and not (self.q and self.q.strip()):
            raise InvalidQuery("sort", "relevance needs a search query q")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidQuery("limit", f"must be from 1 to {MAX_LIMIT}")
        if self.cursor is not None:
            if self.cursor == "":
                self.cursor = None
            else:
                self.after = decode_cursor(self.cursor, self.sort)  # fails before any SQL


# --- cursors --------------------------------------------------------------------------------


def encode_cursor(sort: str, *keys: Any) -> str:
    payload = orjson.dumps([CURSOR_VERSION, sort, *keys])  # compact, as json.dumps wrote it
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _cursor_keys(cursor: str, kind: str) -> list[Any]:
    """The keys inside a cursor given out for ``kind``; InvalidQuery('cursor') otherwise."""
    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise _bad_cursor()
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:  # orjson's is a ValueError
        raise _bad_cursor() from exc
    if not isinstance(data, list) or len(data) < 2 or data[:2] != [CURSOR_VERSION, kind]:
        raise _bad_cursor()
    return data[2:]


def _after(query: ArticleQuery) -> list[Any]:
    """The keys of ``query``'s cursor, decoded on construction."""
    if query.after is None:  # pragma: no cover - __post_init__ sets it with the cursor
        raise _bad_cursor()
    return query.after


def _bad_cursor() -> InvalidQuery:
    return InvalidQuery("cursor", "not a cursor this API gave out for this list and sort")


def _valid_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The keys of a list cursor given out for ``sort``: [instant, id] or, for relevance,
    [floor_id, ceil_id, score, id]."""
    bad = _bad_cursor()
    keys = _cursor_keys(cursor, sort)
    try:
        if sort == "relevance":
            floor, ceil, score, last_id = keys
            ints: tuple[Any, ...] = (floor, ceil, last_id)
            if not isinstance(score, int | float) or isinstance(score, bool):
                raise bad
            score = float(score)
            if score != score or score in (float("inf"), float("-inf")):
                raise bad
            keys = [floor, ceil, score, last_id]
        else:
            instant, last_id = keys
            ints = (last_id,)
            if not isinstance(instant, str):
                raise bad
            keys = [datetime.fromisoformat(instant).astimezone(UTC), last_id]
    except (ValueError, TypeError, OverflowError) as exc:
        raise bad from exc
    if not all(_valid_id(i) for i in ints):
        raise bad
    return keys


# --- filters --------------------------------------------------------------------------------


def _author_filter(dialect: str, name: str) -> ColumnElement[bool]:
    function = sa.func.json_array_elements_text if dialect == "postgresql" else sa.func.json_each
    names = function(article.c.authors).table_valued("value")
    return sa.exists(sa.select(1).select_from(names)
                     .where(sa.func.lower(names.c.value) == name.lower()))


def article_filters(query: ArticleQuery, dialect: str, *, with_search: bool = True,
                    dense: bool = False, walk: bool = False) -> list[ColumnElement[bool]]:
    """WHERE clauses shared by lists, search and exports."""
    where: list[ColumnElement[bool]] = []
    if with_search and query.search is not None:
        where.append(match_filter(dialect, article.c.id, query.search, dense=dense,
                                  walk=walk))
    if query.author:
        where.append(_author_filter(dialect, query.author))
    return where + field_filters(source_id=query.source_id, language=query.language,
                                 since=query.since, until=query.until,
                                 updated_since=query.updated_since)


def field_filters(*, source_id: Any, language: Any, since: Any, until: Any,
                  updated_since: Any) -> list[ColumnElement[bool]]:
    """The plain column filters; each value is a Python value, a bind parameter (the
    cached statements of the hot path) or None for no filter."""
    where: list[ColumnElement[bool]] = []
    if source_id is not None:
        where.append(article.c.source_id == source_id)
    if language is not None:
        where.append(article.c.language == language)
    if since is not None:
        where.append(SORT_AT >= since)
    if until is not None:
        where.append(SORT_AT < until)
    if updated_since is not None:
        where.append(article.c.updated_at > updated_since)
    return where


@contextlib.contextmanager
def connect(source: Source) -> Iterator[Connection]:
    """A connection from a Database (opened and closed here), a Session or a Connection."""
    if isinstance(source, Database):
        with source.engine.connect() as conn:
            yield conn
    elif isinstance(source, Session):
        yield source.connection()
    else:
        yield source


# --- lists ----------------------------------------------------------------------------------


def _summary_record(row: Any, terms: list[str] | None) -> dict[str, Any]:
    data = dict(zip(SUMMARY_FIELDS, row, strict=False))
    data["snippet"] = (make_snippet(row.text or row.description or "", terms)
                       if terms is not None else None)
    return data


def list_article_summaries(source: Source, query: ArticleQuery
                           ) -> tuple[list[ArticleSummary], str | None]:
    """One page of article summaries and the cursor of the next page (None on the last).

    With ``q`` each summary has a ``snippet``: HTML-escaped text around the first
    match with matched words in ``<mark>`` (safe to render as is).
    """
    records, next_cursor = list_article_records(source, query)
    return [ArticleSummary.model_validate(aware_record(r)) for r in records], next_cursor


def list_article_records(source: Source, query: ArticleQuery
                         ) -> tuple[list[dict[str, Any]], str | None]:
    """:func:`list_article_summaries` as plain dicts (the ArticleSummary fields in their
    order), for the API to serialise without building a model per row. Datetimes are
    UTC; a naive one means UTC (see :func:`aware_record`)."""
    terms = query.search.terms if query.search is not None else None
    if query.q is not None and query.search is None:
        return [], None  # nothing searchable in q (e.g. only punctuation)
    if is_plain(query):
        records, next_keys = _plain_page(source, query)
    else:
        with connect(source) as conn:
            dialect = conn.dialect.name
            columns: list[Any] = list(SUMMARY_COLUMNS.get(dialect,
                                                          SUMMARY_COLUMNS["postgresql"]))
            if terms is not None:
                columns.append(article.c.text)
            if query.sort == "relevance":
                rows, next_keys = _relevance_page(conn, dialect, query, columns)
            else:
                rows, next_keys = _sorted_page(conn, dialect, query, columns)
        records = [_summary_record(row, terms) for row in rows]
    return records, (encode_cursor(query.sort, *next_keys) if next_keys else None)


def keyset_after(key: Any, at: Any, last_id: Any, *, descending: bool) -> ColumnElement[bool]:
    """Rows after (at, last_id) in (key, id) order, written so that SQLite seeks the (key,
    id) index: it scans a row-value comparison ``(key, id) < (?, ?)`` from the top of the
    index (measured 0.78 ms at 5,000 rows deep, growing with depth) but seeks on
    ``key <= ?`` (0.01 ms at any depth). PostgreSQL seeks either way."""
    if descending:
        return sa.and_(key <= at, sa.or_(key < at, article.c.id < last_id))
    return sa.and_(key >= at, sa.or_(key > at, article.c.id > last_id))


def _sorted_page(conn: Connection, dialect: str, query: ArticleQuery,
                 columns: list[Any]) -> tuple[list[Any], list[Any] | None]:
    """A newest-first (or oldest-first) page of a search or an author filter.

    Three plans by how many articles match (counted up to the dense threshold): many, the
    sort index is walked and each article tested; on SQLite, a middling number, the same
    walk against the match list read once; few, the matches are collected and sorted.
    On SQLite the sort picks ids only and the page's columns (text for the snippets) are
    read for the page's rows alone: sorting 1,899 whole rows cost 27 ms, their ids 11 ms.
    """
    key = article.c.fetched_at if query.sort == "-fetched" else SORT_AT
    descending = query.sort.startswith("-")
    dense, walk = page_plan(conn, query.search) if query.search is not None else (False, False)
    where = article_filters(query, dialect, dense=dense, walk=walk)
    if query.cursor:
        instant, last_id = _after(query)
        where.append(keyset_after(key, sa.literal(instant, UTCDateTime),
                                  sa.literal(last_id), descending=descending))
    order = (key.desc(), article.c.id.desc()) if descending else (key.asc(), article.c.id.asc())
    if dialect == "sqlite" and not dense and not walk:
        page_ids = (sa.select(article.c.id).where(*where).order_by(*order)
                    .limit(query.limit + 1).scalar_subquery())
        where = [article.c.id.in_(page_ids)]
    stmt = sa.select(*columns, _fast(key, dialect).label("sort_key")).where(*where)
    rows = list(conn.execute(stmt.order_by(*order).limit(query.limit + 1)))
    if len(rows) <= query.limit:
        return rows, None
    last = rows[query.limit - 1]
    return rows[:query.limit], [last.sort_key.isoformat(), last.id]


# --- the hot path: cached statements, driver rows, no model per row -------------------------
#
# A list without q, author or relevance sort (and an article by id) runs a statement
# compiled once per shape (which filters are present, the sort, a cursor or not) on a
# pooled DBAPI cursor (_run_plan): no statement building, cache-key hashing, Connection
# or result processing per request; rows are decoded here (SQLite's text datetimes,
# JSON) into plain dicts. Measured at 20k articles on SQLite, in-process: a 20-row list
# 0.84 -> 0.19 ms, an article 0.30 -> 0.03 ms; on PostgreSQL 0.76 -> 0.32 ms and
# 0.47 -> 0.10 ms.
# The API reads the same plans on PostgreSQL through storage/async_reads.py (psycopg's
# AsyncConnection on the event loop); plain_request / plain_records / record_from_rows
# are the halves both paths share.

#: the filters a cached statement covers (author needs a JSON table function; q search)
PLAIN_FILTERS = ("source_id", "language", "since", "until", "updated_since")
_TIME_FILTERS = frozenset({"since", "until", "updated_since"})


def _sqlite_time(value: str) -> datetime:
    """SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC); naive, it means UTC."""
    return datetime.fromisoformat(value)


def _json_value(value: str | bytes) -> Any:
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:  # what only the json module reads: NaN, huge integers
        return json.loads(value)


def _wire(column: Any, dialect: str) -> Any:
    """A column as the hot path reads it: JSON as text on PostgreSQL (psycopg would parse
    it with the json module, a third of a 20-row list's cost; orjson is ~5x faster)."""
    if dialect == "postgresql" and isinstance(column.type, sa.JSON):
        return sa.type_coerce(sa.cast(column, sa.Text), column.type).label(column.name)
    return column


@dataclass(frozen=True)
class Plan:
    """A compiled statement, how to pass its parameters and how to decode its rows."""

    sql: str
    positional: tuple[str, ...] | None  # bind names in order for '?' styles, else None
    time_bind: Any  # aware datetime -> what the driver stores (SQLite text, naive UTC)
    decoders: tuple[tuple[int, Any], ...]  # (column index, function) for non-null values
    constants: dict[str, Any]  # binds the statement fixed itself (SQLite's OFFSET 0)

    def params(self, values: dict[str, Any]) -> Any:
        values = {**self.constants, **{k: self.time_bind(v) if isinstance(v, datetime) else v
                                       for k, v in values.items()}}
        if self.positional is None:
            return values
        return tuple(values[name] for name in self.positional)

    def decode(self, row: Any) -> list[Any]:
        values = list(row)
        for index, function in self.decoders:
            if values[index] is not None:
                values[index] = function(values[index])
        return values


#: compiled statements by (dialect, shape); the shapes are few (3 sorts x cursor x 2^5
#: filter combinations at most), so the cache needs no bound
_PLANS: dict[tuple[Any, ...], Plan] = {}


def plan_for(dialect: Any, key: tuple[Any, ...], build: Any) -> Plan:
    """The cached plan of shape ``key``, compiled for ``dialect`` on first use."""
    full_key = (dialect.name, dialect.paramstyle, *key)
    plan = _PLANS.get(full_key)
    if plan is None:
        stmt = build(dialect.name, key)
        compiled = stmt.compile(dialect=dialect)
        decoders: list[tuple[int, Any]] = []
        for index, column in enumerate(stmt.selected_columns):
            if isinstance(column.type, sa.JSON):
                decoders.append((index, _json_value))
            elif dialect.name == "sqlite" and isinstance(column.type, UTCDateTime | sa.DateTime):
                decoders.append((index, _sqlite_time))
        plan = Plan(sql=compiled.string,
                     positional=tuple(compiled.positiontup or ()) if compiled.positional
                     else None,
                     time_bind=(UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
                                or (lambda v: v)),
                     decoders=tuple(decoders),
                     constants={name: bind.value for name, bind in compiled.binds.items()
                                if not bind.required})
        _PLANS[full_key] = plan
    return plan


def _run_plan(source: Source, key: tuple[Any, ...], build: Any,
              values: dict[str, Any]) -> tuple[Plan, list[Any]]:
    """Run the plan of shape ``key`` with ``values``; its plan and its rows.

    From a Database it runs on a pooled DBAPI cursor of :func:`_reader`: no SQLAlchemy
    Connection, no transaction (one statement reads one consistent snapshot anyway).
    A connection found dead is dropped and the read retried once on a fresh one; other
    driver errors that mean the database is unreachable become StorageError (503).
    """
    if not isinstance(source, Database):
        with connect(source) as conn:
            plan = plan_for(conn.dialect, key, build)
            return plan, list(conn.exec_driver_sql(plan.sql, plan.params(values)))
    engine = _reader(source)
    dialect = engine.dialect
    plan = plan_for(dialect, key, build)
    params = plan.params(values)
    unreachable = (dialect.loaded_dbapi.OperationalError, dialect.loaded_dbapi.InterfaceError)
    for attempt in range(2):
        try:
            fairy = engine.raw_connection()
        except unreachable as exc:
            raise StorageError(f"the database is unavailable: {exc}") from exc
        try:
            cursor = fairy.cursor()
            try:
                cursor.execute(plan.sql, params)
                return plan, list(cursor.fetchall())
            except unreachable as exc:
                if dialect.is_disconnect(exc, fairy.dbapi_connection, cursor):
                    fairy.invalidate(exc)  # the pool drops it rather than handing it out again
                    if attempt == 0:
                        continue
                raise StorageError(f"the database is unavailable: {exc}") from exc
            finally:
                if fairy.dbapi_connection is not None:
                    cursor.close()
        finally:
            fairy.close()
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


#: the hot path's PostgreSQL engine per Database (SQLite reads use the Database's own)
_READERS: weakref.WeakKeyDictionary[Database, Engine] = weakref.WeakKeyDictionary()
_READERS_LOCK = threading.Lock()


def _reader(db: Database) -> Engine:
    """The engine the hot path reads with. On PostgreSQL a pool of its own, in autocommit
    and without pre-ping: the main pool's ping (SELECT 1, which opens a transaction) and
    the ROLLBACK on return made a one-statement read four round trips, and psycopg drops
    its prepared statements on every ROLLBACK; here a read is one round trip of a
    prepared statement. A dead connection is retried by :func:`_run_plan` instead."""
    if db.is_sqlite:
        return db.engine
    with _READERS_LOCK:
        engine = _READERS.get(db)
        if engine is None:
            engine = make_engine(db.url, isolation_level="AUTOCOMMIT", pool_pre_ping=False,
                                 pool_reset_on_return=None)
            _READERS[db] = engine
            weakref.finalize(db, engine.dispose)
    return engine


def plain_statement(dialect: str, key: tuple[Any, ...]) -> sa.Select[Any]:
    sort, has_cursor, *present = key
    binds = {name: sa.bindparam(name, type_=UTCDateTime if name in _TIME_FILTERS
                                else sa.Integer if name == "source_id" else sa.String)
             if name in present else None for name in PLAIN_FILTERS}
    sort_key = article.c.fetched_at if sort == "-fetched" else SORT_AT
    stmt = (sa.select(*(_wire(article.c[name], dialect) for name in SUMMARY_FIELDS),
                      sort_key.label("sort_key"))
            .where(*field_filters(**binds)))
    descending = sort.startswith("-")
    if has_cursor:
        stmt = stmt.where(keyset_after(sort_key, sa.bindparam("after_at", type_=UTCDateTime),
                                       sa.bindparam("after_id", type_=sa.Integer),
                                       descending=descending))
    order = ((sort_key.desc(), article.c.id.desc()) if descending
             else (sort_key.asc(), article.c.id.asc()))
    return stmt.order_by(*order).limit(sa.bindparam("row_limit", type_=sa.Integer))


RECORD_KEY = ("record",)


def plain_request(query: ArticleQuery) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The cached statement's shape and its values for a plain list page (no search,
    no author filter, no relevance sort)."""
    values: dict[str, Any] = {name: getattr(query, name) for name in PLAIN_FILTERS
                              if getattr(query, name) is not None}
    if query.cursor:
        values["after_at"], values["after_id"] = _after(query)
    values["row_limit"] = query.limit + 1
    present = tuple(name for name in PLAIN_FILTERS if name in values)
    return (query.sort, bool(query.cursor), *present), values


def plain_records(plan: Plan, rows: list[Any], query: ArticleQuery
                  ) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """A plain page's rows as summary dicts, and the next page's keys (None on the last)."""
    records = []
    for row in rows[:query.limit]:
        record = dict(zip(SUMMARY_FIELDS, plan.decode(row), strict=False))
        record["snippet"] = None
        records.append(record)
    if len(rows) <= query.limit:
        return records, None
    last = plan.decode(rows[query.limit - 1])
    return records, [_utc(last[-1]).isoformat(), last[0]]


def _plain_page(source: Source, query: ArticleQuery
                ) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """A list page without search or author filter, through a cached statement."""
    key, values = plain_request(query)
    plan, rows = _run_plan(source, key, plain_statement, values)
    return plain_records(plan, rows, query)


def is_plain(query: ArticleQuery) -> bool:
    """A list page the cached statements answer (no search, author or relevance)."""
    return query.q is None and not query.author and query.sort != "relevance"


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def aware_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record's naive datetimes made aware (UTC), for building a pydantic model."""
    return {k: _utc(v) if isinstance(v, datetime) else v for k, v in record.items()}


def _relevance_page(conn: Connection, dialect: str, query: ArticleQuery,
                    columns: list[Any]) -> tuple[list[Any], list[Any] | None]:
    assert query.search is not None
    filters = article_filters(query, dialect, with_search=False)
    if dialect == "postgresql" and not query.cursor:
        return _pg_first_relevance_page(conn, query, columns)
    if query.cursor:
        floor, ceil, score, last_id = _after(query)
    else:
        window = None
        if dialect == "sqlite" and not filters:  # the index alone knows the newest matches
            window = newest_match_window(conn, query.search, RELEVANCE_CANDIDATES)
        if window is None:
            dense = is_dense(conn, query.search)
            newest = (sa.select(article.c.id)
                      .where(*article_filters(query, dialect, dense=dense))
                      .order_by(article.c.id.desc()).limit(RELEVANCE_CANDIDATES).subquery())
            window = conn.execute(sa.select(sa.func.min(newest.c.id),
                                            sa.func.max(newest.c.id))).one()
        floor, ceil = window
        if floor is None:
            return [], None
    ranked = ranked_matches(dialect, query.search, floor_id=floor, ceil_id=ceil)
    stmt = (sa.select(*columns, ranked.c.score)
            .join_from(article, ranked, article.c.id == ranked.c.id)
            .where(*filters))
    if query.cursor:
        stmt = stmt.where(sa.tuple_(ranked.c.score, article.c.id)
                          < sa.tuple_(sa.literal(score, sa.Float), sa.literal(last_id)))
    stmt = stmt.order_by(ranked.c.score.desc(), article.c.id.desc()).limit(query.limit + 1)
    rows = list(conn.execute(stmt))
    if len(rows) <= query.limit:
        return rows, None
    last = rows[query.limit - 1]
    return rows[:query.limit], [floor, ceil, float(last.score), last.id]


def _pg_first_relevance_page(conn: Connection, query: ArticleQuery,
                             columns: list[Any]) -> tuple[list[Any], list[Any] | None]:
    """PostgreSQL reads each candidate's tsvector once: matching and scoring the newest
    candidates in one pass costs half of finding them first and scoring them after
    (~21 us a row, measured). Later pages use the id window this page's cursor keeps."""
    assert query.search is not None
    dense = is_dense(conn, query.search)
    newest = (sa.select(article.c.id.label("cid"), pg_rank(query.search).label("score"))
              .where(*article_filters(query, "postgresql", dense=dense))
              .order_by(article.c.id.desc()).limit(RELEVANCE_CANDIDATES).subquery("newest"))
    stmt = (sa.select(*columns, newest.c.score,
                      sa.func.min(newest.c.cid).over().label("floor_id"),
                      sa.func.max(newest.c.cid).over().label("ceil_id"))
            .join_from(article, newest, article.c.id == newest.c.cid)
            .order_by(newest.c.score.desc(), article.c.id.desc()).limit(query.limit + 1))
    rows = list(conn.execute(stmt))
    if len(rows) <= query.limit:
        return rows, None
    last = rows[query.limit - 1]
    return rows[:query.limit], [last.floor_id, last.ceil_id, float(last.score), last.id]


# --- other collections and reads ------------------------------------------------------------

#: the Article record's columns per dialect (``meta`` is the record's ``metadata``)
RECORD_FIELDS = (*SUMMARY_FIELDS, "text", "html", "meta")


def get_article_public(source: Source, article_id: int) -> ArticlePublic | None:
    """One Article record by id."""
    record = get_article_record(source, article_id)
    return None if record is None else ArticlePublic.model_validate(aware_record(record))


def get_article_record(source: Source, article_id: int) -> dict[str, Any] | None:
    """One Article record by id as a plain dict (the ArticlePublic fields in their order;
    naive datetimes mean UTC), read with a cached statement and no model per request."""
    plan, rows = _run_plan(source, RECORD_KEY, record_statement, {"article_id": article_id})
    return record_from_rows(plan, rows)


def record_from_rows(plan: Plan, rows: list[Any]) -> dict[str, Any] | None:
    """The Article record dict from the record statement's rows (None: no such article)."""
    if not rows:
        return None
    values = plan.decode(rows[0])
    record = dict(zip(SUMMARY_FIELDS, values, strict=False))
    record["snippet"] = None
    record["text"], record["html"], meta = values[len(SUMMARY_FIELDS):]
    record["metadata"] = meta or {}
    return record


def record_statement(dialect: str, _key: tuple[Any, ...]) -> sa.Select[Any]:
    return sa.select(*(_wire(article.c[name], dialect) for name in RECORD_FIELDS)).where(
        article.c.id == sa.bindparam("article_id", type_=sa.Integer))


def encode_id_cursor(kind: str, last_id: int) -> str:
    return encode_cursor(kind, last_id)


def decode_id_cursor(cursor: str | None, kind: str) -> int | None:
    """The id a plain id-ordered collection (sources, crawls, versions) stopped at."""
    if not cursor:
        return None
    keys = _cursor_keys(cursor, kind)
    if len(keys) != 1 or not _valid_id(keys[0]):
        raise _bad_cursor()
    return int(keys[0])


def get_version(session: Session, article_id: int, number: int) -> ArticleVersion | None:
    return session.exec(
        select(ArticleVersion).where(ArticleVersion.article_id == article_id,
                                     ArticleVersion.version == number)
    ).first()


def list_version_page(session: Session, article_id: int, *, limit: int,
                      after: int | None) -> list[ArticleVersion]:
    """Versions oldest first, ``limit + 1`` of them so the caller knows if more follow."""
    stmt = (select(ArticleVersion).where(ArticleVersion.article_id == article_id)
            .order_by(col(ArticleVersion.version)).limit(limit + 1))
    if after is not None:
        stmt = stmt.where(col(ArticleVersion.version) > after)
    return list(session.exec(stmt))


def captures_of(session: Session, article_id: int) -> list[Capture]:
    """Every raw capture of an article, oldest first (for WARC export)."""
    return list(session.exec(
        select(Capture).where(Capture.article_id == article_id)
        .order_by(col(Capture.fetched_at), col(Capture.id))
    ))


def list_source_page(session: Session, *, limit: int, after: int | None) -> list[SourceRow]:
    stmt = select(SourceRow).order_by(col(SourceRow.id)).limit(limit + 1)
    if after is not None:
        stmt = stmt.where(col(SourceRow.id) > after)
    return list(session.exec(stmt))


def source_overview(session: Session, source_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per source: articles archived, newest capture, URLs queued, latest crawl run.

    Four grouped queries for a whole page of sources, not four per source.
    """
    out: dict[int, dict[str, Any]] = {
        i: {"articles": 0, "last_article_at": None, "queued": 0, "last_run": None}
        for i in source_ids}
    if not source_ids:
        return out
    conn = session.connection()
    for sid, count, newest in conn.execute(
        sa.select(article.c.source_id, sa.func.count(), sa.func.max(article.c.fetched_at))
        .where(article.c.source_id.in_(source_ids)).group_by(article.c.source_id)
    ):
        out[sid].update(articles=count, last_article_at=_aware(newest))
    frontier = FrontierURL.__table__  # type: ignore[attr-defined]
    for sid, count in conn.execute(
        sa.select(frontier.c.source_id, sa.func.count())
        .where(frontier.c.source_id.in_(source_ids), frontier.c.state == "queued")
        .group_by(frontier.c.source_id)
    ):
        out[sid]["queued"] = count
    latest = (sa.select(sa.func.max(CrawlRun.id))  # type: ignore[arg-type]
              .where(col(CrawlRun.source_id).in_(source_ids)).group_by(col(CrawlRun.source_id)))
    for run in session.exec(select(CrawlRun).where(col(CrawlRun.id).in_(latest))):
        if run.source_id is not None:
            out[run.source_id]["last_run"] = run
    return out


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates (max) lose the column type on SQLite and come back as text."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


#: languages listed in the stats; the long tail adds nothing to an overview
STATS_LANGUAGES = 20


def archive_stats(session: Session) -> dict[str, Any]:
    """Counts and dates for /api/stats."""
    conn = session.connection()

    def count(table: sa.Table) -> int:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    tables = {t.name: t for t in (article, ArticleVersion.__table__, Capture.__table__,  # type: ignore[attr-defined]
                                  SourceRow.__table__, CrawlRun.__table__)}  # type: ignore[attr-defined]
    oldest, newest, fetched = conn.execute(sa.select(
        sa.func.min(article.c.published_at), sa.func.max(article.c.published_at),
        sa.func.max(article.c.fetched_at))).one()
    languages = conn.execute(
        sa.select(article.c.language, sa.func.count().label("n"))
        .where(article.c.language.is_not(None)).group_by(article.c.language)
        .order_by(sa.text("n DESC")).limit(STATS_LANGUAGES))
    frontier = FrontierURL.__table__  # type: ignore[attr-defined]
    queue = conn.execute(sa.select(frontier.c.state, sa.func.count()).group_by(frontier.c.state))
    return {
        "articles": count(tables["article"]), "versions": count(tables["article_version"]),
        "captures": count(tables["capture"]), "sources": count(tables["source"]),
        "crawl_runs": count(tables["crawl_run"]),
        "oldest_published_at": _aware(oldest), "newest_published_at": _aware(newest),
        "newest_fetched_at": _aware(fetched),
        "languages": {lang: n for lang, n in languages}, "queue": {s: n for s, n in queue},
    }


# --- export batches -------------------------------------------------------------------------

#: articles read per query while exporting: large enough to amortise the round trip,
#: small enough that memory stays flat whatever the archive's size
EXPORT_BATCH = 200


def iter_articles(db: Database, query: ArticleQuery, *,
                  batch: int = EXPORT_BATCH) -> Iterator[Article]:
    """Every article the query's filters select, oldest id first, read in keyset batches
    (each batch in its own short session, so a long export holds no transaction open)."""
    last_id = 0
    while True:
        with db.read() as session:
            dialect = session.connection().dialect.name
            rows = list(session.exec(
                select(Article).where(*article_filters(query, dialect),
                                      col(Article.id) > last_id)
                .order_by(col(Article.id)).limit(batch)))
            for row in rows:
                session.expunge(row)
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1].id or last_id
