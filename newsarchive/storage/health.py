"""Per-source health: is the source still giving us articles, and whole ones?

Two signals, both over the source's latest work: the share of fetches that failed, and
the share of articles that came back without text, title, date or author. A source is
flagged when fetches mostly fail, or when a missing-field share jumps between the
previous captures and the latest ones: the usual sign that the site changed its layout
and the extractor no longer finds what it found before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.errors import PrivateAddressError
from newsarchive.models import Article, CrawlRun, FrontierURL, Source

#: fetches looked at for the failing share
RECENT_FETCHES = 100
#: latest articles compared against the ones before them
RECENT_ARTICLES = 20
#: articles before those, the baseline
BASELINE_ARTICLES = 80
#: fewer recent articles than this say nothing yet
MIN_ARTICLES = 5
#: a missing-field share that rises by this much (and is at least this high) flags the source
JUMP = 0.4
#: fetches failing this often flag the source (at least MIN_FETCHES of them)
FAILING_SHARE = 0.5
MIN_FETCHES = 5
#: an article shorter than this many words counts as "without text"
MIN_TEXT_WORDS = 50

FIELDS = ("text", "title", "date", "author")


def _missing(rows: Sequence[Any]) -> dict[str, float]:
    if not rows:
        return dict.fromkeys(FIELDS, 0.0)
    n = len(rows)
    return {
        "text": sum(1 for r in rows if (r.word_count or 0) < MIN_TEXT_WORDS) / n,
        "title": sum(1 for r in rows if not (r.title or "").strip()) / n,
        "date": sum(1 for r in rows if r.published_at is None) / n,
        "author": sum(1 for r in rows if not r.authors) / n,
    }


def source_health(session: Session, source_id: int) -> dict[str, Any]:
    """Health of one source, for the API and the HTML pages (times are datetimes)::

        {"source_id", "last_crawl_at", "next_due_at", "last_run": {...} | None,
         "counts": {"articles", "queued", "failed"}, "last_error",
         "fetches": n, "failing_share", "failures": {reason: n},
         "articles_checked": n, "missing": {"text", "title", "date", "author"},
         "missing_before": {...}, "flagged": bool, "reason": str | None}
    """
    source = session.get(Source, source_id)
    if source is None:
        return {}
    f = FrontierURL.__table__  # type: ignore[attr-defined]
    recent = session.execute(
        sa.select(f.c.state, f.c.last_reason)
        .where(f.c.source_id == source_id, f.c.state.in_(("done", "failed")))
        .order_by(f.c.updated_at.desc())
        .limit(RECENT_FETCHES)
    ).all()
    failures: dict[str, int] = {}
    for row in recent:
        if row.state == "failed":
            failures[row.last_reason or "error"] = failures.get(row.last_reason or "error", 0) + 1
    # URLs this deployment's address policy refused were not fetched: they say nothing of
    # the site (they stay listed in failures, by their reason)
    refused = failures.get(PrivateAddressError.reason, 0)
    fetches = len(recent) - refused
    failing = (sum(failures.values()) - refused) / fetches if fetches else 0.0
    articles = session.execute(
        sa.select(col(Article.word_count), col(Article.title), col(Article.published_at),
                  col(Article.authors))
        .where(col(Article.source_id) == source_id)
        .order_by(col(Article.fetched_at).desc(), col(Article.id).desc())
        .limit(RECENT_ARTICLES + BASELINE_ARTICLES)
    ).all()
    latest, before = articles[:RECENT_ARTICLES], articles[RECENT_ARTICLES:]
    now_missing, was_missing = _missing(latest), _missing(before)
    reason = None
    if fetches >= MIN_FETCHES and failing >= FAILING_SHARE:
        top = max((k for k in failures if k != PrivateAddressError.reason),
                  key=lambda k: failures[k])
        reason = f"{failing:.0%} of the last {fetches} fetches failed (mostly {top})"
    elif len(latest) >= MIN_ARTICLES and len(before) >= MIN_ARTICLES:
        for name in FIELDS:
            if now_missing[name] >= JUMP and now_missing[name] - was_missing[name] >= JUMP:
                reason = (f"the layout may have changed: {now_missing[name]:.0%} of the last "
                          f"{len(latest)} articles have no {name} (was {was_missing[name]:.0%})")
                break
    last_run = session.exec(
        select(CrawlRun).where(CrawlRun.source_id == source_id)
        .order_by(col(CrawlRun.id).desc())
    ).first()
    count_rows = dict(session.execute(
        sa.select(f.c.state, sa.func.count()).where(f.c.source_id == source_id)
        .group_by(f.c.state)
    ).all())
    return {
        "source_id": source_id,
        "last_crawl_at": (source.last_crawl_at),
        "next_due_at": (source.next_due_at),
        "last_run": None if last_run is None else {
            "id": last_run.id, "status": last_run.status,
            "started_at": (last_run.started_at), "finished_at": (last_run.finished_at),
            "archived": last_run.archived, "failed": last_run.failed,
        },
        "counts": {
            "articles": session.execute(sa.select(sa.func.count()).select_from(Article)
                                        .where(col(Article.source_id) == source_id)).scalar_one(),
            "queued": count_rows.get("queued", 0) + count_rows.get("in_progress", 0),
            "failed": count_rows.get("failed", 0),
        },
        "last_error": source.last_error,
        "fetches": fetches,
        "failing_share": round(failing, 3),
        "failures": failures,
        "articles_checked": len(latest),
        "missing": {k: round(v, 3) for k, v in now_missing.items()},
        "missing_before": {k: round(v, 3) for k, v in was_missing.items()},
        "flagged": reason is not None,
        "reason": reason,
    }
