"""The date shown next to the headline: read before htmldate, and the judge of doubtful dates."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import dates, metadata

FETCHED = datetime(2026, 3, 20, tzinfo=UTC)
#: an older post's date, a few lines above the headline
RELATED = ('<aside><ul><li><a href="/a">Older post</a> <span>July 3, 2019</span></li></ul></aside><nav>'
           + " ".join(f'<a href="/s{i}">Section {i}</a>' for i in range(20)) + "</nav>")


def _published(body: str, head: str = "", url: str = "https://example.org/story",
               lang: str = "en") -> tuple[datetime | None, str]:
    html = f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    tree = LexborHTMLParser(html)
    pub, _, sources = dates.find_dates(metadata.read_meta(tree), tree, url, FETCHED, {}, lambda: html)
    return pub, sources.get("published_at", "")


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


@pytest.mark.parametrize(("dateline", "lang", "day"), [
    ("Feb 4, 2026<!-- --> - 11 minutes", "en", "2026-02-04"),
    ("by Jane Doe · 3/4/2025", "en-US", "2025-03-04"),
    ("by Jane Doe · 3/4/2025", "en-GB", "2025-04-03"),
    ("09.03.2026", "de", "2026-03-09"),
    ("9. März 2026", "de", "2026-03-09"),
    ("9 de marzo de 2026", "es", "2026-03-09"),
    ("2026年3月9日", "ja", "2026-03-09"),
])
def test_the_date_by_the_headline_wins_over_other_dates_of_the_page(dateline: str, lang: str, day: str) -> None:
    pub, source = _published(f"{RELATED}<h1>The harbour plan passed today</h1><p>{dateline}</p>"
                              "<p>The council voted on Tuesday.</p>", lang=lang)
    assert (_day(pub), source) == (day, "dateline")


def test_another_date_of_the_page_settles_day_or_month_first() -> None:
    # 3/4/2025 on a page without a region, whose template also wrote 25/12/2024: day first
    pub, _ = _published("<h1>The harbour plan passed today</h1><p>3/4/2025</p>"
                        "<footer>Comments closed 25/12/2024</footer>")
    assert _day(pub) == "2025-04-03"


def test_a_month_named_in_the_url_picks_the_reading() -> None:
    pub, _ = _published("<h1>The harbour plan passed today</h1><p>03/10/2023</p>",
                        url="https://example.org/blog/2023/october/03/harbour")
    assert _day(pub) == "2023-10-03"


def test_an_update_line_is_not_the_publication() -> None:
    pub, source = _published("<h1>The harbour plan passed today</h1><p>Updated March 12, 2026</p>"
                             "<p>by Jane Doe, March 9, 2026</p>")
    assert (_day(pub), source) == ("2026-03-09", "dateline")


def test_a_logo_h1_is_not_the_headline() -> None:
    pub, source = _published("<h1>Gazette</h1><p>March 9, 2026</p>")
    assert source != "dateline" or pub is None


def test_time_tags_that_disagree_are_settled_by_the_headline() -> None:
    sidebar = "".join(f'<li><time datetime="2026-01-{d:02d}T12:00:00Z">01/{d:02d}/2026</time></li>'
                      for d in (5, 6, 7))
    body = (f"<ul>{sidebar}</ul><h1>The harbour plan passed today</h1>"
            '<div class="meta"><time datetime="2017-03-01T12:00:00Z">03/01/2017</time></div>')
    pub, source = _published(body)
    assert (_day(pub), source) == ("2017-03-01", "time")


def test_time_tags_alone_keep_the_first() -> None:
    pub, source = _published('<time datetime="2026-01-05">x</time><time datetime="2026-01-06">y</time>')
    assert (_day(pub), source) == ("2026-01-05", "time")


@pytest.mark.parametrize(("modified", "day", "source"), [
    ("2026-03-01T10:00:00Z", "2026-02-04", "dateline"),  # one stamp on both: the dateline is the publication
    ("2026-03-05T10:00:00Z", "2026-03-01", "meta"),  # a real revision: the metadata stands
])
def test_a_publication_stamped_as_the_last_save_yields_to_the_dateline(modified: str, day: str,
                                                                        source: str) -> None:
    head = ('<meta property="article:published_time" content="2026-03-01T10:00:00Z">'
            f'<meta property="article:modified_time" content="{modified}">')
    pub, found = _published("<h1>The harbour plan passed today</h1><p>Feb 4, 2026</p>", head)
    assert (_day(pub), found) == (day, source)


def test_a_dateline_in_the_future_is_refused() -> None:
    pub, source = _published("<h1>The harbour plan passed today</h1><p>March 9, 2031</p>")
    assert source != "dateline" and (pub is None or pub <= FETCHED)


def test_a_page_of_unclosed_h1s_is_read_in_linear_time() -> None:
    # each <h1> looked for its end 3,000 characters on: 200,000 of them took 8 s of CPU
    started = time.process_time()
    assert dates._headline_date("<h1>" * 200_000 + "<p>March 9, 2026</p>", "en", None, FETCHED) is None
    assert time.process_time() - started < 1.0
