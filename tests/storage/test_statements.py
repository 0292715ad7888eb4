"""Statements run on the DB-API cursor write the rows SQLAlchemy's execute writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from newsarchive.models import Capture
from newsarchive.storage.db import Database
from newsarchive.storage.statements import Direct, NotDirect

C = Capture.__table__  # type: ignore[attr-defined]
KEYS = ("url", "final_url", "source_id", "status", "content_type", "headers",
        "request_headers", "redirects", "body", "body_encoding", "body_length", "sha256",
        "ip_address", "fetched_at", "article_id")


def _values(url: str) -> dict[str, Any]:
    return {
        "url": url, "final_url": url + "?x=ü", "source_id": None, "status": 200,
        "content_type": "text/html", "headers": [["content-type", "text/html"], ["x", "é\"\\"]],
        "request_headers": [], "redirects": [[301, "http://a.test/next"]], "body": b"\x00\xffbody",
        "body_encoding": "zstd", "body_length": 6, "sha256": "ab" * 32, "ip_address": None,
        # not UTC: the column's own processing makes it UTC, on both paths
        "fetched_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2))),
        "article_id": None,
    }


def _row(db: Database, row_id: int) -> dict[str, Any]:
    with db.read() as session:
        row = session.execute(sa.select(C).where(C.c.id == row_id)).mappings().one()
    return {k: v for k, v in row.items() if k not in ("id", "url", "final_url")}


def test_insert_writes_the_row_sqlalchemy_writes(db: Database) -> None:
    direct = Direct(sa.insert(C).returning(C.c.id), KEYS)
    with db.write() as session:
        conn = session.connection()
        theirs = conn.execute(sa.insert(C), _values("http://a.test/1")).inserted_primary_key
        ours = direct.scalar(conn, _values("http://a.test/2"))
    assert theirs is not None and isinstance(ours, int)
    assert _row(db, ours) == _row(db, int(theirs[0]))
    assert _row(db, ours)["fetched_at"] == datetime(2026, 1, 2, 1, 4, 5, 678901, tzinfo=UTC)


def test_update_fills_fixed_values_and_counts_rows(db: Database) -> None:
    direct = Direct(sa.update(C).where(C.c.url == sa.bindparam("the_url"))
                    .values(status=sa.bindparam("status"), content_type=None,
                            body_encoding="identity"))
    with db.write() as session:
        conn = session.connection()
        conn.execute(sa.insert(C), [_values("http://a.test/1"), _values("http://a.test/2")])
        assert direct.count(conn, {"the_url": "http://a.test/1", "status": 404}) == 1
        assert direct.count(conn, {"the_url": "http://a.test/none", "status": 404}) == 0
        rows = conn.execute(sa.select(C.c.url, C.c.status, C.c.content_type, C.c.body_encoding)
                            .order_by(C.c.url)).all()
    assert [tuple(r) for r in rows] == [("http://a.test/1", 404, None, "identity"),
                                        ("http://a.test/2", 200, "text/html", "zstd")]


def test_statements_that_need_sqlalchemy_are_refused(db: Database) -> None:
    expanding = Direct(sa.select(C.c.id).where(C.c.url.in_(sa.bindparam("urls",
                                                                       expanding=True))))
    defaulted = Direct(sa.insert(C), ("url", "final_url"))  # fetched_at has a Python default
    with db.write() as session:
        conn = session.connection()
        for statement in (expanding, defaulted):
            with pytest.raises(NotDirect):
                statement.rows(conn, {"urls": ["x"], "url": "x", "final_url": "x"})


def test_driver_errors_come_as_sqlalchemys(db: Database) -> None:
    """The retry loop (services/archive.py) reads SQLAlchemy's exceptions and their ``.orig``."""
    direct = Direct(sa.insert(C), (*KEYS, "id"))
    with db.write() as session:
        conn = session.connection()
        direct.run(conn, {**_values("http://a.test/1"), "id": 7})
        with pytest.raises(sa.exc.IntegrityError) as caught:
            direct.run(conn, {**_values("http://a.test/2"), "id": 7})
    assert caught.value.orig is not None
