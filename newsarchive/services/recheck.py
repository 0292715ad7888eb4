"""Rechecks: a recent article is fetched again on a decaying schedule (settings.recheck_hours,
by default 1, 6, 24 and 72 hours after it was first captured), with a conditional GET
built from its last capture, so a story edited after publication gets a new version and
an unchanged one costs a 304."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from newsarchive.models import Article
from newsarchive.storage.articles import latest_capture


def first_recheck(first_seen: datetime, hours: list[float]) -> datetime | None:
    return first_seen + timedelta(hours=hours[0]) if hours else None


def next_recheck(article: Article, hours: list[float], now: datetime) -> tuple[int, datetime | None]:
    """(rechecks done, when the next one is due) after a recheck made ``now``. The schedule is
    anchored on the first capture; steps already missed are skipped, not caught up."""
    done = article.rechecks + 1
    if article.recheck_at is None or done >= len(hours):
        return done, None
    first_seen = article.recheck_at - timedelta(hours=hours[article.rechecks])
    while done < len(hours):
        due = first_seen + timedelta(hours=hours[done])
        if due > now:
            return done, due
        done += 1
    return done, None


def schedule(article: Article, *, status: str, hours: list[float], now: datetime) -> None:
    """Set the article's recheck after storing a capture ('archived', 'updated', 'unchanged',
    'not_modified')."""
    if status == "archived":
        article.rechecks = 0
        article.recheck_at = first_recheck(article.fetched_at or now, hours)
    elif article.recheck_at is not None and article.recheck_at <= now:
        article.rechecks, article.recheck_at = next_recheck(article, hours, now)


def validators(session: Session, article_id: int) -> tuple[str | None, str | None, str | None]:
    """(ETag, Last-Modified, body SHA-256) of the article's last capture: a conditional GET,
    and a byte-for-byte comparison for servers that send no validators."""
    capture = latest_capture(session, article_id)
    if capture is None:
        return None, None, None
    headers = {str(k).lower(): str(v) for k, v in capture.headers}
    return headers.get("etag"), headers.get("last-modified"), capture.sha256 or None


def mark_not_modified(session: Session, article_id: int, *, hours: list[float],
                      now: datetime) -> None:
    """A 304: nothing new is stored, only the schedule moves on."""
    article = session.get(Article, article_id)
    if article is not None:
        schedule(article, status="not_modified", hours=hours, now=now)
        session.add(article)
