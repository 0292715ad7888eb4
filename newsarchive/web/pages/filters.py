"""The home page's (and the feed's) filters, read from the query string by hand.

Pages take their parameters as plain strings: the query layer's ``ArticleQuery``
checks them (dates, language, search syntax, cursor) and its ``InvalidQuery`` becomes
a readable message on an HTML page (400), never FastAPI's JSON 422 or a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from newsarchive.errors import InvalidQuery
from newsarchive.storage.article_query import ArticleQuery

#: search text longer than this is not a search; refused before it reaches the database
MAX_QUERY_CHARS = 500
#: articles per page of the HTML index
PAGE_SIZE = 20
KNOWN = ("q", "source", "language", "since", "until", "cursor")


class BadFilter(ValueError):
    """A query parameter the page cannot use; the message says which and why."""


@dataclass
class Filters:
    """The filters as typed (``raw``, to refill the form and build links)."""

    raw: dict[str, str] = field(default_factory=dict)

    @property
    def q(self) -> str:
        return self.raw.get("q", "")

    @property
    def active(self) -> bool:
        return any(self.raw.get(k) for k in ("q", "source", "language", "since", "until"))

    def query_string(self, **changes: str | None) -> str:
        """This page's URL query with ``changes`` applied (None removes a key)."""
        values = {k: v for k, v in self.raw.items() if v and k != "cursor"}
        for key, value in changes.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        return urlencode(values)

    def to_query(self, *, limit: int, sort: str | None = None) -> ArticleQuery:
        """The query layer's ArticleQuery; BadFilter with the reason when it refuses."""
        source = self.raw.get("source", "")
        if source and (not source.isdigit() or len(source) > 12):
            raise BadFilter(f"source: {source[:40]!r} is not a source id")
        try:
            return ArticleQuery(
                q=self.q or None, source_id=int(source) if source else None,
                language=self.raw.get("language") or None, since=self.raw.get("since") or None,
                until=self.raw.get("until") or None, cursor=self.raw.get("cursor") or None,
                limit=limit, sort=sort or ("relevance" if self.q else "-published"),
            )
        except InvalidQuery as exc:
            raise BadFilter(str(exc)) from exc


def parse_filters(params: QueryParams) -> Filters:
    """The known parameters as typed; unknown ones are ignored, oversize ones refused."""
    raw = {k: (params.get(k) or "").strip() for k in KNOWN}
    for key, value in raw.items():
        if len(value) > MAX_QUERY_CHARS:
            raise BadFilter(f"{key}: longer than {MAX_QUERY_CHARS} characters")
    return Filters(raw=raw)


def as_typed(params: QueryParams) -> Filters:
    """The filters as typed and unchecked, to refill the form next to an error message."""
    return Filters(raw={k: (params.get(k) or "")[:MAX_QUERY_CHARS] for k in KNOWN})
