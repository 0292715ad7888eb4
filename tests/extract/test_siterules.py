"""Per-site rules: the file is checked with readable errors, and extract honours drop, body
and the field overrides on written pages."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

import pytest

from newsarchive.extract import ExtractedArticle, ExtractOptions, extract
from newsarchive.extract.siterules import RuleBook, SiteRulesError, parse_rules
from tests.pages import lorem_paragraphs

URL = "https://www.harbour.example/2024/05/01/harbour-plan"
STORY = lorem_paragraphs(41, 5)
ASIDE = lorem_paragraphs(42, 4)
PROMO = "Harbour Daily is published by the Harbour Media Group, a family firm since 1921."

RULES = """
["harbour.example"]
body = "div.story"
drop = [".coda", "script[type='application/ld+json']"]
title = "h2.headline"
authors = ".writers a"
published = ["time.pub", "span.filed"]
modified = "span.stamp"
"""


def ruled_page() -> str:
    """A template whose section kicker is the h1, whose byline is a list of links, whose
    story ends with a house promo in a plain paragraph and is followed, in the same article
    element, by teaser prose: the general cues keep both (see the fallback test)."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Local News",
          "datePublished": "2024-05-01T08:00:00+00:00",
          "author": [{"@type": "Person", "name": "Web Desk"}]}
    aside = "".join(f"<p>{html.escape(p)}</p>" for p in ASIDE)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour Daily</title><script type="application/ld+json">{json.dumps(ld)}</script></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<h1 class="kicker">Local News</h1>
