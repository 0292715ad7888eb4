"""Claims: leasing due URLs to a worker with host politeness included.

Claiming takes the host rows first (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on
SQLite the whole claim is one ``BEGIN IMMEDIATE`` write transaction, see
storage/db.py), counts the host's unexpired leases against the per-host
concurrency, hands out send slots ``host_delay`` apart and moves the host's
``next_allowed_at`` past the last slot. Politeness therefore holds across every
process, and a worker that dies leaves leases that expire and return its URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.storage.frontier.table import F, H, Policy, for_pass
from newsarchive.storage.hosts import slots
from newsarchive.timeutil import aware_utc

#: a worker may claim send slots up to this far ahead, so it is never idle between polls
CLAIM_AHEAD_SECONDS = 1.0


@dataclass(frozen=True)
class Claimed:
    """A URL leased to one worker, with the moment it may be sent."""

    id: int
    url: str
    host: str
    source_id: int | None
    crawl_run_id: int | None
    purpose: str
    attempts: int
    hints: dict[str, Any]
    article_id: int | None
    not_before: datetime


def _claim_statements(by_run: bool) -> tuple[Any, Any]:
    """(due hosts, due rows of one host) for ``claim``, with or without a crawl run."""
    waiting = sa.select(sa.literal(1)).where(
        F.c.host == H.c.host, F.c.state == "queued", F.c.next_attempt_at <= sa.bindparam("now")
    )
    rows = (
        sa.select(F.c.id, F.c.url, F.c.source_id, F.c.crawl_run_id, F.c.purpose, F.c.attempts,
                  F.c.hints, F.c.article_id)
        .where(F.c.host == sa.bindparam("host"), F.c.state == "queued",
               F.c.next_attempt_at <= sa.bindparam("now"))
        .order_by(F.c.priority.desc(), F.c.id)
        .limit(sa.bindparam("room"))
        .with_for_update(skip_locked=True, of=F)
    )
    run: sa.BindParameter[int] | None = sa.bindparam("run_id") if by_run else None
    waiting, rows = for_pass(waiting, run), for_pass(rows, run)
    hosts = (
        sa.select(H.c.host, H.c.next_allowed_at, H.c.crawl_delay)
        .where(H.c.next_allowed_at <= sa.bindparam("horizon"), waiting.exists())
        .order_by(H.c.next_allowed_at)
        .limit(sa.bindparam("limit"))
        .with_for_update(skip_locked=True, of=H)
    )
    return hosts, rows


#: built once (a claim runs them every few pages): building a statement and its cache key
#: costs more CPU than the database takes to run it; keyed by whether a run is given
_CLAIM = {by_run: _claim_statements(by_run) for by_run in (False, True)}
_IN_FLIGHT = sa.select(sa.func.count()).select_from(F).where(
    F.c.host == sa.bindparam("host"), F.c.state == "in_progress",
    F.c.lease_expires_at > sa.bindparam("now"),
)
#: one statement for all of a claim's rows (executemany)
_LEASE = sa.update(F).where(F.c.id == sa.bindparam("row_id")).values(
    state="in_progress", leased_by=sa.bindparam("worker"),
    lease_expires_at=sa.bindparam("lease_until"), attempts=sa.bindparam("tries"),
    next_attempt_at=sa.bindparam("slot"), updated_at=sa.bindparam("now"),
)
_HOST_NEXT = sa.update(H).where(H.c.host == sa.bindparam("the_host")).values(
    next_allowed_at=sa.bindparam("next_allowed"))


def claim(
    session: Session, *, worker: str, policy: Policy, limit: int, now: datetime,
    run_id: int | None = None,
) -> list[Claimed]:
    """Lease up to ``limit`` due URLs to ``worker``, host politeness included. Call inside a
    write transaction; the caller commits. Each URL comes with its send slot."""
    horizon = now + timedelta(seconds=min(CLAIM_AHEAD_SECONDS, policy.lease_seconds / 4))
    hosts_query, _rows = _CLAIM[run_id is not None]
    params: dict[str, Any] = {"now": now, "horizon": horizon, "limit": limit}
    if run_id is not None:
        params["run_id"] = run_id
    hosts = session.connection().execute(hosts_query, params).all()
    claimed: list[Claimed] = []
    for host in hosts:
        if len(claimed) >= limit:
            break
        claimed.extend(_claim_host(session, host, worker=worker, policy=policy,
                                   limit=limit - len(claimed), now=now, horizon=horizon,
                                   run_id=run_id))
    return claimed


def _claim_host(
    session: Session, host: Any, *, worker: str, policy: Policy, limit: int, now: datetime,
    horizon: datetime, run_id: int | None,
) -> list[Claimed]:
    conn = session.connection()
    in_flight = conn.execute(_IN_FLIGHT, {"host": host.host, "now": now}).scalar_one()
    room = min(policy.host_concurrency - in_flight, limit)
    if room <= 0:
        return []
    delay = max(policy.host_delay, host.crawl_delay or 0.0)
    start = max(aware_utc(host.next_allowed_at), now)
    if delay > 0:
        room = min(room, 1 + int((horizon - start).total_seconds() / delay))
    params: dict[str, Any] = {"host": host.host, "now": now, "room": room}
    if run_id is not None:
        params["run_id"] = run_id
    rows = conn.execute(_CLAIM[run_id is not None][1], params).all()
    if not rows:
        return []
    times = slots(start, len(rows), delay)
    lease = timedelta(seconds=policy.lease_seconds)
    conn.execute(_LEASE, [
        {"row_id": row.id, "worker": worker, "lease_until": slot + lease,
         "tries": row.attempts + 1, "slot": slot, "now": now}
        for row, slot in zip(rows, times, strict=True)
    ])
    conn.execute(_HOST_NEXT, {"the_host": host.host,
                              "next_allowed": times[-1] + timedelta(seconds=delay)})
    return [Claimed(row.id, row.url, host.host, row.source_id, row.crawl_run_id, row.purpose,
                    row.attempts + 1, row.hints or {}, row.article_id, slot)
            for row, slot in zip(rows, times, strict=True)]
