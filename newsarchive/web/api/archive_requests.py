"""Archive requests that outlive their POST, and where to look for them.

``POST /api/articles`` waits up to ``NEWSARCHIVE_ARCHIVE_WAIT`` seconds for the fetch,
extraction and store (201 with the Article when done). A slower one goes on in this
process and the client gets 202 with ``Location: /api/archive-requests/{id}``, which
answers ``pending``, then ``archived`` (with the article's path) or ``failed`` (with the
reason the POST would have given as a 422).

The requests live in the serving process: a restart forgets them (an article stored
before it stays in the archive, of course). Finished ones are kept for KEEP_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field

from newsarchive.errors import NewsarchiveError
from newsarchive.web.api.schemas import ERRORS, error_response

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/archive-requests", tags=["articles"], responses=ERRORS)

#: how long a finished request stays answerable: long enough for any poller to see it
KEEP_SECONDS = 3600.0
#: requests remembered at most; past this the oldest finished ones are forgotten first
MAX_REQUESTS = 1000
PATH = "/api/archive-requests/{}"


class ArchiveStatus(BaseModel):
    """Where an archive request stands."""

    id: str = Field(examples=["3f2a9c1e0b8d4e6f9a7b5c3d1e2f4a6b"])
    url: str = Field(examples=["https://example.com/2024/05/01/bridge"])
    status: Literal["pending", "archived", "failed"]
    article_id: int | None = Field(default=None, description="Set once archived.")
    article: str | None = Field(default=None, description="The article's path, once archived.",
                                examples=["/api/articles/42"])
    detail: str | None = Field(default=None, description="Why it failed.")
    location: str = Field(description="This request's status path.",
                          examples=["/api/archive-requests/3f2a9c1e0b8d4e6f9a7b5c3d1e2f4a6b"])


@dataclass
class PendingArchive:
    id: str
    url: str
    task: asyncio.Task[int]
    finished_at: float | None = field(default=None)

    @property
    def location(self) -> str:
        return PATH.format(self.id)

    def status(self) -> ArchiveStatus:
        status = ArchiveStatus(id=self.id, url=self.url, location=self.location,
                               status="pending")
        if not self.task.done():
            return status
        if self.task.cancelled():
            return status.model_copy(update={"status": "failed",
                                             "detail": "cancelled: the server stopped"})
        exc = self.task.exception()
        if exc is None:
            article_id = self.task.result()
            return status.model_copy(update={"status": "archived", "article_id": article_id,
                                             "article": f"/api/articles/{article_id}"})
        if isinstance(exc, HTTPException):
            detail = str(exc.detail)
        elif isinstance(exc, NewsarchiveError):
            detail = str(exc)
        else:
            detail = "the archive failed on an unexpected error (see the server log)"
        return status.model_copy(update={"status": "failed", "detail": detail})


class ArchiveRequests:
    """The archive requests of this process, by id."""

    def __init__(self) -> None:
        self._requests: dict[str, PendingArchive] = {}

    def start(self, url: str, work: Coroutine[Any, Any, int]) -> PendingArchive:
        self._prune()
        request_id = uuid.uuid4().hex
        task = asyncio.get_running_loop().create_task(work, name=f"archive {url}")
        pending = PendingArchive(request_id, url, task)
        task.add_done_callback(lambda t: self._finished(pending))
        self._requests[request_id] = pending
        return pending

    def _finished(self, pending: PendingArchive) -> None:
        pending.finished_at = time.monotonic()
        task = pending.task
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            if not isinstance(exc, HTTPException | NewsarchiveError):
                log.error("archiving %s failed", pending.url, exc_info=exc)

    def get(self, request_id: str) -> PendingArchive | None:
        self._prune()
        return self._requests.get(request_id)

    def forget(self, request_id: str) -> None:
        self._requests.pop(request_id, None)

    def _prune(self) -> None:
        now = time.monotonic()
        for key, pending in list(self._requests.items()):
            if pending.finished_at is not None and now - pending.finished_at > KEEP_SECONDS:
                del self._requests[key]
        finished = [p for p in self._requests.values() if p.finished_at is not None]
        finished.sort(key=lambda p: p.finished_at or 0.0)
        for pending in finished[:max(0, len(self._requests) - MAX_REQUESTS + 1)]:
            del self._requests[pending.id]

    async def aclose(self) -> None:
        """Stop what is still running (the server is going down)."""
        tasks = [p.task for p in self._requests.values() if not p.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


RequestId = Annotated[str, Path(max_length=64, description="The id a 202 answer gave.")]


@router.get("/{request_id}", response_model=ArchiveStatus, responses={
    404: error_response("no such request (unknown, expired, or the server restarted)",
                "no archive request 3f2a9c1e")})
async def get_archive_request(request: Request, request_id: RequestId) -> ArchiveStatus:
    """Where an archive request answered with 202 stands: ``pending``, ``archived`` (with
    the article's path) or ``failed`` (with the reason)."""
    requests: ArchiveRequests = request.app.state.archive_requests
    pending = requests.get(request_id)
    if pending is None:
        raise HTTPException(404, detail=f"no archive request {request_id}")
    return pending.status()
