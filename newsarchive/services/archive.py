"""Archive one URL: fetch, extract, store (new article, new version, or nothing new).

``store_fetched`` is the one write path of a fetched page, used by ``archive``, the crawl
workers and ``reextract``: it stores the capture and the article, links duplicates and
moves the recheck schedule in one transaction, retried when the database hiccups.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urljoin

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from newsarchive.discover.urls import InvalidURL, canonicalize, same_site
from newsarchive.errors import BlockedURL, ExtractionError, StorageError
from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.fetch.client import Fetcher, FetchResult
from newsarchive.models import Article
from newsarchive.services import dedup, recheck
from newsarchive.services.site_rules import rules_file
from newsarchive.storage.articles import (
    SaveOutcome,
    capture_from_fetch,
    find_article_id,
    insert_new_article,
    save_article,
)
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)

ExtractFn = Callable[[bytes, str, ExtractOptions], Awaitable[ExtractedArticle]]
T = TypeVar("T")

#: tries of one database write before giving up (a restart of PostgreSQL takes seconds)
DB_ATTEMPTS = 6
#: first wait between two tries, doubled each time (0.5 + 1 + 2 + 4 + 8 s > a restart)
DB_RETRY_SECONDS = 0.5


async def extract_in_thread(body: bytes, url: str, options: ExtractOptions) -> ExtractedArticle:
    """Default extraction runner (the worker swaps in a process pool)."""
    return await asyncio.to_thread(extract, body, url, options)


#: failures no retry cures soon: SQLite's SQLITE_READONLY (8) and SQLITE_FULL (13) primary
#: result codes, PostgreSQL's read_only_sql_transaction and disk_full SQLSTATEs
HOPELESS_SQLITE_CODES = frozenset({8, 13})
HOPELESS_SQLSTATES = frozenset({"25006", "53100"})


def _hopeless(exc: BaseException) -> bool:
    """A read-only database or a full disk: say so now instead of after 15 s of retries."""
    while exc is not None and not hasattr(exc, "orig"):
        exc = exc.__cause__  # type: ignore[assignment]  # StorageError from Database.write
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return (int(code) & 0xFF) in HOPELESS_SQLITE_CODES
    return getattr(orig, "sqlstate", None) in HOPELESS_SQLSTATES


def with_db_retry(action: Callable[[], T], *, what: str) -> T:
    """Run a database action, again after a lost connection or a lost insert race.

    Connection errors retry with backoff (the pool's pre-ping replaces dead connections);
    an IntegrityError means another worker stored the same row first, and the next try
    sees it. Raises StorageError when the database stays unavailable."""
    wait = DB_RETRY_SECONDS
    for attempt in range(1, DB_ATTEMPTS + 1):
        try:
            return action()
        except (IntegrityError, SQLAlchemyError, StorageError) as exc:
            if _hopeless(exc):
                raise StorageError(f"cannot {what}: {exc}") from exc
            if attempt == DB_ATTEMPTS:
                raise StorageError(f"cannot {what}: {exc.__class__.__name__}: "
                                   f"{str(exc).splitlines()[0] if str(exc) else ''}") from exc
            log.warning("database error (%s), try %d of %d: %s", what, attempt, DB_ATTEMPTS,
                        str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
            if not isinstance(exc, IntegrityError):
                time.sleep(wait)
                wait *= 2
    raise AssertionError("unreachable")


def canonical_for(result: FetchResult, extracted: ExtractedArticle, final: str) -> str:
    """The page's rel=canonical when it stays on the same site, else ``final`` (the final URL
    canonicalized: prepare_page needs it too, and canonicalizing costs ~0.03 ms)."""
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


@dataclass
class PreparedPage:
    """A fetched article page ready to be written (``write_page``)."""

    result: FetchResult
    extracted: ExtractedArticle
    canonical: str
    aliases: tuple[str, ...]
    source_id: int | None
    simhash_value: int | None
    recheck_hours: list[float] | None
    also: Callable[[Session, SaveOutcome], None] | None


def prepare_page(
    *, result: FetchResult, extracted: ExtractedArticle, source_id: int | None = None,
    simhash_value: int | None = None, recheck_hours: list[float] | None = None,
    also: Callable[[Session, SaveOutcome], None] | None = None,
) -> PreparedPage:
    """Everything about storing a page that needs no database; raises if it is no article."""
    if not extracted.is_article:
        raise ExtractionError(
            f"{result.final_url} is not an article: {extracted.reason or extracted.page_type}",
            url=result.url,
        )
    final = canonicalize(result.final_url)
    canonical = canonical_for(result, extracted, final)
    extracted.canonical_url = canonical
    extracted.url = result.url
    first = final if result.url == result.final_url else canonicalize(result.url)
    aliases = tuple(u for u in {first, final} if u != canonical)
    if simhash_value is None:
        simhash_value = dedup.simhash(extracted.text)
    return PreparedPage(result, extracted, canonical, aliases, source_id, simhash_value,
                        recheck_hours, also)


def write_page(session: Session, page: PreparedPage) -> SaveOutcome:
    """Write one prepared page in an open write transaction: capture, article, duplicate
    links, recheck schedule, then ``page.also`` (the worker's frontier row).

    A page no stored article has (the crawl's common case) is written by Core inserts with
    its SimHash and recheck time included, and the ORM is used only if it copies something;
    a known article goes through ``save_article`` (which compresses its raw capture only when
    the text changed: an unchanged one stores none)."""
    now = datetime.now(UTC)
    found = find_article_id(session, page.canonical, *page.aliases)
    known = session.get(Article, found) if found is not None else None
    if known is None:
        hours = page.recheck_hours
        article = insert_new_article(
            session=session, canonical_url=page.canonical, extracted=page.extracted,
            result=page.result, source_id=page.source_id, now=now,
            simhash=page.simhash_value,
            recheck_at=recheck.first_recheck(page.result.fetched_at, hours) if hours else None,
        )
        outcome = SaveOutcome("archived", dedup.link_new_article(session, article))
    else:
        outcome = save_article(
            session=session, canonical_url=page.canonical, extracted=page.extracted,
            capture=functools.partial(capture_from_fetch, page.result, source_id=page.source_id),
            source_id=page.source_id, also_known_as=page.aliases, now=now, known=known,
        )
        if outcome.status != "unchanged":
            dedup.link_duplicates(session, outcome.article, simhash_value=page.simhash_value)
        if page.recheck_hours is not None:
            recheck.schedule(outcome.article, status=outcome.status, hours=page.recheck_hours,
                             now=now)
            session.add(outcome.article)
    if page.also is not None:
        page.also(session, outcome)
    session.flush()
    if outcome.article in session:
        session.expunge(outcome.article)
    return outcome


def store_fetched(
    *, db: Database, result: FetchResult, extracted: ExtractedArticle,
    source_id: int | None = None, simhash_value: int | None = None,
    recheck_hours: list[float] | None = None,
    also: Callable[[Session, SaveOutcome], None] | None = None,
) -> SaveOutcome:
    """Store an extracted page as an Article (or a new version); raises if it is no article.
    ``also`` runs in the same transaction (the worker marks its frontier row done there:
    one commit per page instead of two)."""
    page = prepare_page(result=result, extracted=extracted, source_id=source_id,
                        simhash_value=simhash_value, recheck_hours=recheck_hours, also=also)

    def write() -> SaveOutcome:
        with db.write() as session:
            return write_page(session, page)

    return with_db_retry(write, what=f"store {result.url}")


async def archive_url(
    *,
    db: Database,
    fetcher: Fetcher,
    url: str,
    source_id: int | None = None,
    extract_fn: ExtractFn = extract_in_thread,
    recheck_hours: list[float] | None = None,
) -> SaveOutcome:
    """Fetch ``url`` now (known or not) and store what changed. Raises FetchError,
    ExtractionError or StorageError with a message a user can read."""
    check_url(url)
    rules = rules_file(fetcher.settings.site_rules).for_url  # parsed again only if changed
    result = await fetcher.fetch(url)
    extracted = await extract_fn(
        result.body, result.final_url,
        ExtractOptions(fetched_at=result.fetched_at, content_type=result.content_type,
                       rules=rules(result.final_url)),
    )
    hours = recheck_hours if recheck_hours is not None else fetcher.settings.recheck_hours
    return await asyncio.to_thread(
        store_fetched, db=db, result=result, extracted=extracted, source_id=source_id,
        recheck_hours=hours,
    )
