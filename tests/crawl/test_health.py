"""Per-source health: failing fetches and missing fields flag a source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsarchive.models import Article, FrontierURL, Source
from newsarchive.storage.db import Database
from newsarchive.storage.health import source_health

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _source(db: Database) -> int:
    with db.write() as s:
        src = Source(url="http://a.test/")
        s.add(src)
        s.flush()
        assert src.id is not None
        return src.id


def _articles(db: Database, sid: int, n: int, start: int, *, dated: bool) -> None:
    with db.write() as s:
        for i in range(start, start + n):
            s.add(Article(url=f"http://a.test/{i}", canonical_url=f"http://a.test/{i}",
                          source_id=sid, title=f"Story {i}", authors=["Jane Doe"],
                          word_count=300, published_at=T0 if dated else None,
                          fetched_at=T0 + timedelta(minutes=i)))


def test_a_source_whose_dates_vanish_is_flagged(db: Database) -> None:
    sid = _source(db)
    _articles(db, sid, 30, 0, dated=True)
    with db.read() as s:
        healthy = source_health(s, sid)
    assert healthy["flagged"] is False and healthy["missing"]["date"] == 0.0
    assert healthy["counts"]["articles"] == 30
    _articles(db, sid, 20, 30, dated=False)
    with db.read() as s:
        sick = source_health(s, sid)
    assert sick["flagged"] is True
    assert sick["missing"]["date"] == 1.0 and sick["missing_before"]["date"] == 0.0
    assert "no date" in sick["reason"] and "layout" in sick["reason"]


def test_a_source_whose_fetches_fail_is_flagged(db: Database) -> None:
    sid = _source(db)
    with db.write() as s:
        for i in range(10):
            s.add(FrontierURL(url=f"http://a.test/{i}", host="a.test", source_id=sid,
                              state="failed" if i < 7 else "done",
                              last_reason="http_403" if i < 7 else None))
    with db.read() as s:
        health = source_health(s, sid)
    assert health["failing_share"] == 0.7 and health["failures"] == {"http_403": 7}
    assert health["flagged"] and "http_403" in health["reason"]
    assert health["counts"]["failed"] == 7


def test_unknown_source_has_no_health(db: Database) -> None:
    with db.read() as s:
        assert source_health(s, 999) == {}
