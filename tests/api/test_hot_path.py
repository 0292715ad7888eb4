"""The list and detail hot path (cached statements, driver rows, orjson) answers exactly
what the pydantic models would, pages like the general path, and survives a dead
pooled connection."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.models import Article, ArticleSummary
from newsarchive.storage import article_lists, article_query, article_reads
from newsarchive.storage.db import Database
from newsarchive.web.api.schemas import Page
from newsarchive.web.app import create_app
from tests.api.helpers import BASE_TIME, add_article


@pytest.fixture
def varied(db: Database) -> Database:
    """Articles with microseconds, a missing publication date, tags, unicode, metadata."""
    for n in range(1, 8):
        add_article(db, n, f"Story {n} é", f"Text of story {n} with üñíçødé.",
                    authors=[f"Author {n % 3}"], language="de" if n % 2 else "en",
                    published_at=None if n == 4 else BASE_TIME + timedelta(hours=n,
                                                                           microseconds=n * 7))
    table = Article.__table__  # type: ignore[attr-defined]
    with db.write() as session:
        session.execute(sa.update(table).where(table.c.id == 2).values(
            tags=["a", "b\u00e9"], meta={"k": 1.5, "n": None, "l": [1, 2]},
            modified_at=BASE_TIME + timedelta(seconds=1, microseconds=120000)))
    return db


def test_list_and_detail_bytes_match_the_models(settings: Settings, varied: Database) -> None:
    with TestClient(create_app(settings, db=varied)) as client:
        for path, query in (("/api/articles?limit=3", article_query.ArticleQuery(limit=3)),
                            ("/api/articles?sort=published&language=de",
                             article_query.ArticleQuery(sort="published", language="de")),
                            ("/api/articles?sort=-fetched&since=2024-05-01",
                             article_query.ArticleQuery(sort="-fetched", since="2024-05-01"))):
            items, cursor = article_lists.list_article_summaries(varied, query)
            expected = Page[ArticleSummary](items=items, next_cursor=cursor).model_dump_json()
            assert client.get(path).content == expected.encode(), path
        for article_id in (1, 2, 4):
            record = article_reads.get_article_public(varied, article_id)
            assert record is not None
            response = client.get(f"/api/articles/{article_id}")
            assert response.content == record.model_dump_json().encode()
        assert '"modified_at":"2024-05-01T08:00:01.120000Z"' in client.get(
            "/api/articles/2").text


def test_cursor_pages_walk_every_article_once(settings: Settings, varied: Database) -> None:
    with TestClient(create_app(settings, db=varied)) as client:
        for sort in ("-published", "published", "-fetched"):
            seen: list[int] = []
            cursor = ""
            while True:
                page = client.get(f"/api/articles?limit=2&sort={sort}&cursor={cursor}")
                assert page.status_code == 200
                seen += [item["id"] for item in page.json()["items"]]
                cursor = page.json()["next_cursor"]
                if cursor is None:
                    break
            assert sorted(seen) == list(range(1, 8)) and len(seen) == 7, sort


@pytest.mark.postgres
def test_dead_pooled_connection_is_replaced(pg_url: str) -> None:
    from newsarchive.storage.migrate import upgrade

    upgrade(pg_url)
    db = Database(pg_url)
    try:
        add_article(db, 1, "Kept", "Still served after the server dropped the connection.")
        assert article_reads.get_article_record(db, 1) is not None  # the reader pool now holds one
        name = sa.engine.make_url(pg_url).database
        with db.engine.connect() as conn:  # drop every other session of this database
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :name AND pid <> pg_backend_pid()"),
                         {"name": name})
        record = article_reads.get_article_record(db, 1)
        assert record is not None and record["title"] == "Kept"
    finally:
        db.dispose()


@pytest.mark.postgres
def test_async_reads_survive_terminated_backends(pg_url: str) -> None:
    """The app's async pool (PostgreSQL's hot path) drops a connection the server killed
    and answers from a fresh one."""
    from newsarchive.storage.migrate import upgrade
    from tests.conftest import make_settings

    upgrade(pg_url)
    db = Database(pg_url)
    try:
        add_article(db, 1, "Kept", "Still served after the server dropped the connection.")
        with TestClient(create_app(make_settings(pg_url), db=db)) as client:
            assert client.app.state.reader is not None  # type: ignore[attr-defined]
            assert client.get("/api/articles/1").status_code == 200
            assert client.get("/api/articles").json()["items"][0]["title"] == "Kept"
            name = sa.engine.make_url(pg_url).database
            with db.engine.connect() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = :name AND pid <> pg_backend_pid()"),
                             {"name": name})
            for _ in range(3):  # every pooled connection was killed: each is replaced
                assert client.get("/api/articles/1").json()["title"] == "Kept"
                assert client.get("/api/articles").json()["items"][0]["id"] == 1
    finally:
        db.dispose()


def test_unreachable_postgres_answers_503_without_freezing_the_loop(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on the port: a hot-path read gives up after the pool's wait with a
    503, and meanwhile the event loop goes on serving other requests."""
    import threading
    import time

    from newsarchive.storage import async_reads
    from tests.conftest import make_settings

    monkeypatch.setattr(async_reads, "POOL_WAIT_SECONDS", 1.5)
    url = "postgresql+psycopg://postgres@127.0.0.1:9/none"
    with TestClient(create_app(make_settings(url))) as client:
        answers: list[int] = []
        slow = threading.Thread(target=lambda: answers.append(
            client.get("/api/articles/1").status_code))
        started = time.monotonic()
        slow.start()
        time.sleep(0.3)
        assert client.get("/healthz").status_code == 200
        assert time.monotonic() - started < 1.2  # served while the read was waiting
        slow.join(10)
        assert answers == [503]
        response = client.get("/api/articles")
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"


