"""The extracted article: what the extractor promises to return for any input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ExtractedArticle(BaseModel):
    """The Article fields that come from the page itself (no ids, no storage facts)."""

    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    text: str = ""
    html: str = ""
    top_image: str | None = None
    tags: list[str] = Field(default_factory=list)
    word_count: int = 0
    original_source: str | None = None
    content_hash: str = ""
    access: str = "unknown"
    extractor_version: str = ""
    #: is this page an article at all (section fronts, tag pages... are not)
    is_article: bool = False
    #: article, listing, gallery, error, empty...
    page_type: str = "unknown"
    #: why the page is not an article, when it is not
    reason: str | None = None
    #: traceability: where each date came from, the syndication line, ...
    metadata: dict[str, Any] = Field(default_factory=dict)
