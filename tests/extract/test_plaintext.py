"""A page's text saved without its markup (like the seed) comes out as cleanly as the page."""

from __future__ import annotations

from newsarchive.extract import extract
from newsarchive.extract.plaintext import as_html, is_plain_text

ARTICLE = [
    "Satellite images captured by an American firm showed what it said was a roughly 40-mile "
    "convoy of tanks and armored vehicles approaching the capital on Monday evening.",
    "The advance has made little progress in the past 24 hours due to logistical difficulties, "
    "the defense ministry said on Tuesday in its regular update posted online.",
    "The first talks between the two countries concluded with no immediate breakthrough, and "
    "officials said another round could be held near the border later this week.",
    "“Fair negotiations can be when one side does not hit the other side with rocket artillery "
    "at the moment of negotiations,” the president said in a video address.",
    "The prospect of a diplomatic resolution is unlikely at the moment, a deputy prime minister "
    "said on the radio, though the door to diplomacy must be kept open.",
]
SEED_LIKE = "\n\n".join([
    "Latest updates:",
    "  • The second-largest city hit by intensifying shelling.\n  • Huge convoy approaching the capital.",
    *ARTICLE,
    "Ken Dilanian, Anastasiia Parafeniuk and Reuters contributed.",
    "Source: | This article originally belongs to Nbcnews.com",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "You May Also Like",
    "Biden’s broken climate promises",
    "This year’s United Nations Climate Change Conference, known as COP26, is being…",
    "Heat and tropical storms batter the Midwest and the South",
    "Heat index values remained elevated across the Midwest on Wednesday, with combined…",
])


def test_seed_like_text_keeps_the_article_and_names_its_source() -> None:
    rec = extract(SEED_LIKE.encode())
    assert rec.metadata["input"] == "plain text"
    assert rec.original_source == "Nbcnews.com"
    assert rec.text.endswith("Ken Dilanian, Anastasiia Parafeniuk and Reuters contributed.")
    for paragraph in ARTICLE:
        assert paragraph in rec.text
    for leak in ("Leave a Reply", "Required fields", "You May Also Like", "climate promises",
                 "tropical storms", "originally belongs"):
        assert leak not in rec.text and leak not in rec.html
    assert "<li>Huge convoy approaching the capital.</li>" in rec.html


def test_wrapped_lines_make_one_paragraph_and_bullets_a_list() -> None:
    html = as_html("First line of a\nwrapped paragraph.\n\n- one\n- two\nAfter the list.")
    assert html == ("<html><body><article><p>First line of a wrapped paragraph.</p>"
                    "<ul><li>one</li><li>two</li></ul><p>After the list.</p></article></body></html>")
    assert "&lt;" in as_html("x < 5 & y")  # text stays text


def test_one_tag_or_comment_makes_it_a_page() -> None:
    assert not is_plain_text("<p>Hello</p>")
    assert not is_plain_text("text <!-- a comment --> more")
    assert not is_plain_text("<!DOCTYPE html>text")
    assert is_plain_text("if a < b and c > d, then a<5 holds")
