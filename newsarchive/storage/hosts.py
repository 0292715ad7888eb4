"""Per-host politeness state shared by every process of a deployment.

``host_state.next_allowed_at`` is the earliest moment any worker, anywhere, may
send the next request to that host. The frontier moves it forward in the same
transaction that claims a URL of the host, so ten workers space their requests
as one would.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.models import HostState


def ensure_hosts(session: Session, hosts: Iterable[str], *, now: datetime) -> None:
    """Create the missing host rows (idempotent, safe against a concurrent insert)."""
    wanted = sorted({h for h in hosts if h})
    if not wanted:
        return
    table = HostState.__table__  # type: ignore[attr-defined]
    existing = set(
        session.execute(sa.select(table.c.host).where(table.c.host.in_(wanted))).scalars()
    )
    missing = [h for h in wanted if h not in existing]
    if not missing:
        return
    insert_ignore(session, table, [{"host": h, "next_allowed_at": now, "in_flight": 0}
                                   for h in missing])


def insert_ignore(session: Session, table: sa.Table, rows: list[dict[str, object]]) -> None:
    """INSERT these rows, skipping any that another process inserted first (unique keys)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)


def push_back(session: Session, host: str, *, until: datetime) -> None:
    """No request to ``host`` before ``until`` (a 429/503 with Retry-After asked for it)."""
    table = HostState.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(table)
        .where(table.c.host == host, table.c.next_allowed_at < until)
        .values(next_allowed_at=until, backoff_until=until)
    )


def slots(start: datetime, count: int, delay: float) -> list[datetime]:
    """The send times of ``count`` requests to one host from ``start``, ``delay`` apart."""
    step = timedelta(seconds=delay)
    return [start + step * i for i in range(count)]
