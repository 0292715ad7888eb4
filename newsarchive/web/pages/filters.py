"""The home page's (and the feed's) filters, read from the query string by hand.

Pages take their parameters as plain strings and check them here, so nonsense in the
URL becomes a readable message on an HTML page (400), never FastAPI's JSON 422 or a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

#: search text longer than this is not a search (the API caps q the same way)
MAX_QUERY_CHARS = 500
#: articles per page of the HTML index
PAGE_SIZE = 20
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
KNOWN = ("q", "source", "language", "since", "until", "cursor")


class BadFilter(ValueError):
    """A query parameter the page cannot use; the message says which and why."""


@dataclass
class Filters:
    q: str = ""
    source_id: int | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    cursor: str | None = None
    #: the raw values, to refill the form
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.q or self.source_id or self.language or self.since or self.until)

    def query_string(self, **changes: str | None) -> str:
        """This page's URL query with ``changes`` applied (None removes a key)."""
        values = {k: v for k, v in self.raw.items() if v and k != "cursor"}
        for key, value in changes.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        return urlencode(values)


def _day(name: str, value: str, *, end: bool = False) -> datetime:
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadFilter(f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_filters(params: QueryParams) -> Filters:
    raw = {k: (params.get(k) or "").strip() for k in KNOWN}
    out = Filters(raw=raw)
    if len(raw["q"]) > MAX_QUERY_CHARS:
        raise BadFilter(f"q: the search is longer than {MAX_QUERY_CHARS} characters")
    out.q = raw["q"]
    if raw["source"]:
        if not raw["source"].isdigit() or len(raw["source"]) > 12:
            raise BadFilter(f"source: {raw['source']!r} is not a source id")
        out.source_id = int(raw["source"])
    if raw["language"]:
        if not _LANG.match(raw["language"]):
            raise BadFilter(f"language: {raw['language']!r} is not a language code such as en")
        out.language = raw["language"].lower()
    if raw["since"]:
        out.since = _day("since", raw["since"])
    if raw["until"]:
        out.until = _day("until", raw["until"], end=True)
    if out.since and out.until and out.since >= out.until:
        raise BadFilter("since: the start date is after the end date")
    if raw["cursor"]:
        if len(raw["cursor"]) > 200:
            raise BadFilter("cursor: not a page this site gave out")
        out.cursor = raw["cursor"]
    return out


def as_typed(params: QueryParams) -> Filters:
    """The filters as typed and unchecked, to refill the form next to an error message."""
    return Filters(raw={k: (params.get(k) or "")[:MAX_QUERY_CHARS] for k in KNOWN})
