"""Articles: list, read, versions, raw capture, archive a URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.concurrency import run_in_threadpool

from newsarchive.errors import FetchError, NewsarchiveError
from newsarchive.fetch.client import Fetcher
from newsarchive.models import ArticlePublic, ArticleSummary, VersionPublic
from newsarchive.services.archive import archive_url
from newsarchive.storage import articles as store
from newsarchive.storage.blobs import decompress
from newsarchive.web.api.schemas import ERRORS, ArchiveRequest, Page
from newsarchive.web.deps import DbDep, SettingsDep, WriteAccess

router = APIRouter(prefix="/api/articles", tags=["articles"], responses=ERRORS)


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit() or len(cursor) > 12:
        raise HTTPException(422, detail="cursor: not a cursor this API gave out")
    return int(cursor)


@router.get("", response_model=Page[ArticleSummary])
def list_articles(
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ArticleSummary]:
    offset = _decode_cursor(cursor)
    with db.read() as session:
        rows = store.list_articles(session, limit=limit + 1, offset=offset)
    items = [ArticleSummary.model_validate(store.to_public(a).model_dump()) for a in rows[:limit]]
    nxt = str(offset + limit) if len(rows) > limit else None
    return Page[ArticleSummary](items=items, next_cursor=nxt)


@router.get("/{article_id}", response_model=ArticlePublic)
def get_article(db: DbDep, article_id: int) -> ArticlePublic:
    with db.read() as session:
        article = store.get_article(session, article_id)
        if article is None:
            raise HTTPException(404, detail=f"no article {article_id}")
        return store.to_public(article)


@router.get("/{article_id}/versions", response_model=Page[VersionPublic])
def get_versions(db: DbDep, article_id: int) -> Page[VersionPublic]:
    with db.read() as session:
        if store.get_article(session, article_id) is None:
            raise HTTPException(404, detail=f"no article {article_id}")
        versions = store.list_versions(session, article_id)
        items = [
            VersionPublic(version=v.version, fetched_at=v.fetched_at, title=v.title,
                          content_hash=v.content_hash, extractor_version=v.extractor_version,
                          capture_id=v.capture_id, word_count=len(v.text.split()))
            for v in versions
        ]
    return Page[VersionPublic](items=items, next_cursor=None)


@router.get("/{article_id}/raw", response_class=Response,
            responses={200: {"content": {"text/plain": {}}}})
def get_raw(db: DbDep, article_id: int, download: bool = False) -> Response:
    """The archived response body, as text/plain (never rendered as HTML on our origin)."""
    with db.read() as session:
        capture = store.latest_capture(session, article_id)
        if capture is None:
            raise HTTPException(404, detail=f"no raw capture for article {article_id}")
        body = decompress(capture.body, capture.body_encoding)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if download:
        headers["Content-Disposition"] = f'attachment; filename="article-{article_id}.html"'
        return Response(body, media_type="application/octet-stream", headers=headers)
    return Response(body, media_type="text/plain; charset=utf-8", headers=headers)


@router.post("", status_code=201, response_model=ArticlePublic, dependencies=[WriteAccess])
async def post_article(body: ArchiveRequest, db: DbDep, settings: SettingsDep) -> ArticlePublic:
    """Archive one URL now; 422 with the reason when it cannot be archived."""
    try:
        async with Fetcher(settings) as fetcher:
            outcome = await archive_url(db=db, fetcher=fetcher, url=body.url)
    except FetchError as exc:
        raise HTTPException(422, detail=f"cannot archive {body.url}: {exc}") from exc
    except NewsarchiveError as exc:
        if exc.reason == "storage":
            raise
        raise HTTPException(422, detail=str(exc)) from exc

    def _load() -> ArticlePublic:
        with db.read() as session:
            article = store.get_article(session, outcome.article.id or 0)
            assert article is not None
            return store.to_public(article)

    return await run_in_threadpool(_load)
