"""Re-run the current extractor over stored raw captures (after an upgrade of the extractor).

Each article's latest capture is decompressed and extracted again in the process pool (with
its source's current boilerplate profile); a
new version is made only where the result changed (text, title, authors, dates), so
running it twice changes nothing the second time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import col, select

from newsarchive.errors import NewsarchiveError
from newsarchive.extract import ExtractedArticle, ExtractOptions
from newsarchive.models import Article, Capture
from newsarchive.services import dedup
from newsarchive.services.archive import with_db_retry
from newsarchive.services.extraction import ExtractPool, SiteProfiles
from newsarchive.services.site_rules import SiteRulesFile
from newsarchive.storage.articles import latest_capture, save_article
from newsarchive.storage.blobs import decompress
from newsarchive.storage.db import Database

#: fields whose change makes a new version (the rest follows them)
COMPARED = ("content_hash", "title", "authors", "published_at", "modified_at", "original_source")
#: articles read from the database at a time
BATCH = 200


@dataclass
class ReextractReport:
    checked: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: dict[int, str] = field(default_factory=dict)


def _differs(article: Article, extracted: ExtractedArticle) -> bool:
    return any(getattr(article, name) != getattr(extracted, name) for name in COMPARED)


def _ids(db: Database, source_id: int | None, since: datetime | None, after: int) -> list[int]:
    with db.read() as session:
        query = select(Article.id).where(col(Article.id) > after).order_by(col(Article.id))
        if source_id is not None:
            query = query.where(Article.source_id == source_id)
        if since is not None:
            query = query.where(col(Article.fetched_at) >= since)
        return [i for i in session.exec(query.limit(BATCH)) if i is not None]


def _load(db: Database, article_id: int) -> tuple[bytes, Capture, int | None] | None:
    with db.read() as session:
        capture = latest_capture(session, article_id)
        article = session.get(Article, article_id)
        if capture is None or capture.id is None or article is None:
            return None
        return decompress(capture.body, capture.body_encoding), capture, article.source_id


def _store(db: Database, article_id: int, extracted: ExtractedArticle, simhash_value: int | None,
           capture_id: int) -> bool:
    with db.write() as session:
        article = session.get(Article, article_id)
        if article is None or not _differs(article, extracted):
            return False
        extracted.canonical_url = article.canonical_url
        extracted.url = article.url
        outcome = save_article(session=session, canonical_url=article.canonical_url,
                               extracted=extracted, capture=None, source_id=article.source_id,
                               now=datetime.now(UTC), changed=True, capture_id=capture_id)
        dedup.link_duplicates(session, outcome.article, simhash_value=simhash_value)
        return True


async def reextract(
    *, db: Database, pool: ExtractPool, source_id: int | None = None,
    since: datetime | None = None, concurrency: int = 4,
    on_progress: Callable[[ReextractReport], None] | None = None,
    rules: SiteRulesFile | None = None,
) -> ReextractReport:
    """``rules`` are the user's per-site rules (a changed rules file makes new versions)."""
    report = ReextractReport()
    gate = asyncio.Semaphore(concurrency)
    profiles = SiteProfiles(db)

    async def one(article_id: int) -> None:
        async with gate:
            loaded = await asyncio.to_thread(_load, db, article_id)
            if loaded is None:
                return
            body, capture, source_id = loaded
            url, capture_id = capture.final_url, capture.id or 0
            profile = await profiles.get(source_id)
            options = ExtractOptions(fetched_at=capture.fetched_at,
                                     content_type=capture.content_type,
                                     profile=profile or frozenset(),
                                     rules=rules.for_url(url) if rules else None)
            report.checked += 1
            try:
                extracted, simhash_value = await pool.run(body, url, options)
                if not extracted.is_article:
                    raise NewsarchiveError(f"no longer read as an article: {extracted.reason}")
                changed = await asyncio.to_thread(
                    with_db_retry, lambda: _store(db, article_id, extracted, simhash_value,
                                                  capture_id), what=f"store article {article_id}")
            except NewsarchiveError as exc:
                report.failed += 1
                report.errors[article_id] = str(exc)
                return
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
            if on_progress:
                on_progress(report)

    after = 0
    while ids := await asyncio.to_thread(_ids, db, source_id, since, after):
        await asyncio.gather(*(one(i) for i in ids))
        after = ids[-1]
    return report
