"""One article: its record by id (a cached statement, storage/read_plans.py), its versions
and its raw captures."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.models import ArticlePublic, ArticleVersion, Capture
from newsarchive.storage.article_lists import SUMMARY_FIELDS, aware_record
from newsarchive.storage.article_query import article
from newsarchive.storage.read_plans import Plan, Source, run_plan, wire

#: the Article record's columns per dialect (``meta`` is the record's ``metadata``)
RECORD_FIELDS = (*SUMMARY_FIELDS, "text", "html", "meta")
#: the record statement's shape in the plan cache (it has one shape)
RECORD_KEY = ("record",)


def get_article_public(source: Source, article_id: int) -> ArticlePublic | None:
    """One Article record by id."""
    record = get_article_record(source, article_id)
    return None if record is None else ArticlePublic.model_validate(aware_record(record))


def get_article_record(source: Source, article_id: int) -> dict[str, Any] | None:
    """One Article record by id as a plain dict (the ArticlePublic fields in their order;
    naive datetimes mean UTC), read with a cached statement and no model per request."""
    plan, rows = run_plan(source, RECORD_KEY, record_statement, {"article_id": article_id})
    return record_from_rows(plan, rows)


def record_from_rows(plan: Plan, rows: list[Any]) -> dict[str, Any] | None:
    """The Article record dict from the record statement's rows (None: no such article)."""
    if not rows:
        return None
    values = plan.decode(rows[0])
    record = dict(zip(SUMMARY_FIELDS, values, strict=False))
    record["snippet"] = None
    record["text"], record["html"], meta = values[len(SUMMARY_FIELDS):]
    record["metadata"] = meta or {}
    return record


def record_statement(dialect: str, _key: tuple[Any, ...]) -> sa.Select[Any]:
    return sa.select(*(wire(article.c[name], dialect) for name in RECORD_FIELDS)).where(
        article.c.id == sa.bindparam("article_id", type_=sa.Integer))


def get_version(session: Session, article_id: int, number: int) -> ArticleVersion | None:
    return session.exec(
        select(ArticleVersion).where(ArticleVersion.article_id == article_id,
                                     ArticleVersion.version == number)
    ).first()


def list_version_page(session: Session, article_id: int, *, limit: int,
                      after: int | None) -> list[ArticleVersion]:
    """Versions oldest first, ``limit + 1`` of them so the caller knows if more follow."""
    stmt = (select(ArticleVersion).where(ArticleVersion.article_id == article_id)
            .order_by(col(ArticleVersion.version)).limit(limit + 1))
    if after is not None:
        stmt = stmt.where(col(ArticleVersion.version) > after)
    return list(session.exec(stmt))


def captures_of(session: Session, article_id: int) -> list[Capture]:
    """Every raw capture of an article, oldest first (for WARC export)."""
    return list(session.exec(
        select(Capture).where(Capture.article_id == article_id)
        .order_by(col(Capture.fetched_at), col(Capture.id))
    ))
