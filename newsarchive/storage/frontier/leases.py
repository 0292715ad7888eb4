"""Leases: what becomes of a leased URL. Its worker renews the lease, completes the URL
or records a failure (retried with backoff, or final); a worker shutting down releases
it; a lease nobody renewed expires and the reaper returns the URL to the queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.storage.frontier.table import F, Policy, chunks
from newsarchive.storage.hosts import push_back
from newsarchive.storage.statements import Direct

#: no backoff grows past this, so a flaky site is tried again within the hour
RETRY_MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class Failure:
    """Why a fetch failed, as the frontier records it."""

    reason: str
    message: str
    retryable: bool = False
    retry_after: float | None = None


def renew(session: Session, *, ids: Sequence[int], worker: str, policy: Policy,
          now: datetime) -> set[int]:
    """Extend the leases ``worker`` still holds; returns the ids it still owns."""
    if not ids:
        return set()
    until = now + timedelta(seconds=policy.lease_seconds)
    owned: set[int] = set()
    for chunk in chunks(list(ids)):
        rows = session.execute(
            sa.update(F)
            .where(F.c.id.in_(chunk), F.c.leased_by == worker, F.c.state == "in_progress")
            .values(lease_expires_at=until)
            .returning(F.c.id)
        ).scalars().all()
        owned.update(rows)
    return owned


def finished(session: Session, *, ids: Sequence[int]) -> set[int]:
    """Of these rows, the ones already done or failed for good (a worker's task may still be
    winding down after its page was stored: not a lost lease)."""
    done: set[int] = set()
    for chunk in chunks(list(ids)):
        done.update(session.execute(
            sa.select(F.c.id).where(F.c.id.in_(chunk), F.c.state.in_(("done", "failed")))
        ).scalars())
    return done


def _mine(row_id: int | sa.BindParameter[Any], worker: str | sa.BindParameter[Any]) -> Any:
    """This worker's lease, or a lease that expired and was not claimed by anyone since
    (values, or bound parameters for a statement built once)."""
    return sa.and_(
        F.c.id == row_id,
        sa.or_(
            sa.and_(F.c.state == "in_progress", F.c.leased_by == worker),
            sa.and_(F.c.state == "queued", F.c.leased_by.is_(None)),
        ),
    )


#: built once and run on the DB-API cursor (storage/statements.py): every stored page runs
#: it, and building an UPDATE, or SQLAlchemy's execute machinery, costs more CPU than the
#: database takes to run it
_COMPLETE = Direct(sa.update(F).where(_mine(sa.bindparam("row_id"), sa.bindparam("worker")))
                   .values(state="done", outcome=sa.bindparam("outcome"),
                           article_id=sa.bindparam("article_id"), leased_by=None,
                           lease_expires_at=None, last_error=None, last_reason=None,
                           updated_at=sa.bindparam("now")))


def complete(session: Session, *, row_id: int, worker: str, outcome: str,
             article_id: int | None, now: datetime) -> bool:
    """Mark a URL done. False when another worker owns it now (it will report instead)."""
    return bool(_COMPLETE.count(session.connection(), {
        "row_id": row_id, "worker": worker, "outcome": outcome, "article_id": article_id,
        "now": now,
    }))


def fail(session: Session, *, row_id: int, worker: str, failure: Failure, policy: Policy,
         now: datetime) -> str | None:
    """Record a failed attempt: retried later with exponential backoff (or the server's
    Retry-After, which also holds back the whole host), or failed for good. Returns the
    new state, or None when the lease was lost."""
    row = session.execute(sa.select(F.c.attempts, F.c.host).where(_mine(row_id, worker))).first()
    if row is None:
        return None
    values: dict[str, Any] = {
        "last_error": failure.message[:2000], "last_reason": failure.reason[:32],
        "leased_by": None, "lease_expires_at": None, "updated_at": now,
    }
    if failure.retryable and row.attempts < policy.max_attempts:
        backoff = min(policy.retry_base * 2 ** max(row.attempts - 1, 0), RETRY_MAX_SECONDS)
        wait = max(backoff, failure.retry_after or 0.0)
        values.update(state="queued", next_attempt_at=now + timedelta(seconds=wait))
        if failure.retry_after:
            push_back(session, row.host, until=now + timedelta(seconds=failure.retry_after))
    else:
        values.update(state="failed", outcome="failed")
    session.execute(sa.update(F).where(F.c.id == row_id).values(**values))
    return str(values["state"])


def release(session: Session, *, ids: Sequence[int], worker: str, now: datetime) -> int:
    """Give leased URLs back untried (a worker shutting down); the attempt is not counted."""
    count = 0
    for chunk in chunks(list(ids)):
        count += _rows(session.execute(
            sa.update(F)
            .where(F.c.id.in_(chunk), F.c.leased_by == worker, F.c.state == "in_progress")
            .values(state="queued", leased_by=None, lease_expires_at=None,
                    attempts=sa.func.max(F.c.attempts - 1, 0) if _is_sqlite(session)
                    else sa.func.greatest(F.c.attempts - 1, 0),
                    next_attempt_at=now, updated_at=now)
        ))
    return count


def reap_expired(session: Session, *, policy: Policy, now: datetime) -> int:
    """Return URLs whose lease expired (their worker died) to the queue; a URL whose worker
    died ``max_attempts`` times fails for good rather than killing workers forever."""
    expired = sa.and_(F.c.state == "in_progress", F.c.lease_expires_at < now)
    gave_up = _rows(session.execute(
        sa.update(F).where(expired, F.c.attempts >= policy.max_attempts).values(
            state="failed", outcome="failed", last_reason="lease_expired", leased_by=None,
            lease_expires_at=None, updated_at=now,
            last_error=f"its worker stopped before finishing, {policy.max_attempts} times",
        )
    ))
    back = _rows(session.execute(
        sa.update(F).where(expired).values(
            state="queued", leased_by=None, lease_expires_at=None, next_attempt_at=now,
            updated_at=now,
        )
    ))
    return int(gave_up + back)


def _rows(result: Any) -> int:
    """Rows an UPDATE changed (CursorResult.rowcount; typed loosely by SQLAlchemy)."""
    return int(result.rowcount)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
