"""Crawl runs, newest first, with their counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from newsarchive.models import CrawlRunPublic
from newsarchive.storage import paging
from newsarchive.storage.crawls import recent_runs
from newsarchive.web.api.params import CursorParam, LimitParam
from newsarchive.web.api.schemas import ERRORS, Page
from newsarchive.web.deps import DbDep

router = APIRouter(prefix="/api/crawls", tags=["crawls"], responses=ERRORS)


@router.get("", response_model=Page[CrawlRunPublic])
def list_crawls(db: DbDep, limit: LimitParam = 20, cursor: CursorParam = None,
                source: Annotated[int | None, Query(ge=1, le=paging.MAX_ID)] = None
                ) -> Page[CrawlRunPublic]:
    """Recent crawl runs: discovered, fetched, archived, unchanged, skipped, failed."""
    before = paging.decode_id_cursor(cursor, "crawls")
    with db.read() as session:
        rows = recent_runs(session, limit=limit + 1, source_id=source, before_id=before)
    nxt = paging.encode_id_cursor("crawls", rows[limit - 1].id or 0) if len(rows) > limit else None
    return Page[CrawlRunPublic](items=[CrawlRunPublic.model_validate(r) for r in rows[:limit]],
                                next_cursor=nxt)
