"""Seed-like pages: the article whole, the boilerplate gone, the syndication line read."""

from __future__ import annotations

from newsarchive.extract import ExtractOptions, build_site_profile, extract
from newsarchive.extract.filters import syndication_source
from tests.pages import (
    SEED_BOILERPLATE,
    SEED_BULLETS,
    SEED_PARAGRAPHS,
    SEED_TITLE,
    lorem_paragraphs,
    seed_page,
)

URL = "https://worldnews.example/2022/03/01/russian-convoy-stalls-outside-kyiv/"


def test_seed_page_text_is_the_whole_article_and_nothing_else() -> None:
    rec = extract(seed_page(), URL)
    assert rec.title == SEED_TITLE and rec.is_article
    paragraphs = rec.text.split("\n\n")
    assert paragraphs[0] == "Latest updates on Ukraine:"
    assert paragraphs[1:5] == SEED_BULLETS
    assert paragraphs[5:] == SEED_PARAGRAPHS  # ends with the contributors line
    for phrase in SEED_BOILERPLATE + ["Share this", "Posted in", "Post Comment", "All rights reserved"]:
        assert phrase not in rec.text and phrase not in rec.html, phrase
    assert rec.original_source == "Nbcnews.com"
    assert rec.metadata["syndication_line"].startswith("Source: | This article originally")
    assert rec.authors == ["Ken Dilanian", "Anastasiia Parafeniuk"]  # not "admin", not Reuters
    assert rec.published_at is not None and rec.metadata["date_sources"]["published_at"] == "meta"


def test_clean_html_keeps_only_allowed_markup() -> None:
    rec = extract(seed_page(), URL)
    assert rec.html.startswith("<p>Latest updates on Ukraine:</p>\n<ul><li>")
    for bad in ("<script", "<div", "class=", "style=", "<form", "<span"):
        assert bad not in rec.html


def test_syndication_lines() -> None:
    assert syndication_source("Source: | This article originally belongs to Nbcnews.com") == "Nbcnews.com"
    assert syndication_source("This story first appeared on The Conversation.") == "The Conversation"
    assert syndication_source("Originally published by Grist.") == "Grist"
    assert syndication_source("The mayor said the plan was originally published by the council in May "
                              "and then revised twice before anyone outside city hall had read it, "
                              "which critics said showed contempt for the public.") is None


def _site_page(n: int) -> str:
    paras = lorem_paragraphs(n, 5) + ["Disclaimer: the views expressed by contributors are their own "
                                      "and do not reflect the policy of World News Today."]
    return seed_page(title=f"Story number {n} about the harbour", paragraphs=paras)


def test_site_profile_removes_blocks_repeated_across_the_site() -> None:
    pages = [_site_page(n) for n in range(6)]
    profile = build_site_profile(pages)
    assert profile and profile.pages == 6
    page = _site_page(99)
    plain = extract(page, URL)
    assert "Disclaimer: the views expressed" in plain.text
    profiled = extract(page, URL, ExtractOptions(profile=profile))
    assert "Disclaimer: the views expressed" not in profiled.text
    assert lorem_paragraphs(99, 5)[2] in profiled.text
    as_set = extract(page, URL, ExtractOptions(profile=profile.fingerprints))
    assert as_set.text == profiled.text


def test_profile_ignores_repeated_captures_of_one_article() -> None:
    profile = build_site_profile([_site_page(1)] * 10)
    assert not profile  # ten captures of one story are one page, too few to learn from
    assert type(profile).from_json(profile.to_json()) == profile
