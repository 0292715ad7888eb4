"""The extractor's entry point: decode, read metadata, find the body, clean it, classify."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import trafilatura
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsarchive.extract.record import ExtractedArticle

EXTRACTOR_VERSION = "0.1.0"

#: a page whose body has fewer words than this is not taken for an article
MIN_ARTICLE_WORDS = 40

_SYNDICATION = re.compile(
    r"^\s*(?:source:\s*\|?\s*)?(?:this (?:article|story) (?:originally belongs to|first appeared on|was originally published (?:on|by|in))|originally published (?:on|by|in|at)|republished from)\s*:?\s*(?P<src>.+?)\s*\.?\s*$",
    re.I,
)


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract. ``profile`` holds a site's repeated-block fingerprints."""

    fetched_at: datetime | None = None
    content_type: str | None = None
    profile: frozenset[str] = field(default_factory=frozenset)
    hints: dict[str, Any] = field(default_factory=dict)


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    if isinstance(data, str):
        return data
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    for enc in (charset, "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def content_hash(text: str) -> str:
    normalised = " ".join(text.split()).lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def extract(
    html: bytes | str, url: str | None = None, options: ExtractOptions | None = None
) -> ExtractedArticle:
    """Turn one page into an ExtractedArticle. Never raises on any input."""
    options = options or ExtractOptions()
    try:
        return _extract(html, url, options)
    except Exception as exc:  # noqa: BLE001  (the promise is: never raise)
        return ExtractedArticle(
            url=url,
            extractor_version=EXTRACTOR_VERSION,
            page_type="error",
            reason=f"extractor error: {type(exc).__name__}",
        )


def _extract(html: bytes | str, url: str | None, options: ExtractOptions) -> ExtractedArticle:
    text_html = decode_html(html, options.content_type)
    record = ExtractedArticle(url=url, extractor_version=EXTRACTOR_VERSION)
    if not text_html.strip():
        record.page_type, record.reason = "empty", "empty page"
        return record
    tree = HTMLParser(text_html)
    canonical = tree.css_first("link[rel=canonical]")
    if canonical is not None and canonical.attributes.get("href"):
        record.canonical_url = canonical.attributes.get("href")
    doc = trafilatura.bare_extraction(
        text_html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if doc is None:
        record.page_type, record.reason = "empty", "no main text found"
        return record
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (data.get("text") or "").strip()
    lines = body.split("\n")
    kept: list[str] = []
    for line in lines:
        m = _SYNDICATION.match(line)
        if m:
            record.original_source = m.group("src").strip()
            record.metadata["syndication_line"] = line.strip()
            continue
        kept.append(line)
    body = "\n\n".join(p.strip() for p in kept if p.strip())
    record.text = body
    record.title = data.get("title")
    record.description = data.get("description")
    author = data.get("author")
    if author:
        record.authors = [a.strip() for a in re.split(r";|,| and ", author) if a.strip()]
    record.published_at = _parse_date(data.get("date"))
    if record.published_at:
        record.metadata["date_sources"] = {"published_at": "trafilatura"}
    record.site_name = data.get("sitename")
    record.language = data.get("language")
    record.top_image = data.get("image")
    record.tags = [t for t in (data.get("tags") or []) if t]
    record.word_count = len(body.split())
    record.content_hash = content_hash(body) if body else ""
    record.html = "".join(f"<p>{_escape(p)}</p>" for p in body.split("\n\n") if p)
    if record.word_count >= MIN_ARTICLE_WORDS and record.title:
        record.is_article, record.page_type = True, "article"
    else:
        record.page_type, record.reason = "not_article", "too little text for an article"
    return record


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
