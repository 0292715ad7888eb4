"""Crawl runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from newsarchive.models import CrawlRunPublic
from newsarchive.storage.crawls import recent_runs
from newsarchive.web.api.schemas import ERRORS, Page
from newsarchive.web.deps import DbDep

router = APIRouter(prefix="/api/crawls", tags=["crawls"], responses=ERRORS)


@router.get("", response_model=Page[CrawlRunPublic])
def list_crawls(db: DbDep, limit: Annotated[int, Query(ge=1, le=100)] = 20,
                source: int | None = None) -> Page[CrawlRunPublic]:
    with db.read() as session:
        rows = recent_runs(session, limit=limit, source_id=source)
    return Page[CrawlRunPublic](items=[CrawlRunPublic.model_validate(r) for r in rows],
                                next_cursor=None)
