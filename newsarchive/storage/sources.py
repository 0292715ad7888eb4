"""Sources: add, change, remove, list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from newsarchive.models import Source


def add_source(*, session: Session, url: str, name: str | None = None, kind: str = "auto",
               every_seconds: int | None = None, cron: str | None = None) -> Source:
    source = Source(url=url, name=name, kind=kind, every_seconds=every_seconds, cron=cron,
                    next_due_at=datetime.now(UTC))
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source | None:
    return session.get(Source, source_id)


def find_source_by_url(session: Session, url: str) -> Source | None:
    return session.exec(select(Source).where(Source.url == url)).first()


def list_sources(session: Session, *, enabled_only: bool = False) -> list[Source]:
    query = select(Source).order_by(col(Source.id))
    if enabled_only:
        query = query.where(col(Source.enabled).is_(True))
    return list(session.exec(query))


def list_source_page(session: Session, *, limit: int, after: int | None) -> list[Source]:
    stmt = select(Source).order_by(col(Source.id)).limit(limit + 1)
    if after is not None:
        stmt = stmt.where(col(Source.id) > after)
    return list(session.exec(stmt))


def update_source(*, session: Session, source: Source, changes: dict[str, Any]) -> Source:
    for key, value in changes.items():
        setattr(source, key, value)
    source.updated_at = datetime.now(UTC)
    session.add(source)
    session.flush()
    return source


def remove_source(*, session: Session, source: Source) -> None:
    session.delete(source)
    session.flush()
