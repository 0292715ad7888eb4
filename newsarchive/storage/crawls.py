"""Crawl runs: one row per discovery + fetch pass, with its counts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from newsarchive.models import CrawlRun


def start_run(*, session: Session, source_id: int | None, trigger: str) -> CrawlRun:
    run = CrawlRun(source_id=source_id, trigger=trigger, status="running")
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
