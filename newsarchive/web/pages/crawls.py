"""/crawls: recent crawl runs with their counts and failures by reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsarchive.services import sources as sources_service
from newsarchive.storage.crawls import recent_runs
from newsarchive.web.deps import DbDep
from newsarchive.web.pages.articles import parse_id
from newsarchive.web.pages.render import error_page, render

router = APIRouter(include_in_schema=False)
#: runs per page: a day of half-hourly crawls of one source
RUNS_PER_PAGE = 50


@router.get("/crawls", response_class=HTMLResponse)
def crawls_page(request: Request, db: DbDep) -> HTMLResponse:
    raw_source = (request.query_params.get("source") or "").strip()
    raw_before = (request.query_params.get("before") or "").strip()
    source_id = parse_id(raw_source) if raw_source else None
    before = parse_id(raw_before) if raw_before else None
    if raw_source and source_id is None:
        return error_page(request, 400, f"source: {raw_source[:40]!r} is not a source id.")
    if raw_before and before is None:
        return error_page(request, 400, f"before: {raw_before[:40]!r} is not a run id.")
    with db.read() as session:
        runs = recent_runs(session, limit=RUNS_PER_PAGE + 1, source_id=source_id,
                           before_id=before)
    sources = {s.id: s for s in sources_service.list_sources(db=db)}
    more = len(runs) > RUNS_PER_PAGE
    runs = runs[:RUNS_PER_PAGE]
    return render(request, "crawls.html", {
        "runs": runs, "sources": sources, "source_id": source_id,
        "next_before": runs[-1].id if more and runs else None,
    })
