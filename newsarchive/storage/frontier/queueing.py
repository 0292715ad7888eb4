"""Queueing: what a crawl pass's discovery puts on the frontier, and what it leaves alone
(a URL being fetched, finished in this pass, an article not due for its recheck, a dead
link asked about once a day)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.discover.urls import host_of
from newsarchive.storage.frontier.table import A, F, chunks
from newsarchive.storage.hosts import ensure_hosts, insert_ignore
from newsarchive.timeutil import aware_utc

#: failure reasons worth another try on a later pass (temporary by nature). A private
#: address refused is this deployment's policy, not the site's answer: the setting may have
#: changed by the next pass (no request is sent while it refuses)
TEMPORARY_REASONS = ("timeout", "network", "lease_expired", "http_408", "http_425", "http_429",
                     "private_address")
#: a URL that failed for good (404, robots.txt, a refused address) is fetched again when a
#: later pass finds it after this long: newsrooms link stories before they go live, robots.txt
#: and settings change; once a day keeps a dead link on a front page from costing more
REDISCOVER_FAILED_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    """A URL to queue (already canonical) and what discovery knew of it."""

    url: str
    hints: dict[str, Any] = field(default_factory=dict)
    priority: int = 0


@dataclass
class EnqueueResult:
    queued: int = 0
    skipped: int = 0
    rechecks: int = 0


def _is_temporary(reason: str | None) -> bool:
    return bool(reason) and (reason in TEMPORARY_REASONS or str(reason).startswith("http_5"))


def enqueue(
    session: Session, *, candidates: Sequence[Candidate], source_id: int | None,
    run_id: int | None, now: datetime,
) -> EnqueueResult:
    """Queue URLs for a crawl pass. Idempotent on the URL: a URL already queued joins this
    pass, one finished in this pass is not queued again, a known article only when its
    recheck is due, a URL that failed for good after a temporary failure or, found again,
    ``REDISCOVER_FAILED_AFTER`` after its failure."""
    result = EnqueueResult()
    unique = list({c.url: c for c in candidates}.values())
    for chunk in chunks(unique):
        urls = [c.url for c in chunk]
        rows = {r.url: r for r in session.execute(sa.select(F).where(F.c.url.in_(urls)))}
        known = {
            r.canonical_url: r
            for r in session.execute(
                sa.select(A.c.id, A.c.canonical_url, A.c.recheck_at).where(
                    A.c.canonical_url.in_(urls)
                )
            )
        }
        linked = [r.article_id for r in rows.values() if r.article_id is not None]
        by_id = {
            r.id: r
            for r in session.execute(
                sa.select(A.c.id, A.c.canonical_url, A.c.recheck_at).where(A.c.id.in_(linked))
            )
        } if linked else {}
        inserts: list[dict[str, Any]] = []
        for cand in chunk:
            row = rows.get(cand.url)
            article = known.get(cand.url) or (by_id.get(row.article_id) if row else None)
            values = _decide(row, article, run_id=run_id, now=now)
            if values is None:
                result.skipped += 1
                continue
            result.queued += 1
            if values.get("purpose") == "recheck":
                result.rechecks += 1
            if row is None:
                inserts.append({
                    **_requeue(run_id, now, purpose="article", article_id=None),
                    "url": cand.url, "host": host_of(cand.url), "source_id": source_id,
                    "priority": cand.priority, "hints": _jsonable(cand.hints),
                    "discovered_at": now, **values,
                })
            elif values:
                session.execute(sa.update(F).where(F.c.id == row.id).values(**values))
        if inserts:
            ensure_hosts(session, (i["host"] for i in inserts), now=now)
            insert_ignore(session, F, inserts)
    return result


def _decide(row: Any, article: Any, *, run_id: int | None,
            now: datetime) -> dict[str, Any] | None:
    """The row changes that queue a URL for this pass; None: leave it alone."""
    if row is not None and row.state == "queued":
        return {"crawl_run_id": run_id} if run_id is not None else {}
    if row is not None and row.state == "in_progress":
        if row.lease_expires_at is not None and aware_utc(row.lease_expires_at) < now:
            # its worker died: the reaper returns it to the queue, as part of this pass
            return {"crawl_run_id": run_id} if run_id is not None else {}
        return None  # being fetched right now by someone
    if row is not None and run_id is not None and row.crawl_run_id == run_id:
        return None  # finished in this very pass
    if article is not None:
        due = article.recheck_at is not None and aware_utc(article.recheck_at) <= now
        if not due or (row is not None and row.url != article.canonical_url):
            return None  # an article is rechecked once, at its canonical URL
        return _requeue(run_id, now, purpose="recheck", article_id=article.id)
    if row is not None and row.state == "done":
        return None  # finished without an article to recheck
    if (row is not None and row.state == "failed" and not _is_temporary(row.last_reason)
            and aware_utc(row.updated_at) > now - REDISCOVER_FAILED_AFTER):
        return None  # 404, robots.txt...: not asked again every pass, only once a day
    return _requeue(run_id, now, purpose="article", article_id=None)


def _requeue(run_id: int | None, now: datetime, *, purpose: str,
             article_id: int | None) -> dict[str, Any]:
    return {
        "state": "queued", "purpose": purpose, "attempts": 0, "next_attempt_at": now,
        "crawl_run_id": run_id, "outcome": None, "last_error": None, "last_reason": None,
        "lease_expires_at": None, "leased_by": None, "article_id": article_id,
        "updated_at": now,
    }


def enqueue_rechecks(
    session: Session, *, source_id: int, run_id: int | None, now: datetime, limit: int = 1000,
) -> int:
    """Queue this source's articles whose recheck is due, even if discovery no longer lists
    them (an article drops off the feed long before its 72 h recheck)."""
    due = session.execute(
        sa.select(A.c.canonical_url)
        .where(A.c.source_id == source_id, A.c.recheck_at.is_not(None), A.c.recheck_at <= now)
        .order_by(A.c.recheck_at)
        .limit(limit)
    ).scalars().all()
    if not due:
        return 0
    return enqueue(session, candidates=[Candidate(u) for u in due], source_id=source_id,
                   run_id=run_id, now=now).queued


def _jsonable(hints: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in hints.items()}
