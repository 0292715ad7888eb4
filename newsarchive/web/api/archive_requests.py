"""Archive requests that outlive their POST, and where to look for them.

``POST /api/articles`` waits up to ``NEWSARCHIVE_ARCHIVE_WAIT`` seconds for the fetch,
extraction and store (201 with the Article when done). A slower one goes on and the
client gets 202 with ``Location: /api/archive-requests/{id}``, which answers ``pending``,
then ``archived`` (with the article's path) or ``failed`` (with the reason the POST would
have given as a 422). The requests are stored (services/archive_requests.py): any web
process answers for any of them, and one interrupted by a restart is answered as
``failed`` ("interrupted by a restart"), never left pending.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field

from newsarchive.models import ArchiveRequestRow
from newsarchive.services.archive_requests import ArchiveRequests
from newsarchive.web.api.schemas import ERRORS, error_response

router = APIRouter(prefix="/api/archive-requests", tags=["articles"], responses=ERRORS)
PATH = "/api/archive-requests/{}"


class ArchiveStatus(BaseModel):
    """Where an archive request stands."""

    id: str = Field(examples=["3f2a9c1e0b8d4e6f9a7b5c3d1e2f4a6b"])
    url: str = Field(examples=["https://example.com/2024/05/01/bridge"])
    status: Literal["pending", "archived", "failed"]
    article_id: int | None = Field(default=None, description="Set once archived.")
    article: str | None = Field(default=None, description="The article's path, once archived.",
                                examples=["/api/articles/42"])
    detail: str | None = Field(default=None, description=(
        "Why it failed; 'interrupted by a restart: ...' when the server stopped first."))
    location: str = Field(description="This request's status path.",
                          examples=["/api/archive-requests/3f2a9c1e0b8d4e6f9a7b5c3d1e2f4a6b"])
    created_at: datetime = Field(description="When it was asked for.")
    finished_at: datetime | None = Field(default=None, description="When it was archived or failed.")

    @classmethod
    def of(cls, row: ArchiveRequestRow) -> ArchiveStatus:
        assert row.created_at is not None  # NOT NULL, set on insert
        article = (f"/api/articles/{row.article_id}"
                   if row.status == "archived" and row.article_id is not None else None)
        return cls(id=row.id, url=row.url, status=row.status,  # type: ignore[arg-type]
                   article_id=row.article_id, article=article, detail=row.detail,
                   location=PATH.format(row.id), created_at=row.created_at,
                   finished_at=row.finished_at)


RequestId = Annotated[str, Path(max_length=64, description="The id a 202 answer gave.")]


@router.get("/{request_id}", response_model=ArchiveStatus, responses={
    404: error_response("no such request (unknown, or finished more than a week ago)",
                        "no archive request 3f2a9c1e")})
async def get_archive_request(request: Request, request_id: RequestId) -> ArchiveStatus:
    """Where an archive request answered with 202 stands: ``pending``, ``archived`` (with
    the article's path) or ``failed`` (with the reason)."""
    requests: ArchiveRequests = request.app.state.archive_requests
    row = await requests.get(request_id)
    if row is None:
        raise HTTPException(404, detail=f"no archive request {request_id}")
    return ArchiveStatus.of(row)
