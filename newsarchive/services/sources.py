"""Manage sources: validation of URLs, kinds and schedules lives here, once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from newsarchive.discover.urls import InvalidURL, canonicalize
from newsarchive.errors import NewsarchiveError, NotFound
from newsarchive.models import SOURCE_KINDS, Source
from newsarchive.storage import sources as store
from newsarchive.storage.db import Database

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400}
#: no source is crawled more often than this: politeness towards the sites
MIN_EVERY_SECONDS = 60
#: nor less often: a year is already no schedule, and a larger interval ran past the
#: datetime range when the next run was computed (a traceback) and past PostgreSQL's
#: integer column (about 68 years of seconds)
MAX_EVERY_SECONDS = 366 * 86400


class InvalidSource(NewsarchiveError):
    """A source that cannot be added as given (``field`` names what is wrong)."""

    reason = "invalid"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class DuplicateSource(InvalidSource):
    reason = "duplicate"


def parse_every(value: str) -> int:
    """'30m', '2h', '1d', '90s' or a bare number of minutes -> seconds."""
    m = _EVERY.match(value or "")
    if not m:
        raise InvalidSource(f"cannot read the interval {value!r}: use e.g. 30m, 2h or 1d",
                            field="every")
    amount = float(m.group(1))
    unit = (m.group(2) or "m").lower()
    seconds = int(amount * _UNIT[unit])
    if seconds < MIN_EVERY_SECONDS:
        raise InvalidSource(f"the interval {value!r} is under the minimum of "
                            f"{MIN_EVERY_SECONDS} s", field="every")
    if seconds > MAX_EVERY_SECONDS:
        raise InvalidSource(f"the interval {value!r} is over the maximum of "
                            f"{MAX_EVERY_SECONDS // 86400} days", field="every")
    return seconds


def every_text(seconds: int, *, spaced: bool = False) -> str:
    """An interval as ``parse_every`` reads it back, in its largest whole unit: '90s', '30m',
    '2h', '1d' for the command line; ``spaced`` for pages: '90 s', '30 min', '2 h', '1 d'."""
    units = (("d", 86400), ("h", 3600), ("min" if spaced else "m", 60), ("s", 1))
    unit, size = next((u, n) for u, n in units if seconds % n == 0)
    return f"{seconds // size}{' ' if spaced else ''}{unit}"


def check_cron(expr: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        trigger = CronTrigger.from_crontab(expr, timezone=UTC)
    except ValueError as exc:
        raise InvalidSource(f"cannot read the cron expression {expr!r}: {exc}",
                            field="cron") from exc
    # '0 0 31 2 *' (31 February) reads well and never fires: the source would silently
    # fall back to the default interval
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise InvalidSource(f"the cron expression {expr!r} never fires", field="cron")
    return expr.strip()


def normalise_fields(
    *, url: str | None = None, kind: str | None = None, every: str | None = None,
    cron: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if url is not None:
        try:
            out["url"] = canonicalize(url)
        except InvalidURL as exc:
            raise InvalidSource(str(exc), field="url") from exc
    if kind is not None:
        if kind not in SOURCE_KINDS:
            raise InvalidSource(f"kind must be one of {', '.join(SOURCE_KINDS)}", field="kind")
        out["kind"] = kind
    if every is not None and cron is not None:
        raise InvalidSource("give either an interval or a cron expression, not both",
                            field="cron")
    if every is not None:
        out["every_seconds"], out["cron"] = parse_every(every), None
    if cron is not None:
        out["cron"], out["every_seconds"] = check_cron(cron), None
    return out


def add_source(
    *, db: Database, url: str, name: str | None = None, kind: str = "auto",
    every: str | None = None, cron: str | None = None, default_every: str = "30m",
) -> Source:
    if every is None and cron is None:
        every = default_every
    fields = normalise_fields(url=url, kind=kind, every=every, cron=cron)
    with db.write() as session:
        if store.find_source_by_url(session, fields["url"]) is not None:
            raise DuplicateSource(f"a source with the URL {fields['url']} exists already",
                                  field="url")
        source = store.add_source(session=session, name=name, **fields)
        session.expunge(source)
        return source


def change_source(*, db: Database, source_id: int, changes: dict[str, Any]) -> Source:
    with db.write() as session:
        source = store.get_source(session, source_id)
        if source is None:
            raise NotFound(f"no source {source_id}")
        plain = {k: v for k, v in changes.items() if k in ("name", "enabled")}
        plain.update(normalise_fields(
            url=changes.get("url"), kind=changes.get("kind"),
            every=changes.get("every"), cron=changes.get("cron"),
        ))
        if "url" in plain and plain["url"] != source.url:
            other = store.find_source_by_url(session, plain["url"])
            if other is not None:
                raise DuplicateSource(f"a source with the URL {plain['url']} exists already",
                                      field="url")
        store.update_source(session=session, source=source, changes=plain)
        session.expunge(source)
        return source


def remove_source(*, db: Database, source_id: int) -> None:
    with db.write() as session:
        source = store.get_source(session, source_id)
        if source is None:
            raise NotFound(f"no source {source_id}")
        store.remove_source(session=session, source=source)


def list_sources(*, db: Database) -> list[Source]:
    with db.read() as session:
        return store.list_sources(session)


def get_source(*, db: Database, source_id: int) -> Source:
    with db.read() as session:
        source = store.get_source(session, source_id)
        if source is None:
            raise NotFound(f"no source {source_id}")
        return source
