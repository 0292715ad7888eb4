"""Crawl runs: one row per discovery + fetch pass, with its counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.models import CrawlRun, Source

#: due sources looked at per claim (the first one still due is taken)
DUE_BATCH = 5


R = CrawlRun.__table__  # type: ignore[attr-defined]
_BEAT = sa.update(R).where(R.c.id == sa.bindparam("run_id"), R.c.status == "running").values(
    heartbeat_at=sa.bindparam("now"))


def start_run(*, session: Session, source_id: int | None, trigger: str) -> CrawlRun:
    now = datetime.now(UTC)
    run = CrawlRun(source_id=source_id, trigger=trigger, status="running",
                   started_at=now, heartbeat_at=now)
    session.add(run)
    session.flush()
    return run


def finish_run(*, session: Session, run: CrawlRun, error: str | None = None) -> CrawlRun:
    run.finished_at = datetime.now(UTC)
    run.status = "failed" if error else "done"
    run.error = error
    session.add(run)
    session.flush()
    return run


def recent_runs(session: Session, *, limit: int = 50, source_id: int | None = None,
                before_id: int | None = None) -> list[CrawlRun]:
    query = select(CrawlRun).order_by(col(CrawlRun.id).desc()).limit(limit)
    if source_id is not None:
        query = query.where(CrawlRun.source_id == source_id)
    if before_id is not None:
        query = query.where(col(CrawlRun.id) < before_id)
    return list(session.exec(query))


#: crawl-run statuses: discovery and fetching in the caller ("running"), fetching left to
#: the workers ("queued"), finished ("done", or "failed" when discovery failed)
RUN_STATUSES = ("running", "queued", "done", "failed")


def record_counts(*, session: Session, run: CrawlRun, discovered: int, skipped: int) -> None:
    """Fill a pass's counts from its frontier rows (whoever fetched them)."""
    from newsarchive.storage.frontier import FETCHED_OUTCOMES, run_outcomes

    outcomes, failures = run_outcomes(session, run_id=run.id or 0)
    run.discovered = discovered
    run.skipped = skipped
    run.archived = outcomes.get("archived", 0) + outcomes.get("updated", 0)
    run.unchanged = outcomes.get("unchanged", 0) + outcomes.get("not_modified", 0)
    run.failed = outcomes.get("failed", 0)
    # a failure after an answer (an HTTP error, not an article) was still a fetch
    answered = sum(n for reason, n in failures.items()
                   if reason.startswith("http_") or reason in ("not_article", "not_html",
                                                               "too_large", "extract_crash"))
    run.fetched = sum(outcomes.get(o, 0) for o in FETCHED_OUTCOMES) + answered
    run.failures = failures
    session.add(run)


def beat(session: Session, *, run_id: int, now: datetime) -> None:
    """The process driving pass ``run_id`` is alive (its URLs stay its own)."""
    session.connection().execute(_BEAT, {"run_id": run_id, "now": now})


def hand_over_abandoned(session: Session, *, now: datetime, silent_for: float) -> int:
    """Passes whose driving process has not beaten for ``silent_for`` seconds (a foreground
    ``crawl`` killed, a machine lost) become "queued": their URLs, which other workers leave
    to a live driver, are anyone's again, and the pass is closed like any other once they
    are settled."""
    stale = now - timedelta(seconds=silent_for)
    result = session.connection().execute(
        sa.update(R).where(R.c.status == "running", sa.or_(
            R.c.heartbeat_at < stale,
            # a pass of a version before heartbeats
            sa.and_(R.c.heartbeat_at.is_(None), R.c.started_at < stale)))
        .values(status="queued"))
    return int(result.rowcount or 0)


def queued_runs(session: Session) -> list[CrawlRun]:
    return list(session.exec(select(CrawlRun).where(CrawlRun.status == "queued")))


def claim_due_source(session: Session, *, now: datetime,
                     next_due: Callable[[Source, datetime], datetime],
                     only: int | None = None) -> Source | None:
    """Take one due source for discovery: its next_due_at moves forward in a conditional
    UPDATE, so of several processes asking at once exactly one gets it."""
    query = (
        select(Source)
        .where(col(Source.enabled).is_(True), col(Source.next_due_at).is_not(None),
               col(Source.next_due_at) <= now)
        .order_by(col(Source.next_due_at))
        .limit(DUE_BATCH)
    )
    if only is not None:
        query = query.where(col(Source.id) == only)
    due = session.exec(query).all()
    for source in due:
        taken: Any = session.execute(
            sa.update(Source)
            .where(col(Source.id) == source.id, col(Source.next_due_at) <= now,
                   col(Source.enabled).is_(True))
            .values(next_due_at=next_due(source, now))
        )
        if taken.rowcount:
            session.refresh(source)
            return source
    return None


def set_next_due(session: Session, *, source_id: int, when: datetime) -> None:
    session.execute(sa.update(Source).where(col(Source.id) == source_id)
                    .values(next_due_at=when))
