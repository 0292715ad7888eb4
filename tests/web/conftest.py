"""Fixtures of the HTML side: the app over a real database, pages archived from a local site."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.extract import ExtractedArticle
from newsarchive.fetch.client import Fetcher
from newsarchive.services.archive import archive_url
from newsarchive.storage.articles import save_article
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app


def archive(db: Database, settings: Settings, url: str, source_id: int | None = None) -> int:
    """Archive one URL through the real fetch + extract + store path; the article id."""

    async def _go() -> int:
        async with Fetcher(settings) as fetcher:
            outcome = await archive_url(db=db, fetcher=fetcher, url=url, source_id=source_id)
        assert outcome.article.id is not None
        return outcome.article.id

    return asyncio.run(_go())


def store_article(db: Database, canonical_url: str, **fields: Any) -> int:
    """Store an article record as given, bypassing extraction (e.g. a hostile body that a
    future extractor bug might let through)."""
    fields.setdefault("text", "")
    fields.setdefault("content_hash", hashlib.sha256(
        (canonical_url + fields["text"] + fields.get("html", "")).encode()).hexdigest())
    extracted = ExtractedArticle(url=canonical_url, canonical_url=canonical_url,
                                 is_article=True, **fields)
    with db.write() as session:
        outcome = save_article(session=session, canonical_url=canonical_url,
                               extracted=extracted, capture=None)
        assert outcome.article.id is not None
        return outcome.article.id


@pytest.fixture
def client(db: Database, settings: Settings) -> Iterator[TestClient]:
    """The whole app (API and pages) over the test database; TestClient's peer is loopback."""
    with TestClient(create_app(settings, db=db)) as test_client:
        yield test_client


def csrf_token(client: TestClient, path: str = "/sources") -> str:
    """The CSRF token a page's forms carry (the GET also sets the session cookie)."""
    import re

    page = client.get(path)
    assert page.status_code == 200, page.text
    match = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert match, "the page has no CSRF field"
    return match.group(1)
