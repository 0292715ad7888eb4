"""The faster page scans find what the plain scans they replaced found."""

from __future__ import annotations

import re

import pytest

from newsarchive.extract.access import PAYWALL_TEXT, _paywall_text
from newsarchive.extract.boilerplate import _is_boiler_token
from newsarchive.extract.signals import _BUTTON_LINE, _CART_LINE, _FORUM_LINE, _line_counts

NAMES = "\n".join([
    "post-body entry", "btn btn-primary", "user-card", "usercard x", "", "price cart", "post-body entry",
    "header", "add-to-bag", "site-reply-box", "thread", "threads", "cta-row", "comments-area comments",
    "x_vote_y", "reply", "post-body entry", "buy-now", "nav-btn"])


@pytest.mark.parametrize("pattern", [_FORUM_LINE, _BUTTON_LINE, _CART_LINE])
def test_line_counts_equal_a_multiline_scan(pattern: re.Pattern[str]) -> None:
    whole_text = re.compile(r"^[^\n]*?(?:" + pattern.pattern + ")", re.M)  # the scan it replaced
    expected = len(whole_text.findall(NAMES))
    assert expected > 2  # the sample exercises the pattern
    assert _line_counts(NAMES, pattern) == [expected]


FILLER = "members of the club met. " * 40
PAYWALL_PAGES = [
    "",
    FILLER,
    FILLER + "subscribe now to continue reading" + FILLER,
    "already a subscriber? log in",
    FILLER + "this story is for paying subscribers only. " + FILLER + "already a subscriber?",
    # two cue words far apart, the match around the second one only
    "continue reading below " + FILLER + "to continue reading, please log in",
    "jetzt abonnieren und weiterlesen",
    "続きを読むには" + FILLER,
]


@pytest.mark.parametrize("text", PAYWALL_PAGES)
def test_paywall_window_search_equals_whole_text_search(text: str) -> None:
    plain = PAYWALL_TEXT.search(text)
    windowed = _paywall_text(text)
    assert (windowed.span(), windowed.group(0)) == (plain.span(), plain.group(0)) if plain else windowed is None


def test_boiler_token_verdicts() -> None:
    assert _is_boiler_token("related-posts")
    assert _is_boiler_token("site-footer")
    assert not _is_boiler_token("entry-content")  # a safe word wins
    assert not _is_boiler_token("post-content")