<h2 class="headline">Harbour plan approved after a long debate</h2>
<div class="writers">By <a href="/a/jane">Jane Doe</a> and <a href="/a/john">John Roe</a></div>
<span class="filed">Filed May 1, 2024 at 09:30</span> <span class="stamp"><time datetime="2024-05-03T10:15:00+02:00">May 3</time></span>
<article><div class="story">{story_html()}<p class="coda">{PROMO}</p></div>
<div class="more">{aside}</div></article>
<footer><a href="/about">About us</a></footer></body></html>"""


def story_html() -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in STORY)


def rules_for(text: str, url: str = URL) -> ExtractOptions:
    return ExtractOptions(fetched_at=datetime(2024, 6, 1, tzinfo=UTC),
                          rules=parse_rules(text, "rules.toml").for_url(url))


def test_rules_shape_the_record() -> None:
    rec = extract(ruled_page(), URL, rules_for(RULES))
    assert rec.is_article
    assert rec.title == "Harbour plan approved after a long debate"
    assert rec.authors == ["Jane Doe", "John Roe"]
    assert rec.published_at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert rec.modified_at == datetime(2024, 5, 3, 8, 15, tzinfo=UTC)
    assert rec.text.split("\n\n") == STORY  # the story, all of it, and nothing else
    assert PROMO not in rec.html and ASIDE[0] not in rec.html
    notes = rec.metadata["site_rules"]
    assert notes["site"] == "harbour.example"
    assert notes["body"] == "matched" and notes["body_selector"] == "div.story"
    assert notes["dropped"] == 2 and "not_matched" not in notes
    assert rec.metadata["date_sources"]["published_at"] == "site rules"


def test_drop_goes_before_metadata_and_body() -> None:
    rec = extract(ruled_page(), URL, rules_for(
        '["harbour.example"]\ndrop = ["script[type=\'application/ld+json\']", ".coda", "div.more p"]'))
    # the JSON-LD was dropped: its "Web Desk" author and "Local News" headline are not read
    assert "Web Desk" not in rec.authors and rec.metadata["site_rules"]["dropped"] == 6
    assert PROMO not in rec.text and ASIDE[0] not in rec.text
    assert STORY[0] in rec.text


def test_body_that_matches_nothing_falls_back_to_the_whole_page() -> None:
    plain = extract(ruled_page(), URL, ExtractOptions(fetched_at=datetime(2024, 6, 1, tzinfo=UTC)))
    rec = extract(ruled_page(), URL, rules_for(
        '["harbour.example"]\nbody = ["div.gone", "#nothing"]\ntitle = "h5.nope"'))
    assert rec.metadata["site_rules"]["body"] == "not matched"
    assert rec.metadata["site_rules"]["not_matched"] == ["title"]
    assert (rec.text, rec.title, rec.authors) == (plain.text, plain.title, plain.authors)
    assert PROMO in plain.text and ASIDE[0] in plain.text  # what the rules above remove
    assert "site_rules" not in plain.metadata


def test_rules_of_another_site_change_nothing() -> None:
    options = rules_for(RULES, "https://other.example/story")
    assert options.rules is None
    assert extract(ruled_page(), URL, options) == extract(ruled_page(), URL, ExtractOptions(
        fetched_at=datetime(2024, 6, 1, tzinfo=UTC)))


def assert_story(page: str, rules: str) -> ExtractedArticle:
    """The page read with these harbour.example rules: its body is exactly the story."""
    rec = extract(page, URL, rules_for(f'["harbour.example"]\n{rules}'))
    assert rec.text.split("\n\n") == STORY
    return rec


def test_a_headline_inside_the_ruled_body_is_the_title_not_its_first_paragraph() -> None:
    page = (f'<html><head><meta property="og:title" content="Harbour: the desk headline">'
            f'</head><body><div class="x"><h1 class="hl">Harbour plan approved</h1>{story_html()}'
            f"</div></body></html>")
    assert assert_story(page, 'body = "div.x"\ntitle = "h1.hl"').title == "Harbour plan approved"


def test_nested_matches_are_taken_once() -> None:
    page = (f'<html><body><div class="ad"><div class="ad"><p>{PROMO}</p></div></div>'
            f'<div class="part"><div class="part">{story_html()}</div><div class="ad">{PROMO}</div>'
            f"</div></body></html>")
    rec = assert_story(page, 'drop = ".ad"\nbody = "div.part"')  # the inner part read once
    assert rec.metadata["site_rules"]["dropped"] == 2  # the outer ad and the one in the body


def test_most_specific_host_wins() -> None:
    book = parse_rules('["example.com"]\nbody = "main"\n["news.example.com"]\nbody = "article"\n'
                       '["Bücher.example"]\ntitle = "h1"', "rules.toml")
    assert book.for_url("https://example.com/a").site == "example.com"  # type: ignore[union-attr]
    assert book.for_url("https://www.example.com/a").site == "example.com"  # type: ignore[union-attr]
    assert book.for_url("https://live.news.example.com/a").site == "news.example.com"  # type: ignore[union-attr]
    assert book.for_url("https://xn--bcher-kva.example/a").site == "Bücher.example"  # type: ignore[union-attr]
    assert book.for_url("https://notexample.com/a") is None
    assert book.for_url("not a url") is None and RuleBook().for_url("https://example.com") is None


@pytest.mark.parametrize(("text", "expected"), [
    ('["a.example"]\nbodyy = "main"', "rules.toml: site 'a.example': unknown key 'bodyy' (did you mean 'body'? the keys are body, "),
    ('["a.example"]\nbody = "div["', "rules.toml: site 'a.example', key 'body': 'div[' is not a valid CSS selector"),
    ('["a.example"]\ndrop = [".ad", ""]', "rules.toml: site 'a.example', key 'drop': '' is not a valid CSS selector"),
    ('["a.example"]\ndrop = []', "rules.toml: site 'a.example', key 'drop': expected a CSS selector or a list"),
    ('["a.example"]\ntitle = 3', "rules.toml: site 'a.example', key 'title': expected a CSS selector"),
    ('body = "main"', "rules.toml: site 'body': expected a table of rules"),
    ('["https://a.example/news"]\nbody = "main"', "rules.toml: site 'https://a.example/news': a site is a host name"),
    ('["a.example"]\nbody = "main"\n["A.example."]\nbody = "div"', "rules.toml: site 'A.example.': the site is given twice"),
    ('["a.example"\nbody = "main"', "rules.toml: not valid TOML"),
    ('[www.news.example]\nbody = "main"', "rules.toml: site 'www.news.example' must be quoted in its header"),
])
def test_rule_file_errors_name_file_site_and_key(text: str, expected: str) -> None:
    with pytest.raises(SiteRulesError) as caught:
        parse_rules(text, "rules.toml")
    assert str(caught.value).startswith(expected)
