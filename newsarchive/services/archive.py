"""Archive one URL: fetch, extract, store (new article, new version, or nothing new)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urljoin

from newsarchive.discover.urls import InvalidURL, canonicalize, same_site
from newsarchive.errors import BlockedURL, ExtractionError, StorageError
from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.fetch.client import Fetcher, FetchResult
from newsarchive.storage.articles import SaveOutcome, capture_from_fetch, save_article
from newsarchive.storage.db import Database

ExtractFn = Callable[[bytes, str, ExtractOptions], Awaitable[ExtractedArticle]]


async def extract_in_thread(body: bytes, url: str, options: ExtractOptions) -> ExtractedArticle:
    """Default extraction runner (the worker swaps in a process pool)."""
    return await asyncio.to_thread(extract, body, url, options)


def canonical_for(result: FetchResult, extracted: ExtractedArticle) -> str:
    """The page's rel=canonical when it stays on the same site, else the final URL."""
    final = canonicalize(result.final_url)
    declared = extracted.canonical_url
    if declared:
        try:
            candidate = canonicalize(urljoin(result.final_url, declared))
        except InvalidURL:
            return final
        if same_site(candidate, final):
            return candidate
    return final


def check_url(url: str) -> str:
    try:
        return canonicalize(url)
    except InvalidURL as exc:
        raise BlockedURL(str(exc), url=url) from exc


def store_fetched(
    *, db: Database, result: FetchResult, extracted: ExtractedArticle,
    source_id: int | None = None, hints_requested: str | None = None,
) -> SaveOutcome:
    """Store an extracted page as an Article (or a new version); raises if it is no article."""
    if not extracted.is_article:
        raise ExtractionError(
            f"{result.final_url} is not an article: {extracted.reason or extracted.page_type}",
            url=result.url,
        )
    canonical = canonical_for(result, extracted)
    extracted.canonical_url = canonical
    extracted.url = result.url
    aliases = tuple(
        u for u in {canonicalize(result.url), canonicalize(result.final_url)} if u != canonical
    )
    try:
        with db.write() as session:
            outcome = save_article(
                session=session,
                canonical_url=canonical,
                extracted=extracted,
                capture=capture_from_fetch(result, source_id=source_id),
                source_id=source_id,
                also_known_as=aliases,
            )
            session.expunge(outcome.article)
            return outcome
    except StorageError:
        raise
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            raise StorageError(f"cannot store {result.url}: {exc.__class__.__name__}: "
                               f"{str(exc).splitlines()[0]}", url=result.url) from exc
        raise


async def archive_url(
    *,
    db: Database,
    fetcher: Fetcher,
    url: str,
    source_id: int | None = None,
    extract_fn: ExtractFn = extract_in_thread,
) -> SaveOutcome:
    """Fetch ``url`` now (known or not) and store what changed. Raises FetchError,
    ExtractionError or StorageError with a message a user can read."""
    check_url(url)
    result = await fetcher.fetch(url)
    extracted = await extract_fn(
        result.body, result.final_url,
        ExtractOptions(fetched_at=result.fetched_at, content_type=result.content_type),
    )
    return await asyncio.to_thread(
        store_fetched, db=db, result=result, extracted=extracted, source_id=source_id
    )
