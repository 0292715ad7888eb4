"""Counts for overviews: per source (the sources pages and API) and of the whole archive
(/api/stats), each in a few grouped queries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.models import Article, ArticleVersion, Capture, CrawlRun, FrontierURL
from newsarchive.models import Source as SourceRow
from newsarchive.timeutil import aware_utc

article = Article.__table__  # type: ignore[attr-defined]


def source_overview(session: Session, source_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per source: articles archived, newest capture, URLs queued, latest crawl run.

    Four grouped queries for a whole page of sources, not four per source.
    """
    out: dict[int, dict[str, Any]] = {
        i: {"articles": 0, "last_article_at": None, "queued": 0, "last_run": None}
        for i in source_ids}
    if not source_ids:
        return out
    conn = session.connection()
    for sid, count, newest in conn.execute(
        sa.select(article.c.source_id, sa.func.count(), sa.func.max(article.c.fetched_at))
        .where(article.c.source_id.in_(source_ids)).group_by(article.c.source_id)
    ):
        out[sid].update(articles=count, last_article_at=_aware(newest))
    frontier = FrontierURL.__table__  # type: ignore[attr-defined]
    for sid, count in conn.execute(
        sa.select(frontier.c.source_id, sa.func.count())
        .where(frontier.c.source_id.in_(source_ids), frontier.c.state == "queued")
        .group_by(frontier.c.source_id)
    ):
        out[sid]["queued"] = count
    latest = (sa.select(sa.func.max(CrawlRun.id))  # type: ignore[arg-type]
              .where(col(CrawlRun.source_id).in_(source_ids)).group_by(col(CrawlRun.source_id)))
    for run in session.exec(select(CrawlRun).where(col(CrawlRun.id).in_(latest))):
        if run.source_id is not None:
            out[run.source_id]["last_run"] = run
    return out


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates (max) lose the column type on SQLite and come back as text."""
    if value is None or isinstance(value, datetime):
        return value if value is None else aware_utc(value)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


#: languages listed in the stats; the long tail adds nothing to an overview
STATS_LANGUAGES = 20


def archive_stats(session: Session) -> dict[str, Any]:
    """Counts and dates for /api/stats."""
    conn = session.connection()

    def count(table: sa.Table) -> int:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    tables = {t.name: t for t in (article, ArticleVersion.__table__, Capture.__table__,  # type: ignore[attr-defined]
                                  SourceRow.__table__, CrawlRun.__table__)}  # type: ignore[attr-defined]
    oldest, newest, fetched = conn.execute(sa.select(
        sa.func.min(article.c.published_at), sa.func.max(article.c.published_at),
        sa.func.max(article.c.fetched_at))).one()
    languages = conn.execute(
        sa.select(article.c.language, sa.func.count().label("n"))
        .where(article.c.language.is_not(None)).group_by(article.c.language)
        .order_by(sa.text("n DESC")).limit(STATS_LANGUAGES))
    frontier = FrontierURL.__table__  # type: ignore[attr-defined]
    queue = conn.execute(sa.select(frontier.c.state, sa.func.count()).group_by(frontier.c.state))
    return {
        "articles": count(tables["article"]), "versions": count(tables["article_version"]),
        "captures": count(tables["capture"]), "sources": count(tables["source"]),
        "crawl_runs": count(tables["crawl_run"]),
        "oldest_published_at": _aware(oldest), "newest_published_at": _aware(newest),
        "newest_fetched_at": _aware(fetched),
        "languages": {lang: n for lang, n in languages}, "queue": {s: n for s, n in queue},
    }
