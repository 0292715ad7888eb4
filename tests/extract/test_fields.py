"""Field rules: authors, dates with their sources and sanity, titles, access, page type."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from newsarchive.extract import ExtractOptions, extract
from newsarchive.extract.authors import clean_names
from tests.pages import lorem_paragraphs, publisher_page

URL = "https://news.example/2024/05/01/story/"


def test_clean_names() -> None:
    assert clean_names("By Jane Doe and John Roe, Staff Writers") == ["Jane Doe", "John Roe"]
    assert clean_names("By Jane Doe | jane@example.com") == ["Jane Doe"]
    assert clean_names("Dylan Bailey, MS, RD") == ["Dylan Bailey"]


def test_publisher_page_fields() -> None:
    page = publisher_page("Harbour plan approved", lorem_paragraphs(1), author="Jane Doe",
                          canonical="https://news.example/harbour")
    rec = extract(page, URL)
    assert rec.title == "Harbour plan approved"  # not "... | Example Times"
    assert rec.authors == ["Jane Doe"] and rec.site_name == "Example Times"
    assert rec.canonical_url == "https://news.example/harbour"
    assert rec.published_at == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert rec.metadata["date_sources"]["published_at"] == "json-ld"
    assert rec.language == "en" and rec.is_article


def test_future_date_rejected_for_next_candidate() -> None:
    page = publisher_page("Harbour plan approved", lorem_paragraphs(2), published="2031-01-01T00:00:00+00:00")
    rec = extract(page, URL, ExtractOptions(fetched_at=datetime(2024, 6, 1, tzinfo=UTC)))
    assert rec.published_at == datetime(2024, 5, 1, tzinfo=UTC)
    assert rec.metadata["date_sources"]["published_at"] == "url"
    assert "2031" in rec.metadata["date_sources"]["published_at_rejected"]


def test_pre_web_date_rejected_and_feed_hint_used() -> None:
    page = publisher_page("Harbour plan approved", lorem_paragraphs(3), published="1970-01-01T00:00:00Z")
    hints = {"published_at": "2024-04-30T12:00:00+02:00", "source": "feed"}
    rec = extract(page, "https://news.example/story", ExtractOptions(hints=hints))
    assert rec.published_at is not None and rec.published_at.isoformat() == "2024-04-30T12:00:00+02:00"
    assert rec.metadata["date_sources"]["published_at"] == "feed"


def test_naive_dates_become_timezone_aware() -> None:
    rec = extract(publisher_page("T", lorem_paragraphs(4), published="2024-05-01 08:00:00"), URL)
    assert rec.published_at is not None and rec.published_at.tzinfo is not None


def test_paywall_from_schema() -> None:
    page = publisher_page("Paid story", lorem_paragraphs(5))
    ld = '"publisher": {"@type": "Organization", "name": "Example Times"}'
    page = page.replace(ld, ld + ', "isAccessibleForFree": false')
    assert json.dumps(False) in page
    assert extract(page, URL).access == "paywalled"
    assert extract(publisher_page("Free story", lorem_paragraphs(5)), URL).access == "free"


def test_a_labelled_dateline_beats_other_dates_of_a_page_that_states_none() -> None:
    # no machine-readable date: the visible "Published ..." line is the page's own word for
    # it, not a release number in a stylesheet's URL or a date further down
    paras = "".join(f"<p>{p}</p>" for p in lorem_paragraphs(6))
    page = ('<html><head><title>Fasting, examined</title><link rel="stylesheet" '
            'href="//cdn.example/release-03-03-2026/site.css"></head><body><article>'
            '<h1>Fasting, examined</h1><div class="meta">By Daryl Austin</div>'
            '<div class="meta">Published <span class="d">March 9, 2026</span></div>'
            f'{paras}<p>Last reviewed on 12/01/2026.</p></article>'
            '<section class="comments"><p>Posted on May 5, 2024 by a reader</p></section>'
            '<footer>© 2026 Example</footer></body></html>')
    rec = extract(page, "https://news.example/health/article/fasting",
                  ExtractOptions(fetched_at=datetime(2026, 3, 20, tzinfo=UTC)))
    assert rec.published_at == datetime(2026, 3, 9, tzinfo=UTC)
    assert rec.metadata["date_sources"]["published_at"] == "dateline"
    # a labelled date after the fetch is not taken
    rec = extract(page, "https://news.example/health/article/fasting",
                  ExtractOptions(fetched_at=datetime(2025, 1, 1, tzinfo=UTC)))
    assert rec.published_at != datetime(2026, 3, 9, tzinfo=UTC)
