"""Archive requests (``archive_request`` rows): the durable side of a 202 answer.

Every change of state is one conditional UPDATE on a pending row, so a request finished by
the process running it and one declared interrupted by another process cannot both win.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, update

from newsarchive.models import ArchiveRequestRow


def create(*, session: Session, request_id: str, url: str, now: datetime) -> ArchiveRequestRow:
    row = ArchiveRequestRow(id=request_id, url=url, status="pending", created_at=now,
                            heartbeat_at=now)
    session.add(row)
    session.flush()
    return row


def get(session: Session, request_id: str) -> ArchiveRequestRow | None:
    return session.get(ArchiveRequestRow, request_id)


def heartbeat(*, session: Session, request_ids: list[str], now: datetime) -> None:
    """The running process says it is still at work on these requests."""
    session.execute(update(ArchiveRequestRow)
                    .where(col(ArchiveRequestRow.id).in_(request_ids),
                           col(ArchiveRequestRow.status) == "pending")
                    .values(heartbeat_at=now))


def finish(*, session: Session, request_id: str, now: datetime, article_id: int | None = None,
           detail: str | None = None) -> bool:
    """Archived (``article_id``) or failed (``detail``); False when it was no longer
    pending (another process declared it interrupted first)."""
    result = session.execute(
        update(ArchiveRequestRow)
        .where(col(ArchiveRequestRow.id) == request_id, col(ArchiveRequestRow.status) == "pending")
        .values(status="failed" if detail is not None else "archived", article_id=article_id,
                detail=detail, finished_at=now))
    return bool(getattr(result, "rowcount", 0))


def fail_stale(*, session: Session, silent_since: datetime, detail: str, now: datetime,
               request_id: str | None = None) -> int:
    """Pending requests whose heartbeat stopped before ``silent_since`` failed: the process
    running them is gone. Returns how many."""
    query = (update(ArchiveRequestRow)
             .where(col(ArchiveRequestRow.status) == "pending",
                    col(ArchiveRequestRow.heartbeat_at) < silent_since)
             .values(status="failed", detail=detail, finished_at=now))
    if request_id is not None:
        query = query.where(col(ArchiveRequestRow.id) == request_id)
    return int(getattr(session.execute(query), "rowcount", 0))


def prune(*, session: Session, created_before: datetime) -> int:
    """Forget finished requests made before ``created_before``. Returns how many."""
    result = session.execute(
        delete(ArchiveRequestRow)
        .where(col(ArchiveRequestRow.created_at) < created_before,
               col(ArchiveRequestRow.status) != "pending")
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0))
