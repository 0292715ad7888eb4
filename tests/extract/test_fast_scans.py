"""The faster page scans find what the plain scans they replaced found."""

from __future__ import annotations

import html
import re
import sys

import pytest

from newsarchive.extract.access import PAYWALL_TEXT, _paywall_text
from newsarchive.extract.body import _key
from newsarchive.extract.boilerplate import _is_boiler_token
from newsarchive.extract.signals import _BUTTON_LINE, _CART_LINE, _FORUM_LINE, _PRICE, _line_counts
from newsarchive.extract.text import count_words, norm, without_code

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


SPACED = ["  a\u00a0 b\u2003\n\tc \u3000", "", " ", "\x1c\x1d\x1e\x1f\x85 x \u2028\u2029 y", "plain", "&amp;\u200b x"]


@pytest.mark.parametrize("text", SPACED)
def test_norm_collapses_like_the_whitespace_pattern(text: str) -> None:
    assert norm(text) == re.sub(r"\s+", " ", html.unescape(text)).strip()


def test_split_breaks_on_exactly_what_the_whitespace_pattern_matches() -> None:
    space = re.compile(r"\s")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(sys.maxunicode + 1))


@pytest.mark.parametrize("text", ["Hello, World! 3 o'clock_x", "Ünïcode — “quoted” text", "\u212a kelvin", "", "..."])
def test_block_key_equals_the_non_word_pattern(text: str) -> None:
    assert _key(text) == re.sub(r"\W+", "", text.lower())


@pytest.mark.parametrize("text", ["one two, three", "日本語の文章です and words", "", "x_y z9"])
def test_count_words(text: str) -> None:
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text))
    spaced = re.sub(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", " ", text)
    assert count_words(text) == len(re.findall(r"\w+", spaced)) + (cjk + 1) // 2


LAZY_CODE = re.compile(r"<script(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>"
                       r"|<svg[^>]*>.*?</svg\s*>", re.S | re.I)  # the pattern without_code used before


@pytest.mark.parametrize("page", [
    '<p>a<script>x<b>y</b>if (a<b) {}</SCRIPT >c<script type="application/ld+json">{}</script>',
    "<svg><g><path/></g></svg>d<style>p{}</style><script>never closed",
    "<script>one</script><script>two</script ><STYLE>x</Style\n>",
    "<script>document.write('</scr' + 'ipt>')</script>tail",
])
def test_without_code_removes_what_the_lazy_pattern_removed(page: str) -> None:
    assert without_code(page) == LAZY_CODE.sub(" ", page)


PLAIN_PRICE = re.compile(r"(?:[$€£¥₹]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|zł|kr|руб|usd|eur|gbp)\b)", re.I)


@pytest.mark.parametrize("text", ["$5 eur and 10 EUR, €3.50 or 4€; 12 kr 7krona ¥ 9 руб 2025 £", "", "no prices",
                                  "1,000.00 USD $$5 ₹ 100 zł 5zł"])
def test_price_pattern_finds_what_the_plain_alternation_found(text: str) -> None:
    assert _PRICE.findall(text) == PLAIN_PRICE.findall(text)
    assert _PRICE.findall(text) or not any(c.isdigit() for c in text)


#: pieces of written-out dates and of what stands around them in pages
DATE_PIECES = ["12th of March 2020", "March 5, 2019", "5 May 2021", "Mai 2020", " 2020", "1992019", "12", "3",
               "th", "of ", " ", ",", ".", "Smith", "SmithMarch", "März", "décembre", "31 février 2020", "Feb",
               "2038", "1999", "<p>", "x", "_", "²", "ıstanbul", "Ekim", "June 2019 2020", "20202", "\n",
               "Sept.", "on the 3rd of", "Ocak 12, 2021", "<time>", "a" * 30]


def test_written_date_search_in_stretches_equals_the_whole_page_search() -> None:
    """The windowed search returns what htmldate's regex_parse finds on the whole text,
    including the matches it skips (unknown month words, impossible days)."""
    import random

    from htmldate import extractors

    from newsarchive.extract.dates import _first_written_date

    rng = random.Random(7)
    texts = ["".join(rng.choice(DATE_PIECES) for _ in range(rng.randint(1, 14))) for _ in range(5000)]
    found = [extractors.regex_parse(text) for text in texts]
    assert sum(f is not None for f in found) > 500  # the sample holds dates and non-dates
    assert [_first_written_date(text) for text in texts] == found
