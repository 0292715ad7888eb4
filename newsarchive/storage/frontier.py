"""The frontier: the durable crawl queue, shared by every worker of a deployment.

One row per canonical URL. States::

    queued ──claim──> in_progress ──complete──> done
       ^                  │  │
       │   retryable fail │  └──final fail──> failed
       └──────────────────┘   (lease expiry also returns it to queued)

Claiming takes the host rows first (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on
SQLite the whole claim is one ``BEGIN IMMEDIATE`` write transaction, see
storage/db.py), counts the host's unexpired leases against the per-host
concurrency, hands out send slots ``host_delay`` apart and moves the host's
``next_allowed_at`` past the last slot. Politeness therefore holds across every
process, and a worker that dies leaves leases that expire and return its URLs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from newsarchive.discover.urls import host_of
from newsarchive.models import Article, CrawlRun, FrontierURL, HostState
from newsarchive.storage.hosts import ensure_hosts, insert_ignore, push_back, slots
from newsarchive.storage.statements import Direct

F = FrontierURL.__table__  # type: ignore[attr-defined]
H = HostState.__table__  # type: ignore[attr-defined]
A = Article.__table__  # type: ignore[attr-defined]
R = CrawlRun.__table__  # type: ignore[attr-defined]

#: first retry of a 5xx or a timeout waits this long, doubling each attempt (1, 2, 4 s...)
RETRY_BASE_SECONDS = 1.0
#: no backoff grows past this, so a flaky site is tried again within the hour
RETRY_MAX_SECONDS = 3600.0
#: a worker may claim send slots up to this far ahead, so it is never idle between polls
CLAIM_AHEAD_SECONDS = 1.0
#: rows per IN (...) list; well under SQLite's variable limit
CHUNK = 500
#: failure reasons worth another try on a later pass (temporary by nature). A private
#: address refused is this deployment's policy, not the site's answer: the setting may have
#: changed by the next pass (no request is sent while it refuses)
TEMPORARY_REASONS = ("timeout", "network", "lease_expired", "http_408", "http_425", "http_429",
                     "private_address")
#: a URL that failed for good (404, robots.txt, a refused address) is fetched again when a
#: later pass finds it after this long: newsrooms link stories before they go live, robots.txt
#: and settings change; once a day keeps a dead link on a front page from costing more
REDISCOVER_FAILED_AFTER = timedelta(days=1)
#: outcomes of a finished fetch that count as "fetched" in a crawl run
FETCHED_OUTCOMES = ("archived", "updated", "unchanged", "not_modified")


@dataclass(frozen=True)
class Policy:
    """What claiming and failing need to know; built from Settings by the services."""

    lease_seconds: float = 60.0
    host_delay: float = 1.0
    host_concurrency: int = 2
    max_attempts: int = 3
    retry_base: float = RETRY_BASE_SECONDS


@dataclass(frozen=True)
class Candidate:
    """A URL to queue (already canonical) and what discovery knew of it."""

    url: str
    hints: dict[str, Any] = field(default_factory=dict)
    priority: int = 0


@dataclass(frozen=True)
class Claimed:
    """A URL leased to one worker, with the moment it may be sent."""

    id: int
    url: str
    host: str
    source_id: int | None
    crawl_run_id: int | None
    purpose: str
    attempts: int
    hints: dict[str, Any]
    article_id: int | None
    not_before: datetime


@dataclass
class EnqueueResult:
    queued: int = 0
    skipped: int = 0
    rechecks: int = 0


@dataclass(frozen=True)
class Failure:
    """Why a fetch failed, as the frontier records it."""

    reason: str
    message: str
    retryable: bool = False
    retry_after: float | None = None


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


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
    for chunk in _chunks(unique):
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
        if row.lease_expires_at is not None and _aware(row.lease_expires_at) < now:
            # its worker died: the reaper returns it to the queue, as part of this pass
            return {"crawl_run_id": run_id} if run_id is not None else {}
        return None  # being fetched right now by someone
    if row is not None and run_id is not None and row.crawl_run_id == run_id:
        return None  # finished in this very pass
    if article is not None:
        due = article.recheck_at is not None and _aware(article.recheck_at) <= now
        if not due or (row is not None and row.url != article.canonical_url):
            return None  # an article is rechecked once, at its canonical URL
        return _requeue(run_id, now, purpose="recheck", article_id=article.id)
    if row is not None and row.state == "done":
        return None  # finished without an article to recheck
    if (row is not None and row.state == "failed" and not _is_temporary(row.last_reason)
            and _aware(row.updated_at) > now - REDISCOVER_FAILED_AFTER):
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


#: rows of a pass still "running": it is driven by the process that started it (`crawl` in
#: the foreground, serve's "crawl now"), which fetches it with its own worker and its own
#: settings. Other workers leave them alone: taking them fetched them under another policy
#: (a private address refused, and recorded failed, in a pass run to allow it). If that
#: process dies, its heartbeat goes stale and the workers' reaper hands the pass to them
#: (storage/crawls.py: hand_over_abandoned).
_DRIVEN = sa.exists().where(R.c.id == F.c.crawl_run_id, R.c.status == "running")


def _for(query: Any, run_id: int | sa.BindParameter[int] | None) -> Any:
    """``query`` limited to the rows a worker of pass ``run_id`` (None: any pass) takes."""
    return query.where(F.c.crawl_run_id == run_id if run_id is not None else ~_DRIVEN)


def _claim_statements(by_run: bool) -> tuple[Any, Any]:
    """(due hosts, due rows of one host) for ``claim``, with or without a crawl run."""
    waiting = sa.select(sa.literal(1)).where(
        F.c.host == H.c.host, F.c.state == "queued", F.c.next_attempt_at <= sa.bindparam("now")
    )
    rows = (
        sa.select(F.c.id, F.c.url, F.c.source_id, F.c.crawl_run_id, F.c.purpose, F.c.attempts,
                  F.c.hints, F.c.article_id)
        .where(F.c.host == sa.bindparam("host"), F.c.state == "queued",
               F.c.next_attempt_at <= sa.bindparam("now"))
        .order_by(F.c.priority.desc(), F.c.id)
        .limit(sa.bindparam("room"))
        .with_for_update(skip_locked=True, of=F)
    )
    run: sa.BindParameter[int] | None = sa.bindparam("run_id") if by_run else None
    waiting, rows = _for(waiting, run), _for(rows, run)
    hosts = (
        sa.select(H.c.host, H.c.next_allowed_at, H.c.crawl_delay)
        .where(H.c.next_allowed_at <= sa.bindparam("horizon"), waiting.exists())
        .order_by(H.c.next_allowed_at)
        .limit(sa.bindparam("limit"))
        .with_for_update(skip_locked=True, of=H)
    )
    return hosts, rows


#: built once (a claim runs them every few pages): building a statement and its cache key
#: costs more CPU than the database takes to run it; keyed by whether a run is given
_CLAIM = {by_run: _claim_statements(by_run) for by_run in (False, True)}
_IN_FLIGHT = sa.select(sa.func.count()).select_from(F).where(
    F.c.host == sa.bindparam("host"), F.c.state == "in_progress",
    F.c.lease_expires_at > sa.bindparam("now"),
)
#: one statement for all of a claim's rows (executemany)
_LEASE = sa.update(F).where(F.c.id == sa.bindparam("row_id")).values(
    state="in_progress", leased_by=sa.bindparam("worker"),
    lease_expires_at=sa.bindparam("lease_until"), attempts=sa.bindparam("tries"),
    next_attempt_at=sa.bindparam("slot"), updated_at=sa.bindparam("now"),
)
_HOST_NEXT = sa.update(H).where(H.c.host == sa.bindparam("the_host")).values(
    next_allowed_at=sa.bindparam("next_allowed"))


def claim(
    session: Session, *, worker: str, policy: Policy, limit: int, now: datetime,
    run_id: int | None = None,
) -> list[Claimed]:
    """Lease up to ``limit`` due URLs to ``worker``, host politeness included. Call inside a
    write transaction; the caller commits. Each URL comes with its send slot."""
    horizon = now + timedelta(seconds=min(CLAIM_AHEAD_SECONDS, policy.lease_seconds / 4))
    hosts_query, _rows = _CLAIM[run_id is not None]
    params: dict[str, Any] = {"now": now, "horizon": horizon, "limit": limit}
    if run_id is not None:
        params["run_id"] = run_id
    hosts = session.connection().execute(hosts_query, params).all()
    claimed: list[Claimed] = []
    for host in hosts:
        if len(claimed) >= limit:
            break
        claimed.extend(_claim_host(session, host, worker=worker, policy=policy,
                                   limit=limit - len(claimed), now=now, horizon=horizon,
                                   run_id=run_id))
    return claimed


def _claim_host(
    session: Session, host: Any, *, worker: str, policy: Policy, limit: int, now: datetime,
    horizon: datetime, run_id: int | None,
) -> list[Claimed]:
    conn = session.connection()
    in_flight = conn.execute(_IN_FLIGHT, {"host": host.host, "now": now}).scalar_one()
    room = min(policy.host_concurrency - in_flight, limit)
    if room <= 0:
        return []
    delay = max(policy.host_delay, host.crawl_delay or 0.0)
    start = max(_aware(host.next_allowed_at), now)
    if delay > 0:
        room = min(room, 1 + int((horizon - start).total_seconds() / delay))
    params: dict[str, Any] = {"host": host.host, "now": now, "room": room}
    if run_id is not None:
        params["run_id"] = run_id
    rows = conn.execute(_CLAIM[run_id is not None][1], params).all()
    if not rows:
        return []
    times = slots(start, len(rows), delay)
    lease = timedelta(seconds=policy.lease_seconds)
    conn.execute(_LEASE, [
        {"row_id": row.id, "worker": worker, "lease_until": slot + lease,
         "tries": row.attempts + 1, "slot": slot, "now": now}
        for row, slot in zip(rows, times, strict=True)
    ])
    conn.execute(_HOST_NEXT, {"the_host": host.host,
                              "next_allowed": times[-1] + timedelta(seconds=delay)})
    return [Claimed(row.id, row.url, host.host, row.source_id, row.crawl_run_id, row.purpose,
                    row.attempts + 1, row.hints or {}, row.article_id, slot)
            for row, slot in zip(rows, times, strict=True)]


def renew(session: Session, *, ids: Sequence[int], worker: str, policy: Policy,
          now: datetime) -> set[int]:
    """Extend the leases ``worker`` still holds; returns the ids it still owns."""
    if not ids:
        return set()
    until = now + timedelta(seconds=policy.lease_seconds)
    owned: set[int] = set()
    for chunk in _chunks(list(ids)):
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
    for chunk in _chunks(list(ids)):
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
    for chunk in _chunks(list(ids)):
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
    return int(session.execute(_for(query, run_id)).scalar_one())


def next_wakeup(session: Session, *, run_id: int | None = None) -> datetime | None:
    """The earliest moment a queued URL becomes due (for sleeping instead of polling)."""
    query = sa.select(sa.func.min(F.c.next_attempt_at)).where(F.c.state == "queued")
    value = session.execute(_for(query, run_id)).scalar_one()
    return _aware(value) if value is not None else None


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


def _rows(result: Any) -> int:
    """Rows an UPDATE changed (CursorResult.rowcount; typed loosely by SQLAlchemy)."""
    return int(result.rowcount)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _jsonable(hints: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in hints.items()}
