"""Markup trafilatura misreads is rewritten before it runs: a line break inside formatting or a
list item, a heading that links to itself."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.tidy import (
    unbreak_formatting,
    unlink_heading_anchors,
    wrap_loose_body_text,
)
from tests.pages import lorem_paragraphs

BEFORE, AFTER = ("".join(f"<p>{p}</p>" for p in lorem_paragraphs(seed)) for seed in (5, 6))
PICK = ('<p><em>Chosen by Bailey<br></em>In my review for <a href="/wroth">Wroth</a>, I called it '
        'the game of the year. <a href="/hot-streak">Hot Streak</a> brings joy, but sits well with '
        'games like <a href="/ready-set-bet">Ready, Set, Bet</a>, which came out years before.</p>')
URL = "https://example.org/reviews/best-games"


def _page(middle: str) -> str:
    return (f"<html><head><title>Best games</title></head><body><main><article><h1>Best games</h1>"
            f"{BEFORE}{middle}{AFTER}</article></main></body></html>")


def test_paragraph_with_a_break_in_italics_stays_whole() -> None:
    text = extract(_page(PICK), URL).text
    assert ("Chosen by Bailey In my review for Wroth, I called it the game of the year. Hot Streak "
            "brings joy, but sits well with games like Ready, Set, Bet, which came out years before."
            ) in text.split("\n\n")
    assert "Streakbrings" not in text and text.count("brings joy") == 1


def test_only_breaks_inside_formatting_in_a_paragraph_go() -> None:
    tree = LexborHTMLParser("<body><p>One<br>two <b>three<br>four</b></p><div><em>x<br>y</em></div></body>")
    assert unbreak_formatting(tree)
    assert (tree.body.html or "").count("<br>") == 2
    assert not unbreak_formatting(LexborHTMLParser("<body><p>One<br>two</p></body>"))


def test_list_item_with_a_break_keeps_the_space_before_its_link() -> None:
    item = ('<ul><li><strong>Tasting guide</strong><br>Learn the steps for evaluating, appreciating, '
            'and <a href="/tasting">tasting wine</a> like a sommelier at home.</li>'
            '<li>Serve white wine cold and red wine a little below room temperature.</li></ul>')
    text = extract(_page(item), URL).text
    assert "appreciating, and tasting wine like a sommelier" in text


def test_only_a_heading_link_to_the_heading_itself_is_unwrapped() -> None:
    tree = LexborHTMLParser('<body><h2 id="toc-1"><a href="#pricing">Pricing</a></h2>'
                            '<h2 id="self"><a href="#self">Self</a></h2></body>')
    assert unlink_heading_anchors(tree)
    assert tree.css_first('a[href="#pricing"]') is not None and tree.css_first('a[href="#self"]') is None


def test_text_written_straight_into_body_is_kept() -> None:
    loose = ("What shapes can result from the following fold-and-cut process, and can every one be "
             "made with a <b>single</b> straight cut?")
    page = (f"<html><head><title>Fold and cut</title></head><body><h1>Fold and cut</h1>"
            f"<h2>Problem</h2>{loose}<ol><li>Take a piece of paper.<li>Fold it flat.</ol>"
            f"{BEFORE}<h2>History</h2>The first published reference to folding and cutting is a "
            f"Japanese book of 1721 that asks the reader to make a crest with one cut.<p>{AFTER}"
            f"</body></html>")
    text = extract(page, URL).text
    assert "What shapes can result from the following fold-and-cut process" in text
    assert "The first published reference to folding and cutting" in text


def test_only_runs_of_loose_body_text_are_wrapped() -> None:
    tree = LexborHTMLParser("<body>Skip <a href=/>home</a><div>Inside a div stays as it is, "
                            "however long it runs on.</div>One two three four five <i>six</i> "
                            "seven eight.<p>para</p></body>")
    assert wrap_loose_body_text(tree)
    assert (tree.body.html or "").startswith("<body>Skip <a href=\"/\">home</a><div>Inside")
    assert "<p>One two three four five <i>six</i> seven eight.</p><p>para</p>" in (tree.body.html or "")
