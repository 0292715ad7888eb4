"""Articles, their versions and raw captures: the write path and simple reads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from newsarchive.extract import ExtractedArticle
from newsarchive.fetch.client import FetchResult
from newsarchive.models import Article, ArticlePublic, ArticleVersion, Capture
from newsarchive.storage.blobs import compress
from newsarchive.storage.statements import Direct

#: Article fields copied from an extraction result
RECORD_FIELDS = (
    "site_name", "title", "description", "authors", "published_at", "modified_at", "language",
    "text", "html", "top_image", "tags", "word_count", "original_source", "content_hash",
    "access", "extractor_version",
)


@dataclass
class SaveOutcome:
    """What storing one capture did: 'archived' (new), 'updated' (new version), 'unchanged'."""

    status: str
    article: Article


A = Article.__table__  # type: ignore[attr-defined]
C = Capture.__table__  # type: ignore[attr-defined]
V = ArticleVersion.__table__  # type: ignore[attr-defined]

#: statements built once: the write path runs them for every page, and building a statement
#: (and its cache key) costs more CPU than SQLite takes to run it
_FIND_IDS: dict[int, Direct] = {}


def _find_ids(count: int) -> Direct:
    """The lookup of ``count`` URLs (one statement a count: an expanding IN costs SQLAlchemy
    ~0.25 ms CPU to render at every execution, several times SQLite's work)."""
    found = _FIND_IDS.get(count)
    if found is None:
        urls: list[sa.BindParameter[str]] = [sa.bindparam(f"u{i}") for i in range(count)]
        found = _FIND_IDS[count] = Direct(
            sa.select(A.c.id, A.c.canonical_url)
            .where(sa.or_(A.c.canonical_url.in_(urls), A.c.url.in_(urls)))
            .order_by(A.c.id).limit(count * 2))
    return found

#: the columns the write path gives each row (every column with a default among them)
_ARTICLE_KEYS = (*RECORD_FIELDS, "url", "canonical_url", "source_id", "fetched_at",
                 "updated_at", "version", "meta", "simhash", "recheck_at", "rechecks")
_CAPTURE_KEYS = ("url", "final_url", "source_id", "status", "content_type", "headers",
                 "request_headers", "redirects", "body", "body_encoding", "body_length",
                 "sha256", "ip_address", "fetched_at", "article_id")
_VERSION_KEYS = ("article_id", "version", "capture_id", "fetched_at", "title", "text", "html",
                 "content_hash", "extractor_version", "record")
#: run on the DB-API cursor (storage/statements.py): ~0.03 ms less CPU a statement
_INSERT_ARTICLE = Direct(sa.insert(A).returning(A.c.id), _ARTICLE_KEYS)
_INSERT_CAPTURE = Direct(sa.insert(C).returning(C.c.id), _CAPTURE_KEYS)
_INSERT_VERSION = Direct(sa.insert(V), _VERSION_KEYS)


def capture_values(result: FetchResult, *, source_id: int | None = None) -> dict[str, Any]:
    """A capture row's columns (the article it belongs to aside)."""
    return dict(
        url=result.url,
        final_url=result.final_url,
        source_id=source_id,
        status=result.status,
        content_type=result.content_type,
        headers=[list(h) for h in result.headers],
        request_headers=[list(h) for h in result.request_headers],
        redirects=[list(r) for r in result.redirects],
        body=compress(result.body),
        body_encoding="zstd",
        body_length=len(result.body),
        sha256=hashlib.sha256(result.body).hexdigest(),
        ip_address=result.ip_address,
        fetched_at=result.fetched_at,
    )


def capture_from_fetch(result: FetchResult, *, source_id: int | None = None) -> Capture:
    return Capture(**capture_values(result, source_id=source_id))


def find_article_id(session: Session, *urls: str) -> int | None:
    """The id of the article stored under any of these canonical URLs (or first fetched at
    one): a canonical match first, then the oldest."""
    wanted = [u for u in dict.fromkeys(urls) if u]
    if not wanted:
        return None
    # one query for both keys, ids only (a page is stored ~once per fetch: every query counts)
    rows = _find_ids(len(wanted)).rows(session.connection(),
                                       {f"u{i}": url for i, url in enumerate(wanted)})
    by_canonical = [i for i, canonical in rows if canonical in wanted]
    found = by_canonical or [i for i, _c in rows]
    return found[0] if found else None


def find_article(session: Session, *urls: str) -> Article | None:
    """The article stored under any of these canonical URLs (or first fetched at one)."""
    found = find_article_id(session, *urls)
    return session.get(Article, found) if found is not None else None


def _record_of(extracted: ExtractedArticle) -> dict[str, Any]:
    return extracted.model_dump(mode="json")


def save_article(
    *,
    session: Session,
    canonical_url: str,
    extracted: ExtractedArticle,
    capture: Capture | Callable[[], Capture] | None,
    source_id: int | None = None,
    also_known_as: tuple[str, ...] = (),
    now: datetime | None = None,
    changed: bool = False,
    capture_id: int | None = None,
    known: Article | None = None,
) -> SaveOutcome:
    """Store one extraction: a new Article, a new version of a known one, or nothing new.

    An unchanged text stores nothing but the article's recheck bookkeeping; the raw
    capture is stored with every new Article or version (``capture`` may be a function that
    builds it, called only then: compressing a body costs ~0.4 ms). Duplicate links and the
    recheck schedule are the services' business (services/dedup.py, services/recheck.py).
    ``changed`` makes a version even for the same text (a re-extraction that fixed the
    metadata); ``capture_id`` names the stored capture a version without a new one came from;
    ``known`` is the stored article when the caller has looked it up already.
    """
    now = now or datetime.now(UTC)
    article = known or find_article(session, canonical_url, *also_known_as)
    if article is not None and article.content_hash == extracted.content_hash and not changed:
        return SaveOutcome("unchanged", article)
    if callable(capture):
        capture = capture()
    if capture is not None:
        session.add(capture)
        session.flush()
    if article is None:
        article = Article(**_new_article_values(
            extracted=extracted, canonical_url=canonical_url, source_id=source_id,
            fetched_at=capture.fetched_at if capture is not None else now, now=now))
        session.add(article)
        status = "archived"
    else:
        for name in RECORD_FIELDS:
            setattr(article, name, getattr(extracted, name))
        article.version += 1
        article.meta = extracted.metadata
        article.updated_at = now
        if capture is not None:
            article.fetched_at = capture.fetched_at
        if article.source_id is None:
            article.source_id = source_id
        session.add(article)
        status = "updated"
    session.flush()
    if capture is not None:
        capture.article_id = article.id
        session.add(capture)
    assert article.id is not None
    _insert_version(session, article_id=article.id, version=article.version,
                    capture_id=capture.id if capture is not None else capture_id,
                    fetched_at=article.fetched_at, extracted=extracted)
    session.flush()
    return SaveOutcome(status, article)


def _new_article_values(*, extracted: ExtractedArticle, canonical_url: str,
                        source_id: int | None, fetched_at: datetime | None,
                        now: datetime) -> dict[str, Any]:
    """The columns of a first capture's article row (``save_article`` and
    ``insert_new_article`` both make one)."""
    values: dict[str, Any] = {name: getattr(extracted, name) for name in RECORD_FIELDS}
    values.update(url=extracted.url or canonical_url, canonical_url=canonical_url,
                  source_id=source_id, fetched_at=fetched_at, updated_at=now, version=1,
                  meta=extracted.metadata)
    return values


def _insert_version(session: Session, *, article_id: int, version: int,
                    capture_id: int | None, fetched_at: datetime | None,
                    extracted: ExtractedArticle) -> None:
    """The version row: the record as extracted, with its text, HTML and title beside it."""
    _INSERT_VERSION.run(session.connection(), {
        "article_id": article_id, "version": version, "capture_id": capture_id,
        "fetched_at": fetched_at, "title": extracted.title, "text": extracted.text,
        "html": extracted.html, "content_hash": extracted.content_hash,
        "extractor_version": extracted.extractor_version, "record": _record_of(extracted),
    })


def insert_new_article(
    *, session: Session, canonical_url: str, extracted: ExtractedArticle,
    result: FetchResult, source_id: int | None, now: datetime, simhash: int | None,
    recheck_at: datetime | None,
) -> Article:
    """Store a page whose URLs no stored article has (``find_article_id`` said so): the
    article, its capture and version 1, as three Core inserts and no ORM flush (the crawl's
    common case: ~1 ms less CPU a page than ``save_article``). Returns the article as stored,
    outside the session."""
    values = _new_article_values(extracted=extracted, canonical_url=canonical_url,
                                 source_id=source_id, fetched_at=result.fetched_at, now=now)
    values.update(simhash=simhash, recheck_at=recheck_at, rechecks=0)
    conn = session.connection()
    article_id = int(_INSERT_ARTICLE.scalar(conn, values))
    capture = capture_values(result, source_id=source_id)
    capture["article_id"] = article_id
    capture_id = int(_INSERT_CAPTURE.scalar(conn, capture))
    _insert_version(session, article_id=article_id, version=1, capture_id=capture_id,
                    fetched_at=result.fetched_at, extracted=extracted)
    return Article(id=article_id, **values)


def to_public(article: Article) -> ArticlePublic:
    data = article.model_dump()
    data["metadata"] = data.pop("meta", {}) or {}
    return ArticlePublic.model_validate(data)


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def list_versions(session: Session, article_id: int) -> list[ArticleVersion]:
    return list(
        session.exec(
            select(ArticleVersion)
            .where(ArticleVersion.article_id == article_id)
            .order_by(col(ArticleVersion.version))
        )
    )


def latest_capture(session: Session, article_id: int) -> Capture | None:
    return session.exec(
        select(Capture)
        .where(Capture.article_id == article_id)
        .order_by(col(Capture.fetched_at).desc(), col(Capture.id).desc())
    ).first()


def recent_capture_bodies(session: Session, *, source_id: int, limit: int) -> list[bytes]:
    """The raw bodies of a source's latest article captures (for its boilerplate profile)."""
    from newsarchive.storage.blobs import decompress

    rows = session.execute(
        sa.select(col(Capture.body), col(Capture.body_encoding))
        .where(col(Capture.source_id) == source_id, col(Capture.article_id).is_not(None))
        .order_by(col(Capture.id).desc())
        .limit(limit)
    ).all()
    return [decompress(body, encoding) for body, encoding in rows]