@pytest.mark.postgres
def test_async_reads_plan_once_only_where_one_plan_fits(pg_url: str) -> None:
    """Unfiltered pages and articles run as prepared statements on generic plans (planned
    once per connection, not again for every request); filtered pages are not prepared,
    so PostgreSQL plans each for its values (a rare language from its index)."""
    import asyncio
    import contextlib

    from newsarchive.storage.async_reads import AsyncReader
    from newsarchive.storage.migrate import upgrade

    upgrade(pg_url)
    db = Database(pg_url)

    async def exercise() -> list[tuple[str, int, int]]:
        reader = AsyncReader(db)
        await reader.open()
        await reader.pool.wait()
        try:
            for _ in range(8):
                first, cursor = await reader.list_records(article_query.ArticleQuery(limit=2))
                assert [r["id"] for r in first] == [5, 4] and cursor is not None
                deeper, _ = await reader.list_records(article_query.ArticleQuery(limit=2,
                                                                           cursor=cursor))
                assert [r["id"] for r in deeper] == [3, 2]
                assert (await reader.article_record(2) or {})["title"] == "Story 2"
                german, _ = await reader.list_records(article_query.ArticleQuery(language="de"))
                assert [r["id"] for r in german] == [5, 3, 1]
                assert (await reader.list_records(article_query.ArticleQuery(language="zz")))[0] == []
            async with contextlib.AsyncExitStack() as stack:  # every pooled session
                sessions = [await stack.enter_async_context(reader.pool.connection())
                            for _ in range(reader.pool.get_stats()["pool_size"])]
                rows: list[tuple[str, int, int]] = []
                for conn in sessions:
                    cursor_ = await conn.execute(
                        "SELECT statement, generic_plans, custom_plans "
                        "FROM pg_prepared_statements")
                    rows += await cursor_.fetchall()
                return rows
        finally:
            await reader.close()

    try:
        for n in range(1, 6):
            add_article(db, n, f"Story {n}", f"Text of story {n}.",
                        language="de" if n % 2 else "en",
                        published_at=BASE_TIME + timedelta(hours=n))
        prepared = asyncio.run(exercise())
        assert len(prepared) >= 3, prepared  # first page, cursor page, article
        assert all(generic > 0 and custom == 0 for _, generic, custom in prepared), prepared
        assert not any("article.language = " in s for s, _, _ in prepared), prepared
    finally:
        db.dispose()
