"""Request and response shapes of the REST API that are not stored records."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """Every collection: a page of items and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None = None


class ErrorDetail(BaseModel):
    detail: str | list[dict[str, object]]


class ArchiveRequest(BaseModel):
    url: str = Field(min_length=1, max_length=4096, examples=["https://example.com/2024/05/01/story"])


class SourceCreate(BaseModel):
    url: str = Field(min_length=1, max_length=4096, examples=["https://example.com/news/"])
    name: str | None = Field(default=None, max_length=500)
    kind: str = Field(default="auto", examples=["auto"])
    every: str | None = Field(default=None, examples=["30m"])
    cron: str | None = Field(default=None, examples=["*/30 * * * *"])


class SourceUpdate(BaseModel):
    url: str | None = Field(default=None, min_length=1, max_length=4096)
    name: str | None = Field(default=None, max_length=500)
    kind: str | None = None
    every: str | None = None
    cron: str | None = None
    enabled: bool | None = None


ERRORS = {
    401: {"model": ErrorDetail, "description": "missing API key"},
    403: {"model": ErrorDetail, "description": "write refused"},
    404: {"model": ErrorDetail, "description": "not found"},
    422: {"model": ErrorDetail, "description": "invalid input"},
}
