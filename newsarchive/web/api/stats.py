"""Archive-wide counts."""

from __future__ import annotations

from fastapi import APIRouter

from newsarchive.storage.stats import archive_stats
from newsarchive.web.api.schemas import ERRORS, Stats
from newsarchive.web.deps import DbDep

router = APIRouter(prefix="/api/stats", tags=["system"], responses=ERRORS)


@router.get("", response_model=Stats)
def stats(db: DbDep) -> Stats:
    """How much is archived, from when to when, in which languages; the crawl queue."""
    with db.read() as session:
        return Stats(**archive_stats(session))
