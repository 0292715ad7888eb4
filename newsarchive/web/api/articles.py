"""Articles: list and search, read (with ETag), versions, raw capture, archive a URL.

The list and the detail are the hot path: the query layer hands over plain dicts
(storage/read_plans.py: cached statements, no model per row) and orjson writes them in the
very shape pydantic would (field order, ISO 8601 datetimes ending in ``Z``), into a
prebuilt ``Response``. Their documented schemas (``response_model``) are unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, TypeAdapter

from newsarchive.models import ArticlePublic, ArticleSummary, VersionPublic
from newsarchive.services.archive_requests import ArchiveRefused, ArchiveRequests
from newsarchive.storage import article_lists, article_query, article_reads, paging
from newsarchive.storage import articles as store
from newsarchive.storage.async_reads import AsyncReader
from newsarchive.storage.blobs import decompress
from newsarchive.storage.db import Database
from newsarchive.timeutil import aware_utc
from newsarchive.web.api.archive_requests import ArchiveStatus
from newsarchive.web.api.lean import LeanRoute, lean, path_value, query_model
from newsarchive.web.api.params import ArticleFilters, CursorParam, LimitParam, ListParams
from newsarchive.web.api.schemas import (
    ERRORS,
    NOT_FOUND,
    RECORD_EXAMPLE,
    SUMMARY_EXAMPLE,
    WRITE_ERRORS,
    ArchiveRequest,
    Page,
    VersionDetail,
    example,
)
from newsarchive.web.deps import DbDep, SettingsDep, WriteAccess

T = TypeVar("T")
router = APIRouter(prefix="/api/articles", tags=["articles"], responses=ERRORS,
                   route_class=LeanRoute)
ArticleId = Annotated[int, Path(ge=1, le=paging.MAX_ID, description="An article id.")]
ARTICLE_ID: TypeAdapter[int] = TypeAdapter(ArticleId)
JSON = "application/json"
#: the raw capture may be an attacker's page: never let a browser run or sniff it
RAW_HEADERS = {"X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'; sandbox"}


async def _list_page(request: Request) -> Response:
    """The lean list (web/api/lean.py): FastAPI's validation without its dependency
    machinery; what ``list_articles`` below documents."""
    return await _list_response(request, query_model(ListParams, request).to_query())


async def _list_response(request: Request, filters: article_query.ArticleQuery) -> Response:
    reader: AsyncReader | None = request.app.state.reader
    if reader is not None and article_lists.is_plain(filters):
        items, next_cursor = await reader.list_records(filters)
    else:
        db: Database = request.app.state.db
        items, next_cursor = await read(db, article_lists.list_article_records, db, filters,
                                         cheap=filters.unfiltered)
    page = {"items": items, "next_cursor": next_cursor}
    return Response(to_json(page, Page[ArticleSummary]), media_type=JSON)


@router.get("", response_model=Page[ArticleSummary], responses=example(
    {"items": [SUMMARY_EXAMPLE], "next_cursor": "WzEsIi1wdWJsaXNoZWQiLCIyMDI0LTA1LTAxIiw0Ml0"}))
@lean(_list_page)
async def list_articles(request: Request, filters: ArticleFilters) -> Response:
    """Newest first by default; ``q`` searches title, description and text (``"phrase"``,
    ``OR``, ``-word``) and gives each item a ``snippet``: HTML-escaped text with the
    matched words in ``<mark>``, safe to render as is."""
    return await _list_response(request, filters)


async def read(db: Database, function: Callable[..., T], *args: Any, cheap: bool) -> T:
    """Run a hot-path read: a ``cheap`` one inline on SQLite, else in the thread pool
    (PostgreSQL's plain pages and articles go through the app's AsyncReader instead).

    A cheap SQLite read (an article by id, an unfiltered page: one index seek, ~0.05-0.2
    ms) is CPU work in this process and WAL readers never wait for writers, so the hop to
    a worker thread and back (~0.1-0.2 ms) would cost as much as the read. A filtered
    list or a search may walk thousands of rows, and a PostgreSQL read waits on the
    network (or, unreachable, on a timeout): neither may hold the event loop.
    """
    if cheap and db.is_sqlite:
        return function(*args)
    return await run_in_threadpool(function, *args)


#: naive datetimes from the query layer are UTC; UTC is written "Z" as pydantic does
ORJSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def to_json(value: dict[str, Any], model: type[BaseModel]) -> bytes:
    """``value`` as JSON through orjson; through ``model`` for what orjson refuses (an
    integer beyond 64 bits in an article's metadata), so nothing becomes a 500."""
    try:
        return orjson.dumps(value, option=ORJSON_OPTIONS)
    except TypeError:
        return model.model_validate(_aware(value)).model_dump_json().encode()


def _aware(value: dict[str, Any]) -> dict[str, Any]:
    if "items" in value:
        return {**value, "items": [article_lists.aware_record(i) for i in value["items"]]}
    return article_lists.aware_record(value)


def etag_of(article_id: int, version: int, updated_at: datetime | None) -> str:
    """Changes whenever the record does: a new version or any update stamps updated_at.
    Built from those columns, not by hashing the body."""
    stamp = aware_utc(updated_at).isoformat() if updated_at is not None else None
    return f'W/"{article_id}-{version}-{stamp}"'


async def _article(request: Request) -> Response:
    """The lean article read (web/api/lean.py); what ``get_article`` below documents."""
    return await _article_response(request, path_value(ARTICLE_ID, request, "article_id"))


async def _article_response(request: Request, article_id: int) -> Response:
    reader: AsyncReader | None = request.app.state.reader
    if reader is not None:
        article = await reader.article_record(article_id)
    else:
        db: Database = request.app.state.db
        article = await read(db, article_reads.get_article_record, db, article_id, cheap=True)
    if article is None:
        raise HTTPException(404, detail=f"no article {article_id}")
    etag = etag_of(article_id, article["version"] or 0, article["updated_at"])
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    wanted = request.headers.get("if-none-match", "")
    if etag in (t.strip() for t in wanted.split(",")) or wanted.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(to_json(article, ArticlePublic), media_type=JSON, headers=headers)


@router.get("/{article_id}", response_model=ArticlePublic,
            responses={**NOT_FOUND, **example(RECORD_EXAMPLE),
                       304: {"description": "not modified (If-None-Match)"}})
@lean(_article)
async def get_article(request: Request, article_id: ArticleId) -> Response:
    return await _article_response(request, article_id)


def _require_article(db: DbDep, article_id: int) -> None:
    with db.read() as session:
        if store.get_article(session, article_id) is None:
            raise HTTPException(404, detail=f"no article {article_id}")


@router.get("/{article_id}/versions", response_model=Page[VersionPublic], responses=NOT_FOUND)
def get_versions(db: DbDep, article_id: ArticleId, limit: LimitParam = 20,
                 cursor: CursorParam = None) -> Page[VersionPublic]:
    """Every capture that changed the text, oldest first."""
    after = paging.decode_id_cursor(cursor, "versions")
    _require_article(db, article_id)
    with db.read() as session:
        rows = article_reads.list_version_page(session, article_id, limit=limit, after=after)
    items = [VersionPublic(version=v.version, fetched_at=v.fetched_at, title=v.title,
                           content_hash=v.content_hash, extractor_version=v.extractor_version,
                           capture_id=v.capture_id, word_count=len(v.text.split()))
             for v in rows[:limit]]
    nxt = (paging.encode_id_cursor("versions", rows[limit - 1].version)
           if len(rows) > limit else None)
    return Page[VersionPublic](items=items, next_cursor=nxt)


@router.get("/{article_id}/versions/{number}", response_model=VersionDetail, responses=NOT_FOUND)
def get_version(db: DbDep, article_id: ArticleId,
                number: Annotated[int, Path(ge=1, le=paging.MAX_ID)]) -> VersionDetail:
    """One version with its text and clean HTML as extracted then."""
    with db.read() as session:
        v = article_reads.get_version(session, article_id, number)
        if v is None:
            raise HTTPException(404, detail=f"article {article_id} has no version {number}")
        return VersionDetail(version=v.version, fetched_at=v.fetched_at, title=v.title,
                             content_hash=v.content_hash, extractor_version=v.extractor_version,
                             capture_id=v.capture_id, word_count=len(v.text.split()),
                             text=v.text, html=v.html, record=v.record or {})


@router.get("/{article_id}/raw", response_class=Response, responses={
    200: {"description": "the archived response body, as text/plain or as a download",
          "content": {"text/plain": {"schema": {"type": "string"}},
                      "application/octet-stream": {"schema": {"type": "string",
                                                              "format": "binary"}}}},
    **NOT_FOUND})
def get_raw(db: DbDep, article_id: ArticleId, download: bool = False) -> Response:
    """The archived original response body, never as HTML on this origin: text/plain
    (or with ``download=true`` an attachment), with ``nosniff`` and a sandbox CSP."""
    with db.read() as session:
        capture = store.latest_capture(session, article_id)
        if capture is None:
            raise HTTPException(404, detail=f"no raw capture for article {article_id}")
        body = decompress(capture.body, capture.body_encoding)
    if download:
        headers = {**RAW_HEADERS,
                   "Content-Disposition": f'attachment; filename="article-{article_id}.html"'}
        return Response(body, media_type="application/octet-stream", headers=headers)
    return Response(body, media_type="text/plain; charset=utf-8", headers=RAW_HEADERS)


@router.post("", status_code=201, response_model=ArticlePublic, dependencies=[WriteAccess],
             responses={**WRITE_ERRORS, 201: {"description": "archived", "content": {
                 "application/json": {"example": RECORD_EXAMPLE}}},
                 202: {"model": ArchiveStatus, "description": (
                     "still fetching after NEWSARCHIVE_ARCHIVE_WAIT seconds: it goes on, and "
                     "Location (also in the body) says where to look")}})
async def post_article(request: Request, body: ArchiveRequest, db: DbDep,
                       settings: SettingsDep) -> Response:
    """Archive one URL now: 201 with the Article when done within
    ``NEWSARCHIVE_ARCHIVE_WAIT`` seconds, else 202 with where to look; 422 with the
    reason when it cannot be archived."""

    requests: ArchiveRequests = request.app.state.archive_requests
    started = await requests.start(body.url)
    try:
        article_id = await asyncio.wait_for(asyncio.shield(started.task), settings.archive_wait)
    except TimeoutError:
        status = ArchiveStatus.of(started.row)
        return Response(status.model_dump_json(), status_code=202, media_type=JSON,
                        headers={"Location": status.location})
    except ArchiveRefused as exc:
        raise HTTPException(422, detail=str(exc)) from exc

    def _load() -> ArticlePublic:
        with db.read() as session:
            article = store.get_article(session, article_id)
            if article is None:  # removed between the write and this read
                raise HTTPException(404, detail=f"no article {article_id}")
            return store.to_public(article)

    article = await run_in_threadpool(_load)
    return Response(article.model_dump_json(), status_code=201, media_type=JSON)
