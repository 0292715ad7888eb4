"""Prose written straight into a <div> (no <p>) between kept blocks comes back; labels, prices,
calls to action, widgets and text repeated down the page do not."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.body import recover_dropped
from newsarchive.extract.clean_html import Block

INTRO = ("A hybrid blends a petrol engine, a small battery and an electric motor, and it never "
         "needs to be plugged in.")
LOOSE = ("We bought every car we tested and drove each one for a thousand miles on motorways, "
         "country lanes and <em>city streets</em> before writing a word about it.")
ANSWER = "Most owners charge overnight at home, which costs far less than a public charger."
CLOSE = "Whichever you choose, test drive it on the roads you use every day."
PAGE = f"""<html><body><header><div>Guides for drivers, written by drivers who test cars.</div></header>
<article><p>{INTRO}</p>
<div class="grid"><div class="text">{LOOSE}</div></div>
<h2>How do I charge a plug-in hybrid?</h2>
<div class="faq"><div class="answer"><strong>Short answer:</strong> {ANSWER}</div></div>
<div class="promo">Take our quick quiz to find the right car for your family and budget today.</div>
<div class="card">Rated 4.5 out of 5 by our testers for comfort and economy.</div>
<div class="card">Rated 4.5 out of 5 by our testers for comfort and economy.</div>
<div class="widget">Prices of these cars from dealers <button>Go</button> in your area are listed below.</div>
<div class="label">Updated every year</div>
<div class="teaser">See <a href="/a">our full guide to the best family cars of the year</a> here.</div>
<p>{CLOSE}</p></article>
<footer><div>Copyright Guides Example, all rights reserved, since the year 2001.</div></footer></body></html>"""
KEPT = [Block("p", INTRO, INTRO), Block("h2", "How do I charge a plug-in hybrid?", "x"),
        Block("p", CLOSE, CLOSE)]


def _texts(page: str, kept: list[Block]) -> list[str]:
    return [b.text for b in recover_dropped(LexborHTMLParser(page), kept)]


def test_prose_in_divs_comes_back_in_place_as_paragraphs() -> None:
    out = recover_dropped(LexborHTMLParser(PAGE), KEPT)
    assert [b.text for b in out] == [
        INTRO, LOOSE.replace("<em>", "").replace("</em>", ""), "How do I charge a plug-in hybrid?",
        f"Short answer: {ANSWER}", CLOSE]
    assert [b.kind for b in out] == ["p", "p", "h2", "p", "p"]


def test_labels_calls_to_action_widgets_and_repeated_text_stay_out() -> None:
    text = " ".join(_texts(PAGE, KEPT))
    for furniture in ("quick quiz", "Rated 4.5", "Prices of these cars", "Updated every year",
                      "full guide", "Guides for drivers", "Copyright"):
        assert furniture not in text


def test_a_div_that_repeats_a_kept_block_or_sits_inside_one_is_not_added() -> None:
    page = (f"<html><body><p>{INTRO}</p><div>{CLOSE} <span>{ANSWER}</span></div>"
            f"<ul><li><div>{ANSWER} Twice.</div> and the rest of the item</li></ul>"
            f"<p>{CLOSE}</p></body></html>")
    kept = [Block("p", INTRO, INTRO), Block("li", f"{ANSWER} Twice. and the rest of the item", "x"),
            Block("p", CLOSE, CLOSE)]
    assert _texts(page, kept) == [b.text for b in kept]
