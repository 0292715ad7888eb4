"""Sources with their health: list, read, add, change, remove, crawl now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response

from newsarchive.models import CrawlRunPublic, Source, SourcePublic
from newsarchive.services import sources as service
from newsarchive.services.crawl import start_crawl
from newsarchive.storage import paging, stats
from newsarchive.storage.health import source_health
from newsarchive.storage.sources import list_source_page
from newsarchive.web.api.params import CursorParam, LimitParam
from newsarchive.web.api.schemas import (
    ERRORS,
    NOT_FOUND,
    WRITE_ERRORS,
    CrawlAccepted,
    ErrorDetail,
    Page,
    SourceCreate,
    SourceUpdate,
    SourceWithHealth,
)
from newsarchive.web.deps import DbDep, SettingsDep, WriteAccess

router = APIRouter(prefix="/api/sources", tags=["sources"], responses=ERRORS)
SourceId = Annotated[int, Path(ge=1, le=paging.MAX_ID, description="A source id.")]
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": ErrorDetail, "description": "a source with this URL exists"}}


def _invalid(exc: service.InvalidSource) -> HTTPException:
    status = 409 if isinstance(exc, service.DuplicateSource) else 422
    return HTTPException(status, detail=[{"loc": ["body", exc.field], "msg": str(exc),
                                          "type": exc.reason}])


def _with_health(db: DbDep, sources: list[Source]) -> list[SourceWithHealth]:
    ids = [s.id for s in sources if s.id is not None]
    with db.read() as session:
        overview = stats.source_overview(session, ids)
        out = []
        for s in sources:
            facts = overview[s.id or 0]
            run = facts.pop("last_run")
            out.append(SourceWithHealth(
                **SourcePublic.model_validate(s).model_dump(), **facts,
                last_run=CrawlRunPublic.model_validate(run) if run is not None else None,
                health=source_health(session, s.id or 0)))
    return out


@router.get("", response_model=Page[SourceWithHealth])
def list_sources(db: DbDep, limit: LimitParam = 20,
                 cursor: CursorParam = None) -> Page[SourceWithHealth]:
    """Sources in the order they were added, each with its health."""
    after = paging.decode_id_cursor(cursor, "sources")
    with db.read() as session:
        rows = list_source_page(session, limit=limit, after=after)
    nxt = paging.encode_id_cursor("sources", rows[limit - 1].id or 0) if len(rows) > limit else None
    return Page[SourceWithHealth](items=_with_health(db, rows[:limit]), next_cursor=nxt)


@router.get("/{source_id}", response_model=SourceWithHealth, responses=NOT_FOUND)
def get_source(db: DbDep, source_id: SourceId) -> SourceWithHealth:
    return _with_health(db, [service.get_source(db=db, source_id=source_id)])[0]


@router.post("", status_code=201, response_model=SourcePublic, dependencies=[WriteAccess],
             responses={**WRITE_ERRORS, **CONFLICT})
def create_source(body: SourceCreate, db: DbDep, settings: SettingsDep) -> SourcePublic:
    try:
        source = service.add_source(db=db, url=body.url, name=body.name, kind=body.kind,
                                    every=body.every, cron=body.cron,
                                    default_every=settings.default_every)
    except service.InvalidSource as exc:
        raise _invalid(exc) from exc
    return SourcePublic.model_validate(source)


@router.patch("/{source_id}", response_model=SourcePublic, dependencies=[WriteAccess],
              responses={**WRITE_ERRORS, **NOT_FOUND, **CONFLICT})
def update_source(source_id: SourceId, body: SourceUpdate, db: DbDep) -> SourcePublic:
    try:
        source = service.change_source(db=db, source_id=source_id,
                                       changes=body.model_dump(exclude_unset=True))
    except service.InvalidSource as exc:
        raise _invalid(exc) from exc
    return SourcePublic.model_validate(source)


@router.delete("/{source_id}", status_code=204, response_class=Response,
               dependencies=[WriteAccess], responses={**WRITE_ERRORS, **NOT_FOUND})
def delete_source(source_id: SourceId, db: DbDep) -> Response:
    """Remove a source; its articles stay."""
    service.remove_source(db=db, source_id=source_id)
    return Response(status_code=204)


@router.post("/{source_id}/crawl", status_code=202, response_model=CrawlAccepted,
             dependencies=[WriteAccess], responses={**WRITE_ERRORS, **NOT_FOUND})
async def crawl_now(request: Request, source_id: SourceId, db: DbDep,
                    settings: SettingsDep) -> CrawlAccepted:
    """Crawl a source now: in this process when it crawls (``serve``), else marked due
    now for the workers (``serve --no-crawl``)."""
    runs = f"/api/crawls?source={source_id}"
    mode = await start_crawl(db=db, settings=settings, source_id=source_id, trigger="api",
                             in_process=getattr(request.app.state, "crawl_in_process", True))
    detail = "crawl started" if mode == "started" else "crawl queued for the workers"
    return CrawlAccepted(detail=detail, source_id=source_id, mode=mode, runs=runs)
