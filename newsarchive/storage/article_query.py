"""What a list, search or export of articles asks for (:class:`ArticleQuery`, validated on
construction) and the WHERE clauses it becomes, shared by lists, search and exports.

Invalid parameters raise :class:`newsarchive.errors.InvalidQuery` naming the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from newsarchive.errors import InvalidQuery
from newsarchive.models import Article, UTCDateTime
from newsarchive.storage.paging import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, bad_cursor, decode_cursor
from newsarchive.storage.search import SearchQuery, match_filter, parse_search
from newsarchive.timeutil import as_utc

SORTS = ("-published", "published", "-fetched", "relevance")
#: longest author or language filter accepted (names are short; this is a guard)
MAX_FILTER_CHARS = 200

article = Article.__table__  # type: ignore[attr-defined]
#: the newest-first key: the publication date, else when it was captured
SORT_AT = sa.func.coalesce(article.c.published_at, article.c.fetched_at, type_=UTCDateTime)


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
        return as_utc(value)
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


def after_keys(query: ArticleQuery) -> list[Any]:
    """The keys of ``query``'s cursor, decoded on construction."""
    if query.after is None:  # pragma: no cover - __post_init__ sets it with the cursor
        raise bad_cursor()
    return query.after


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
