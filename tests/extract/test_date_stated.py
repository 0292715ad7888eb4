"""The benchmark's "date stated in the page" test: which pages the second date figure counts."""

from __future__ import annotations

import pytest

from bench.extraction import date_stated


@pytest.mark.parametrize("html", [
    '<meta content="2026-03-09T10:00:00Z">', "<p>2026/3/9</p>", "<p>09.03.2026</p>", "<p>9/3/26</p>",
    "<p>3/9/2026</p>", "<p>March 9, 2026</p>", "<p>Mon, 9th of Mar. 2026</p>",
    "<span>Mar 9</span><!-- -->, 2026", "<p>9. März 2026</p>", "<p>9 de marzo de 2026</p>",
    "<p>9 марта 2026</p>", "<p>2026年3月9日</p>", "<p>20260309</p>",
    '<img src="a.jpg?v=1773014400">', '<b data-t="1773100800000">',  # 00:00 and 24:00 UTC
])
def test_written_forms_of_the_day_count(html: str) -> None:
    assert date_stated(html, None, "2026-03-09")


@pytest.mark.parametrize("html", [
    "<p>March 19, 2026</p>", "<p>2026-03-19</p>", "<p>19.03.2026</p>", "<p>12026-03-09</p>",
    "<p>March 9, 2025</p>", "<p>May 9, 2026</p>", '<img src="a.jpg?v=1773200000">', "",
])
def test_other_days_do_not(html: str) -> None:
    assert not date_stated(html, None, "2026-03-09")


def test_the_url_path_counts() -> None:
    assert date_stated("<p>no date</p>", "https://example.com/2026/03/09/story", "2026-03-09")
    assert not date_stated("<p>no date</p>", None, "not a date")
