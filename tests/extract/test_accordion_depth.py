"""FAQ and accordion answers nest deeper than the kept blocks around them; they come back
from the pre-cleaned DOM, while other deep markup (product cards) still does not."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.body import recover_dropped
from newsarchive.extract.clean_html import Block

FIRST = "The council approved the harbour plan on Tuesday after a long and heated debate."
LAST = "Work on the new quay is due to start in the spring of next year, the council said."
ANSWER = ("Yes, the ferries run on every public holiday on the Sunday timetable, with one extra "
          "crossing in the evening when the weather allows it.")
INTRO = "".join(
    f"<p>Paragraph {n} of the story explains how the harbour ferries run through the winter "
    f"months and why the timetable changes every year in the same way.</p>" for n in range(6))


def _nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + f"<p>{ANSWER}</p>" + closing * depth


def _page(widget: str) -> str:
    return (f"<html><body><article><p>{FIRST}</p>{widget}<p>{LAST}</p></article>"
            f"</body></html>")


def _recovered(widget: str) -> list[str]:
    kept = [Block("p", FIRST, FIRST), Block("p", LAST, LAST)]
    return [b.text for b in recover_dropped(LexborHTMLParser(_page(widget)), kept)]


def test_answer_deep_inside_an_accordion_comes_back() -> None:
    accordion = ('<div class="accordion"><div class="accordion-item"><button aria-expanded="false" '
                 'aria-controls="a1">Do the ferries run on holidays?</button>'
                 f'<div id="a1" role="region">{_nested("<div>", "</div>", 4)}</div></div></div>')
    assert ANSWER in _recovered(accordion)
    details = f'<section><details><summary>Holidays?</summary>{_nested("<div>", "</div>", 3)}</details></section>'
    assert ANSWER in _recovered(details)


def test_answer_as_deep_in_plain_markup_stays_out() -> None:
    card = f'<div class="card">{_nested("<div>", "</div>", 5)}</div>'
    assert ANSWER not in _recovered(card)


def test_faq_answers_come_back_through_the_extractor() -> None:
    items = "".join(
        f'<details class="item"><summary>Question {n}?</summary><div class="panel"><div class="body">'
        f'<div class="rich"><p>{ANSWER} Answer {n}.</p></div></div></div></details>' for n in range(3))
    page = (f"<html><head><title>Ferry guide</title></head><body><main><article><h1>Ferry guide</h1>"
            f"{INTRO}<h2>Questions</h2><div class=\"faq\"><div class=\"list\">{items}</div></div>"
            f"<p>{LAST}</p></article></main></body></html>")
    text = extract(page, "https://example.org/guides/ferries").text
    assert all(f"Answer {n}." in text for n in range(3))
    assert LAST in text
