"""Counts: what is left on the frontier (of a pass, or of everyone's), when the next URL
is due, and how a pass's URLs ended."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.models import FrontierURL
from newsarchive.storage.frontier.table import F, for_pass
from newsarchive.timeutil import aware_utc

#: outcomes of a finished fetch that count as "fetched" in a crawl run
FETCHED_OUTCOMES = ("archived", "updated", "unchanged", "not_modified")


def pending(session: Session, *, run_id: int | None = None,
            due_before: datetime | None = None) -> int:
    """URLs still queued or in progress (of one pass, or all but those of passes their own
    process drives); with ``due_before``, not counting queued ones whose next attempt is
    later than that."""
    query = sa.select(sa.func.count()).select_from(F).where(
        F.c.state.in_(("queued", "in_progress"))
    )
    if due_before is not None:
        query = query.where(sa.or_(F.c.state == "in_progress",
                                   F.c.next_attempt_at <= due_before))
    return int(session.execute(for_pass(query, run_id)).scalar_one())


def next_wakeup(session: Session, *, run_id: int | None = None) -> datetime | None:
    """The earliest moment a queued URL becomes due (for sleeping instead of polling)."""
    query = sa.select(sa.func.min(F.c.next_attempt_at)).where(F.c.state == "queued")
    value = session.execute(for_pass(query, run_id)).scalar_one()
    return aware_utc(value) if value is not None else None


def run_outcomes(session: Session, *, run_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """(counts by outcome, failures by reason) of one pass's finished URLs."""
    outcomes: dict[str, int] = {}
    failures: dict[str, int] = {}
    for outcome, reason, n in session.execute(
        sa.select(F.c.outcome, F.c.last_reason, sa.func.count())
        .where(F.c.crawl_run_id == run_id, F.c.state.in_(("done", "failed")))
        .group_by(F.c.outcome, F.c.last_reason)
    ):
        outcomes[outcome or "failed"] = outcomes.get(outcome or "failed", 0) + n
        if outcome == "failed":
            failures[reason or "error"] = failures.get(reason or "error", 0) + n
    return outcomes, failures


def get(session: Session, url: str) -> FrontierURL | None:
    return session.execute(
        sa.select(FrontierURL).where(F.c.url == url)
    ).scalar_one_or_none()
