"""SQLModel tables and their public shapes. Imports nothing else of ours.

Tables:
    Source         a feed, sitemap or page crawled on a schedule
    Article        the current state of one article (unique canonical URL)
    ArticleVersion every changed capture of an article, oldest first
    Capture        a raw HTTP response as archived (body zstd-compressed)
    FrontierURL    the durable crawl queue: one row per URL, with state and lease
    HostState      per-host politeness: next allowed time, robots.txt cache
    CrawlRun       one discovery + fetch pass of a source, with its counts
    ArchiveRequestRow  a ``POST /api/articles`` that outlived its wait: pending, archived, failed
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as naive UTC on every engine (SQLite keeps no offset)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _ts(*, index: bool = False, nullable: bool = True, default: bool = False) -> Any:
    """A timezone-aware timestamp column."""
    kwargs: dict[str, Any] = {"sa_type": UTCDateTime, "index": index, "nullable": nullable}
    if default:
        kwargs["default_factory"] = utcnow
    else:
        kwargs["default"] = None
    return Field(**kwargs)


SOURCE_KINDS = ("auto", "feed", "sitemap", "page")
FRONTIER_STATES = ("queued", "in_progress", "done", "failed")
ACCESS_VALUES = ("free", "paywalled", "unknown")


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.Text, unique=True, index=True)
    name: str | None = Field(default=None, sa_type=sa.Text)
    kind: str = Field(default="auto", max_length=16)
    every_seconds: int | None = Field(default=None)
    cron: str | None = Field(default=None, max_length=120)
    enabled: bool = Field(default=True)
    created_at: datetime | None = _ts(default=True, nullable=False)
    updated_at: datetime | None = _ts(default=True, nullable=False)
    last_crawl_at: datetime | None = _ts()
    next_due_at: datetime | None = _ts(index=True)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    #: where discovery found URLs last time (resolved kind, feed/sitemap URLs)
    discovered: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: conditional GET validators per discovery URL: {url: {"etag":..., "last_modified":...}}
    validators: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Article(SQLModel, table=True):
    #: the near-duplicate check reads recent (id, simhash) pairs from this index, not from
    #: rows that carry the whole text (services/dedup.py)
    __table_args__ = (sa.Index("ix_article_id_simhash", "id", "simhash"),)

    id: int | None = Field(default=None, primary_key=True)
    #: indexed: storing a page looks it up by the URL it was first fetched at
    url: str = Field(sa_type=sa.Text, index=True)
    canonical_url: str = Field(sa_type=sa.Text, unique=True, index=True)
    source_id: int | None = Field(
        default=None, foreign_key="source.id", index=True, ondelete="SET NULL"
    )
    site_name: str | None = Field(default=None, sa_type=sa.Text)
    title: str | None = Field(default=None, sa_type=sa.Text)
    description: str | None = Field(default=None, sa_type=sa.Text)
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    published_at: datetime | None = _ts(index=True)
    modified_at: datetime | None = _ts()
    language: str | None = Field(default=None, max_length=16, index=True)
    text: str = Field(default="", sa_type=sa.Text)
    html: str = Field(default="", sa_type=sa.Text)
    top_image: str | None = Field(default=None, sa_type=sa.Text)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    word_count: int = Field(default=0)
    original_source: str | None = Field(default=None, sa_type=sa.Text)
    content_hash: str = Field(default="", max_length=64, index=True)
    simhash: int | None = Field(default=None, sa_type=sa.BigInteger)
    duplicate_of: int | None = Field(
        default=None, foreign_key="article.id", index=True, ondelete="SET NULL"
    )
    access: str = Field(default="unknown", max_length=16)
    fetched_at: datetime | None = _ts(default=True, nullable=False, index=True)
    updated_at: datetime | None = _ts(default=True, nullable=False, index=True)
    version: int = Field(default=1)
    extractor_version: str = Field(default="", max_length=32)
    #: extraction facts: where each date came from, page type, syndication line...
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: when the next recheck is due (None: no more rechecks)
    recheck_at: datetime | None = _ts(index=True)
    #: how many rechecks have been made so far
    rechecks: int = Field(default=0)


class ArticleVersion(SQLModel, table=True):
    __tablename__ = "article_version"
    __table_args__ = (sa.UniqueConstraint("article_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    version: int
    capture_id: int | None = Field(default=None, foreign_key="capture.id", ondelete="SET NULL")
    fetched_at: datetime | None = _ts(default=True, nullable=False)
    title: str | None = Field(default=None, sa_type=sa.Text)
    text: str = Field(default="", sa_type=sa.Text)
    html: str = Field(default="", sa_type=sa.Text)
    content_hash: str = Field(default="", max_length=64)
    extractor_version: str = Field(default="", max_length=32)
    #: the full extracted record of this capture (the Article fields at that time)
    record: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Capture(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.Text)
    final_url: str = Field(sa_type=sa.Text)
    article_id: int | None = Field(
        default=None, foreign_key="article.id", index=True, ondelete="SET NULL"
    )
    source_id: int | None = Field(
        default=None, foreign_key="source.id", index=True, ondelete="SET NULL"
    )
    status: int
    content_type: str | None = Field(default=None, sa_type=sa.Text)
    #: response headers as a list of [name, value] pairs, as received
    headers: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    request_headers: list[Any] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    #: the redirect chain, each hop [status, url]
    redirects: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    body: bytes = Field(sa_type=sa.LargeBinary)
    body_encoding: str = Field(default="zstd", max_length=16)
    body_length: int = Field(default=0)
    sha256: str = Field(default="", max_length=64)
    ip_address: str | None = Field(default=None, max_length=64)
    fetched_at: datetime | None = _ts(default=True, nullable=False, index=True)


class FrontierURL(SQLModel, table=True):
    __tablename__ = "frontier_url"
    __table_args__ = (
        sa.Index("ix_frontier_claim", "state", "next_attempt_at"),
        sa.Index("ix_frontier_host_state", "host", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.Text, unique=True)
    host: str = Field(max_length=255, index=True)
    source_id: int | None = Field(
        default=None, foreign_key="source.id", index=True, ondelete="SET NULL"
    )
    crawl_run_id: int | None = Field(
        default=None, foreign_key="crawl_run.id", index=True, ondelete="SET NULL"
    )
    #: queued, in_progress, done, failed
    state: str = Field(default="queued", max_length=16)
    #: article (archive it) or recheck (known article due again)
    purpose: str = Field(default="article", max_length=16)
    priority: int = Field(default=0)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = _ts(default=True, nullable=False)
    lease_expires_at: datetime | None = _ts()
    leased_by: str | None = Field(default=None, max_length=128)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    last_reason: str | None = Field(default=None, max_length=32)
    #: what the last finished fetch did: archived, updated, unchanged, not_modified, failed
    outcome: str | None = Field(default=None, max_length=16)
    #: what the feed or sitemap said: published date, lastmod, title
    hints: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    article_id: int | None = Field(default=None, foreign_key="article.id", ondelete="SET NULL")
    discovered_at: datetime | None = _ts(default=True, nullable=False)
    updated_at: datetime | None = _ts(default=True, nullable=False)


class HostState(SQLModel, table=True):
    __tablename__ = "host_state"

    host: str = Field(primary_key=True, max_length=255)
    next_allowed_at: datetime | None = _ts(default=True, nullable=False)
    crawl_delay: float | None = Field(default=None)
    in_flight: int = Field(default=0)
    robots_txt: str | None = Field(default=None, sa_type=sa.Text)
    robots_status: int | None = Field(default=None)
    robots_fetched_at: datetime | None = _ts()
    backoff_until: datetime | None = _ts()


class CrawlRun(SQLModel, table=True):
    __tablename__ = "crawl_run"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int | None = Field(
        default=None, foreign_key="source.id", index=True, ondelete="SET NULL"
    )
    #: scheduler, cli, api
    trigger: str = Field(default="cli", max_length=16)
    #: running, done, failed
    status: str = Field(default="running", max_length=16)
    started_at: datetime | None = _ts(default=True, nullable=False, index=True)
    finished_at: datetime | None = _ts()
    discovered: int = Field(default=0)
    fetched: int = Field(default=0)
    archived: int = Field(default=0)
    unchanged: int = Field(default=0)
    skipped: int = Field(default=0)
    failed: int = Field(default=0)
    #: failure counts by reason
    failures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, sa_type=sa.Text)
    #: renewed by the process driving a "running" pass; a stale one means that process died,
    #: and the pass is handed to the workers (storage/crawls.py: hand_over_abandoned)
    heartbeat_at: datetime | None = _ts()


#: archive-request states: running in a web process ("pending"), finished with an article
#: ("archived") or with the reason it could not be ("failed")
ARCHIVE_REQUEST_STATES = ("pending", "archived", "failed")


class ArchiveRequestRow(SQLModel, table=True):
    """One archive request answered with 202, durable so that any web process answers
    for it and a restart cannot lose it (services/archive_requests.py)."""

    __tablename__ = "archive_request"

    #: uuid4 hex: unguessable, so one client cannot walk another's requests
    id: str = Field(primary_key=True, max_length=32)
    url: str = Field(sa_type=sa.Text)
    status: str = Field(default="pending", max_length=16)
    article_id: int | None = Field(default=None, foreign_key="article.id", ondelete="SET NULL")
    #: why it failed (what the POST would have answered as a 422)
    detail: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime | None = _ts(default=True, nullable=False, index=True)
    finished_at: datetime | None = _ts()
    #: renewed by the process running it; a pending row whose heartbeat stopped was
    #: interrupted (that process stopped or died)
    heartbeat_at: datetime | None = _ts(default=True, nullable=False)


# --- public shapes (what the API, `extract` and exports show) -----------------------------

from pydantic import BaseModel, ConfigDict  # noqa: E402


class ArticleSummary(BaseModel):
    """An Article in lists: everything but the body."""

    model_config = ConfigDict(from_attributes=True)

    id: int | None = None
    url: str | None = None
    canonical_url: str | None = None
    source_id: int | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = []
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    top_image: str | None = None
    tags: list[str] = []
    word_count: int = 0
    original_source: str | None = None
    content_hash: str = ""
    duplicate_of: int | None = None
    access: str = "unknown"
    fetched_at: datetime | None = None
    updated_at: datetime | None = None
    version: int | None = None
    extractor_version: str = ""
    snippet: str | None = None


class ArticlePublic(ArticleSummary):
    """The Article record of the interface."""

    text: str = ""
    html: str = ""
    metadata: dict[str, Any] = {}


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    fetched_at: datetime | None = None
    title: str | None = None
    content_hash: str = ""
    extractor_version: str = ""
    capture_id: int | None = None
    word_count: int = 0


class SourcePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    name: str | None = None
    kind: str = "auto"
    every_seconds: int | None = None
    cron: str | None = None
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_crawl_at: datetime | None = None
    next_due_at: datetime | None = None
    last_error: str | None = None


class CrawlRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: int | None = None
    trigger: str = "cli"
    status: str = "running"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    discovered: int = 0
    fetched: int = 0
    archived: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    failures: dict[str, Any] = {}
    error: str | None = None
