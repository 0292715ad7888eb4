"""The last-resort readers (htmldate, trafilatura's byline XPaths): what they still find, and
what their cheaper paths leave out on purpose."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import authors, dates, metadata

FETCHED = datetime(2026, 3, 1, tzinfo=UTC)


def _published(body: str) -> tuple[datetime | None, dict[str, str]]:
    tree = LexborHTMLParser(f"<html><head><title>Guide</title></head><body>{body}</body></html>")
    pub, _, sources = dates.find_dates(metadata.read_meta(tree), tree, "https://example.org/guide",
                                       FETCHED, {}, lambda: str(tree.html))
    return pub, sources


def test_a_number_in_the_markup_is_no_publication_date() -> None:
    # htmldate's numeric page patterns took the upload folder's date: 85 such dates on WCXB, none right
    pub, sources = _published('<p>How to plan a garden.</p><img src="/uploads/2019-01-31/bed.jpg">'
                              '<a href="/shop/item-20180412">Seeds</a>')
    assert pub is None and "published_at" not in sources


def test_a_written_out_date_in_the_text_is_still_read() -> None:
    pub, sources = _published('<div class="x" data-note="Published October 13, 2025 by the desk"></div>'
                              "<p>How to plan a garden, with pictures of every bed and path.</p>")
    assert pub == datetime(2025, 10, 13, tzinfo=UTC) and sources["published_at"] == "text"


@pytest.mark.parametrize("byline", [
    '<span class="author">Jane Doe</span>', '<a rel="author" href="/jd">Jane Doe</a>',
    '<div id="bianji">Jane Doe</div>', '<p class="byline">Jane Doe</p>',
    '<span itemprop="author">Jane Doe</span>', '<div data-component="StoryByline">Jane Doe</div>',
    '<span class="post-writer">Jane Doe</span>', '<h4 class="posted-by">Jane Doe</h4>',
    '<span class="AuthorName">Jane Doe</span>', "<author>Jane Doe</author>",
])
def test_every_kind_of_byline_markup_reaches_the_library(byline: str) -> None:
    # the markup gate in front of trafilatura's XPaths must let each of their patterns through
    page = f"<html><body><article><p>The harbour plan passed.</p>{byline}</article></body></html>"
    assert authors.library_authors(page) == ["Jane Doe"]


def test_a_page_without_byline_markup_has_no_library_author() -> None:
    assert authors.library_authors('<html><body><p class="lead">Jane Doe wrote this.</p></body></html>') == []
