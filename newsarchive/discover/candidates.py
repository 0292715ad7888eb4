"""What discovery hands to the frontier: a URL worth fetching and what its listing said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsarchive.timeutil import as_utc

CandidateSource = Literal["feed", "sitemap", "page"]


@dataclass(frozen=True)
class Candidate:
    """A canonical article URL found in a feed, a sitemap or a page.

    ``published_at`` comes from the feed entry or the news sitemap; ``lastmod`` from the
    sitemap (or the entry's updated date), so the crawler can skip what has not changed.
    """

    url: str
    title: str | None = None
    published_at: datetime | None = None
    lastmod: datetime | None = None
    source: CandidateSource = "page"


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A W3C/ISO 8601 date or datetime as an aware UTC datetime (None when unreadable).

    Sitemaps use W3C Datetime ('2024-05-01', '2024-05-01T08:00Z', '...+02:00'); a value
    without an offset is taken as UTC.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return as_utc(when)
