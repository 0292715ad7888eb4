"""Filling a test archive through the real write path (save_article), fast enough for tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from newsarchive.extract import ExtractedArticle
from newsarchive.fetch.client import FetchResult
from newsarchive.storage.articles import capture_from_fetch, save_article
from newsarchive.storage.db import Database

BASE_TIME = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def extracted(title: str, text: str, *, description: str | None = None,
              authors: list[str] | None = None, language: str = "en",
              published_at: datetime | None = None) -> ExtractedArticle:
    return ExtractedArticle(
        title=title, description=description, text=text, html=f"<p>{text}</p>",
        authors=authors or [], language=language, published_at=published_at,
        word_count=len(text.split()), is_article=True, page_type="article",
        content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        extractor_version="test",
    )


def fetch_result(url: str, body: bytes, *, fetched_at: datetime | None = None) -> FetchResult:
    return FetchResult(
        url=url, final_url=url, status=200, content_type="text/html; charset=utf-8",
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                 ("ETag", '"abc"')],
        request_headers=[("User-Agent", "newsarchive-test"), ("Accept", "text/html")],
        redirects=[], body=body, ip_address="127.0.0.1",
        fetched_at=fetched_at or BASE_TIME,
    )


def add_article(db: Database, n: int, title: str, text: str, *, with_capture: bool = True,
                source_id: int | None = None, **fields: object) -> int:
    """Store one article (or a new version of the one at the same URL); returns its id."""
    url = fields.pop("url", None) or f"https://news.example/{n}/story"
    published = fields.pop("published_at", BASE_TIME + timedelta(hours=n))
    record = extracted(title, text, published_at=published, **fields)  # type: ignore[arg-type]
    body = f"<html><body><h1>{title}</h1><p>{text}</p></body></html>".encode()
    fetched = BASE_TIME + timedelta(days=30, minutes=n)
    capture = capture_from_fetch(fetch_result(str(url), body, fetched_at=fetched),
                                 source_id=source_id) if with_capture else None
    with db.write() as session:
        outcome = save_article(session=session, canonical_url=str(url), extracted=record,
                               capture=capture, source_id=source_id, now=fetched)
        assert outcome.article.id is not None
        return outcome.article.id
