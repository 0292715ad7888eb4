"""Title, author and date rules, each on the smallest page that shows it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import authors, dates, language, metadata


def _page(head: str, body: str = "") -> tuple[metadata.PageMeta, LexborHTMLParser]:
    tree = LexborHTMLParser(f"<html><head>{head}</head><body>{body}</body></html>")
    return metadata.read_meta(tree), tree


def _title(head: str, body: str) -> str | None:
    page, _ = _page(head, body)
    return metadata.title(page, metadata.site_name(page))


@pytest.mark.parametrize(("head", "body", "expected"), [
    # a <br> between the lines of a headline is a space, not nothing
    ("<title>Weekend Coding Agent | Labs</title>", "<h1>WEEKEND<br>CODING<br> <span>AGENT</span></h1>",
     "WEEKEND CODING AGENT"),
    # an <h1> that prints the <title>'s section and site parts loses them
    ('<meta property="og:title" content="How meditation rewires brains | Opinion">',
     "<h1>How meditation rewires brains | Opinion</h1>", "How meditation rewires brains"),
    ('<meta property="og:site_name" content="Artlyst">'
     '<meta property="og:title" content="Best UK Art Exhibitions 2025 – Artlyst - Artlyst">',
     "<h1>Best UK Art Exhibitions 2025 – Artlyst</h1>", "Best UK Art Exhibitions 2025"),
    # the headline part of a long <title> is not mistaken for the site's name
    ("<title>How Much is Pet Insurance | 2025 Pet Insurance Cost Guide for Dogs &amp; Cats</title>",
     "<h1>How Much is Pet Insurance?</h1>", "How Much is Pet Insurance?"),
    # a label or a date in front of the headline
    ('<meta property="og:title" content="Preparing a transition in Debusine">',
     "<h1>Dec 18 2025 Preparing a transition in Debusine</h1>", "Preparing a transition in Debusine"),
    ('<meta property="og:title" content="Best Social Media Agencies in 2025 | Silverback">',
     "<h1>Blog: Best Social Media Agencies in 2025</h1>", "Best Social Media Agencies in 2025"),
    # a one-word <h1> that is a word inside the title is a widget, not the headline
    ('<meta property="og:title" content="How we pwned Vercel, Cursor, Discord and hundreds more">',
     "<h1>Discord</h1>", "How we pwned Vercel, Cursor, Discord and hundreds more"),
    # ... but a one-word headline that opens the title is kept
    ("<title>RESTAURANT Definition &amp; Meaning | Dictionary.com</title>", "<h1>restaurant</h1>",
     "restaurant"),
    # a bare domain after the separator names the site
    ("<title>GAME CHANGER | Newegg.com</title>", "", "GAME CHANGER"),
    # a paragraph set in an <h1> is not the headline
    ('<meta property="og:title" content="The 10 Best Home Improvement ROI Projects | RenoFi">',
     "<h1>Learn which home renovations have the best ROI. Get expert tips on home improvement ROI. "
     "We help you learn it all.</h1>", "The 10 Best Home Improvement ROI Projects"),
])
def test_title_rules(head: str, body: str, expected: str) -> None:
    assert _title(head, body) == expected


def test_truncated_schema_headline_loses_to_the_full_title() -> None:
    full = ("Fix It Friday: Struggling With How To Arrange Your Living Room? We Help 4 Readers Find "
            "Solutions (Including One Universal Trick)")
    ld = {"@type": "Article", "headline": full[:110]}
    head = (f'<script type="application/ld+json">{json.dumps(ld)}</script>'
            f'<meta property="og:title" content="{full} - Emily Henderson">')
    assert _title(head, "") == full


@pytest.mark.parametrize(("url", "head", "body", "expected"), [
    # a page that states no site name: its host spells it, before the headline or as the <h1>
    ("https://davidbau.com/archives/2025/12/16/vibe_coding.html", "<title>davidbau.com Vibe Coding</title>",
     "<h1>davidbau.com</h1>", "Vibe Coding"),
    ("https://www.soundstagexperience.com/index.php/features/686-five-best",
     "<title>SoundStage! Xperience | SoundStageXperience.com - The Five Best Headphones (According to Me)"
     "</title>", "<h1>Pulse!</h1>", "The Five Best Headphones (According to Me)"),
    # the blog's name before a colon in <title>, og:title the headline alone: the <h1> is the name
    ("https://blog.example.org/2025/12/small.html",
     '<meta property="og:title" content="Small adventures with small language models">'
     "<title>Engora Data Blog: Small adventures with small language models</title>",
     "<h1>Engora Data Blog</h1><h1>Small is the new large</h1>", "Small adventures with small language models"),
    # ... but a long head before the colon is the article's own label, kept
    ("https://example.com/awards/oral-care",
     '<meta property="og:title" content="The Best Oral Care Products">'
     "<title>The 2024 SELF Healthy Beauty Awards: The Best Oral Care Products</title>",
     "<h1>The 2024 SELF Healthy Beauty Awards: The Best Oral Care Products</h1>",
     "The 2024 SELF Healthy Beauty Awards: The Best Oral Care Products"),
    # an aggregator's <h1>: the headline, then the source's domain and the comment count
    ("https://news.example.org/story/25/12/19/grads",
     '<meta property="og:title" content="Grads Find Their Degrees No Longer Guarantee Jobs - Slashdot">',
     '<h1><a href="/s">Grads Find Their Degrees No Longer Guarantee Jobs</a> <a href="https://latimes.com/x">'
     "(latimes.com)</a> <span>87</span></h1>", "Grads Find Their Degrees No Longer Guarantee Jobs"),
    # UTF-8 read as Latin-1 by the page's own software is put back
    ("https://example.com/retirement", "<title>Retirement Calculators | White Coat</title>",
     "<h1>A DIY Investor\u00e2\u0080\u0099s Guide to Retirement Calculators</h1>",
     "A DIY Investor\u2019s Guide to Retirement Calculators"),
])
def test_title_rules_with_the_url(url: str, head: str, body: str, expected: str) -> None:
    page, _ = _page(head, body)
    assert metadata.title(page, metadata.site_name(page), url) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Parisa Ostovari", ["Parisa Ostovari"]),  # "par" is a by-word only as a whole word
    ("Author: Ashley Biancuzzo", ["Ashley Biancuzzo"]),
    ("Authors Aniruddha Roy, Jyoti Patel", ["Aniruddha Roy", "Jyoti Patel"]),
    ("By Haley Hoekstra • March 12, 2025", ["Haley Hoekstra"]),
    ("Posted by BeauHD on Friday December 19, 2025 @08:00PM", ["BeauHD"]),
    ("Updated January 08, 2026 Written by Meghan Neville Content Marketing Coordinator", ["Meghan Neville"]),
    ("By Keith Barry Senior Autos Reporter", ["Keith Barry"]),
    ("Matt Check Head Winemaker, Co-Founder", ["Matt Check"]),
    ("Yucy 3/4/2025", ["Yucy"]),
    ("Updated March", []),
    ("Dec", []),  # a dateline's month where the byline's name should be
    ("Sat", []),
    ("Jan", ["Jan"]),  # ... but "Jan" is a first name too
    ("Luke Kim December", ["Luke Kim"]),  # the day sat in another element
    ("Liz Kenny Former McKinsey Consultant", ["Liz Kenny"]),
    ("Guide by Will Judd", ["Will Judd"]),  # the kind of piece before "by"
    ("Staff", ["Staff"]),  # a generic account stays available as the last resort
    ("By Jane Reporter", ["Jane Reporter"]),  # a surname that is a job word: not half a name
    ("Jane Doe, Reporter", ["Jane Doe"]),
    ("Jane Doe Staff Reporter", ["Jane Doe"]),
])
def test_clean_names_rules(raw: str, expected: list[str]) -> None:
    assert authors.clean_names(raw) == expected


def test_an_organisation_author_yields_to_a_person_byline() -> None:
    ld = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "USA TODAY"}}
    page, tree = _page(f'<script type="application/ld+json">{json.dumps(ld)}</script>',
                       '<p class="byline">By Brian Truitt</p>')
    assert authors.find_authors(page, authors.byline_texts(tree), []) == ["Brian Truitt"]
    alone, _ = _page(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert authors.find_authors(alone, [], []) == ["USA TODAY"]  # still better than nothing


def _published(head: str, body: str, url: str = "https://example.org/story") -> tuple[datetime | None, str]:
    page, tree = _page(head, body)
    pub, _, sources = dates.find_dates(page, tree, url, datetime(2026, 3, 1, tzinfo=UTC), {},
                                       lambda: str(tree.html))
    return pub, sources.get("published_at", "")


def test_a_written_out_visible_date_is_read() -> None:
    pub, source = _published("", '<span itemprop="datePublished">February 23, 2026</span>')
    assert pub == datetime(2026, 2, 23, tzinfo=UTC) and source == "time"


def test_a_written_date_in_metadata_is_not_trusted_over_the_text() -> None:
    assert dates.parse_date("Nov 05, 2025") is None  # template display strings, often another date


def test_htmldate_is_bounded_by_the_month_in_the_url() -> None:
    body = "<p>Posted 2014-01-01</p><p>Advent of Code, week 2: written on 2025-12-20.</p>"
    pub, source = _published("", body, "https://blog.example/archive/2025/12/advent.html")
    assert pub is not None and (pub.year, pub.month) == (2025, 12) and source == "text"


def test_a_webpage_date_is_read_when_no_article_states_one() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "datePublished": "2021-01-27T06:00:00+00:00",
         "dateModified": "2021-04-15T00:07:20+00:00"},
        {"@type": "WebSite", "name": "Talking Home"}]}
    head = (f'<script type="application/ld+json">{json.dumps(ld)}</script>'
            '<meta property="article:modified_time" content="2021-04-15T00:07:20+00:00">')
    pub, source = _published(head, "<p>Last updated April 15, 2021</p>")
    assert pub == datetime(2021, 1, 27, 6, tzinfo=UTC) and source == "json-ld page"


def test_a_copyright_year_is_not_a_publication_date() -> None:
    page, tree = _page("", "<p>How to install solar panels, step by step.</p><footer>© 2025 Solar Co.</footer>")
    pub, _, sources = dates.find_dates(page, tree, "https://example.org/solar-guide",
                                       datetime(2026, 3, 1, tzinfo=UTC), {}, lambda: str(tree.html))
    assert pub is None and sources["published_at_rejected"] == "text: 2025-01-01 (a year alone)"


def test_htmldate_runs_only_when_needed() -> None:
    page, tree = _page('<meta property="article:published_time" content="2024-05-01T08:00:00Z">')
    calls: list[int] = []

    def lean() -> str:
        calls.append(1)
        return ""

    pub, _, _ = dates.find_dates(page, tree, None, None, {}, lean)
    assert pub == datetime(2024, 5, 1, 8, tzinfo=UTC) and calls == []


def test_sparse_language_identifier_agrees_with_py3langid() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    reference = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ours = language._identifier()
    for text in ("The council approved the harbour plan after a long debate on Tuesday night.",
                 "Der Stadtrat hat den Hafenplan nach einer langen Debatte am Dienstag gebilligt.",
                 "Le conseil municipal a approuvé le plan du port après un long débat mardi soir."):
        assert ours.classify(text)[0] == reference.classify(text)[0]
        assert abs(float(ours.classify(text)[1]) - float(reference.classify(text)[1])) < 1e-4
