"""The archive as one streamed download: JSON Lines, CSV or WARC."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from newsarchive.services.export import FORMATS, export
from newsarchive.web.api.params import ExportFilters
from newsarchive.web.api.schemas import ERRORS
from newsarchive.web.deps import DbDep

router = APIRouter(prefix="/api/export", tags=["export"], responses=ERRORS)
EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "warc": "warc.gz"}


@router.get("", response_class=StreamingResponse, responses={200: {
    "description": "the selected articles, streamed",
    "content": {media: {"schema": {"type": "string"}} for media in FORMATS.values()}}})
def export_archive(db: DbDep, query: ExportFilters,
                   format: Annotated[Literal["jsonl", "csv", "warc"],
                                     Query(description="jsonl, csv or warc")] = "jsonl"
                   ) -> StreamingResponse:
    """Stream every article the filters select (all of them without filters), oldest
    first: JSON Lines of Articles, CSV of the main fields, or WARC 1.1 with the
    archived request/response records and a metadata record per Article."""
    return StreamingResponse(export(db, query, format), media_type=FORMATS[format], headers={
        "Content-Disposition": f'attachment; filename="newsarchive.{EXTENSIONS[format]}"'})
