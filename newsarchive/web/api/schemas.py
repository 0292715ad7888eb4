"""Request and response shapes of the REST API that are not stored records.

Every string a client sends goes through :data:`SafeStr`: PostgreSQL refuses NUL bytes
in text and lone surrogates cannot be encoded, so both are a 422 naming the field
instead of a database error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from newsarchive.models import CrawlRunPublic, SourcePublic, VersionPublic

T = TypeVar("T")


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL byte")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("is not valid Unicode text") from exc
    return value


SafeStr = Annotated[str, AfterValidator(_storable)]


class Page(BaseModel, Generic[T]):
    """Every collection: a page of items and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as ?cursor= for the next page; null on the last page.",
        examples=["WzEsIi1wdWJsaXNoZWQiLCIyMDI0LTA1LTAxVDA4OjAwOjAwKzAwOjAwIiw0Ml0"])


class ValidationItem(BaseModel):
    loc: list[str | int] = Field(examples=[["query", "limit"]])
    msg: str = Field(examples=["must be from 1 to 100"])
    type: str = Field(examples=["invalid_query"])


class ErrorDetail(BaseModel):
    """Every error: a message, or for invalid input the list of fields at fault."""

    detail: str | list[ValidationItem] = Field(examples=["no article 42"])


class ArchiveRequest(BaseModel):
    url: SafeStr = Field(min_length=1, max_length=4096,
                         examples=["https://example.com/2024/05/01/story"])


class SourceCreate(BaseModel):
    url: SafeStr = Field(min_length=1, max_length=4096, examples=["https://example.com/news/"])
    name: SafeStr | None = Field(default=None, max_length=500, examples=["Example News"])
    kind: SafeStr = Field(default="auto", max_length=16, examples=["auto"],
                          description="auto, feed, sitemap or page")
    every: SafeStr | None = Field(default=None, max_length=32, examples=["30m"])
    cron: SafeStr | None = Field(default=None, max_length=120, examples=["*/30 * * * *"])


class SourceUpdate(BaseModel):
    url: SafeStr | None = Field(default=None, min_length=1, max_length=4096)
    name: SafeStr | None = Field(default=None, max_length=500)
    kind: SafeStr | None = Field(default=None, max_length=16)
    every: SafeStr | None = Field(default=None, max_length=32)
    cron: SafeStr | None = Field(default=None, max_length=120)
    enabled: bool | None = None


class SourceWithHealth(SourcePublic):
    """A source and how its crawling goes."""

    articles: int = Field(default=0, description="Articles archived from this source.")
    last_article_at: datetime | None = Field(default=None,
                                             description="When its newest article was captured.")
    queued: int = Field(default=0, description="URLs of this source waiting in the crawl queue.")
    last_run: CrawlRunPublic | None = Field(default=None, description="Its latest crawl run.")
    health: dict[str, Any] = Field(default_factory=dict,
                                   description="More health facts from the crawl service.")


class VersionDetail(VersionPublic):
    """One capture of an article with its extracted body."""

    text: str = ""
    html: str = ""
    record: dict[str, Any] = Field(default_factory=dict,
                                   description="The full Article record extracted then.")


class CrawlAccepted(BaseModel):
    detail: str = Field(examples=["crawl started"])
    source_id: int
    mode: str = Field(description="started (in this process) or queued (for workers)",
                      examples=["started"])
    runs: str = Field(examples=["/api/crawls?source=1"])


class Stats(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "articles": 1200, "versions": 1350, "captures": 1350, "sources": 4, "crawl_runs": 96,
        "oldest_published_at": "2021-01-04T06:00:00Z", "newest_published_at":
        "2024-05-01T08:00:00Z", "newest_fetched_at": "2024-05-01T08:03:10Z",
        "languages": {"en": 1100, "de": 100}, "queue": {"queued": 3, "done": 1400}}]})

    articles: int
    versions: int
    captures: int
    sources: int
    crawl_runs: int
    oldest_published_at: datetime | None = None
    newest_published_at: datetime | None = None
    newest_fetched_at: datetime | None = None
    languages: dict[str, int] = Field(default_factory=dict,
                                      description="Articles per language (the 20 largest).")
    queue: dict[str, int] = Field(default_factory=dict,
                                  description="Crawl queue URLs per state.")


def error_response(description: str, example: str) -> dict[str, Any]:
    return {"model": ErrorDetail, "description": description,
            "content": {"application/json": {"example": {"detail": example}}}}


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_response("not found", "no article 42")}
#: what any endpoint may answer besides success
ERRORS: dict[int | str, dict[str, Any]] = {
    413: error_response("request body too large", "the request body is over 65536 bytes"),
    422: {"model": ErrorDetail, "description": "invalid input; loc names the field",
          "content": {"application/json": {"example": {"detail": [
              {"loc": ["query", "limit"], "msg": "must be from 1 to 100",
               "type": "invalid_query"}]}}}},
    503: error_response("the database is unavailable", "the database is unavailable; try again shortly"),
}
#: what a write may answer besides ERRORS
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: error_response("the body cannot be read (not UTF-8 JSON)", "There was an error parsing the body"),
    401: error_response("this write needs the API key",
                "this write needs 'Authorization: Bearer <NEWSARCHIVE_API_KEY>'"),
    403: error_response("write refused", "the API key is wrong"),
}


#: what an Article record looks like, for the OpenAPI examples
ARTICLE_EXAMPLE: dict[str, Any] = {
    "id": 42, "url": "https://example.com/2024/05/01/bridge?utm_source=rss",
    "canonical_url": "https://example.com/2024/05/01/bridge", "source_id": 1,
    "site_name": "Example Times", "title": "River bridge reopens",
    "description": "The old bridge reopened after two years.", "authors": ["Jane Doe"],
    "published_at": "2024-05-01T08:00:00Z", "modified_at": None, "language": "en",
    "top_image": "https://example.com/img/bridge.jpg", "tags": ["transport"],
    "word_count": 512, "original_source": None, "content_hash": "9f86d08...",
    "duplicate_of": None, "access": "free", "fetched_at": "2024-05-01T08:03:10Z",
    "updated_at": "2024-05-01T08:03:10Z", "version": 1, "extractor_version": "1.0",
}
SUMMARY_EXAMPLE = {**ARTICLE_EXAMPLE,
                   "snippet": "The old <mark>bridge</mark> over the river reopened…"}
RECORD_EXAMPLE = {**ARTICLE_EXAMPLE, "snippet": None,
                  "text": "The old bridge over the river reopened today.\n\nIt had been...",
                  "html": "<p>The old bridge over the river reopened today.</p>",
                  "metadata": {"published_from": "json-ld"}}


def example(value: object) -> dict[int | str, dict[str, Any]]:
    """A 200 response's JSON example, for routes whose model has none of its own."""
    return {200: {"content": {"application/json": {"example": value}}}}
