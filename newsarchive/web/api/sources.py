"""Sources: list, add, change, remove, crawl now."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool

from newsarchive.errors import NotFound
from newsarchive.models import SourcePublic
from newsarchive.services import sources as service
from newsarchive.services.crawl import crawl_source
from newsarchive.web.api.schemas import ERRORS, Page, SourceCreate, SourceUpdate
from newsarchive.web.deps import DbDep, SettingsDep, WriteAccess

router = APIRouter(prefix="/api/sources", tags=["sources"], responses=ERRORS)


def _invalid(exc: service.InvalidSource) -> HTTPException:
    status = 409 if isinstance(exc, service.DuplicateSource) else 422
    return HTTPException(status, detail=[{"loc": ["body", exc.field], "msg": str(exc),
                                          "type": exc.reason}])


@router.get("", response_model=Page[SourcePublic])
def list_sources(db: DbDep) -> Page[SourcePublic]:
    items = [SourcePublic.model_validate(s) for s in service.list_sources(db=db)]
    return Page[SourcePublic](items=items, next_cursor=None)


@router.get("/{source_id}", response_model=SourcePublic)
def get_source(db: DbDep, source_id: int) -> SourcePublic:
    try:
        return SourcePublic.model_validate(service.get_source(db=db, source_id=source_id))
    except NotFound as exc:
        raise HTTPException(404, detail=str(exc)) from exc


@router.post("", status_code=201, response_model=SourcePublic, dependencies=[WriteAccess])
def create_source(body: SourceCreate, db: DbDep, settings: SettingsDep) -> SourcePublic:
    try:
        source = service.add_source(db=db, url=body.url, name=body.name, kind=body.kind,
                                    every=body.every, cron=body.cron,
                                    default_every=settings.default_every)
    except service.InvalidSource as exc:
        raise _invalid(exc) from exc
    return SourcePublic.model_validate(source)


@router.patch("/{source_id}", response_model=SourcePublic, dependencies=[WriteAccess])
def update_source(source_id: int, body: SourceUpdate, db: DbDep) -> SourcePublic:
    try:
        source = service.change_source(db=db, source_id=source_id,
                                       changes=body.model_dump(exclude_unset=True))
    except service.InvalidSource as exc:
        raise _invalid(exc) from exc
    except NotFound as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    return SourcePublic.model_validate(source)


@router.delete("/{source_id}", status_code=204, dependencies=[WriteAccess])
def delete_source(source_id: int, db: DbDep) -> None:
    try:
        service.remove_source(db=db, source_id=source_id)
    except NotFound as exc:
        raise HTTPException(404, detail=str(exc)) from exc


@router.post("/{source_id}/crawl", status_code=202, dependencies=[WriteAccess])
async def crawl_now(source_id: int, db: DbDep, settings: SettingsDep) -> dict[str, object]:
    try:
        await run_in_threadpool(service.get_source, db=db, source_id=source_id)
    except NotFound as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    asyncio.get_running_loop().create_task(
        crawl_source(db=db, settings=settings, source_id=source_id, trigger="api")
    )
    return {"detail": "crawl started", "source_id": source_id, "runs": "/api/crawls"}
