"""Putting back what trafilatura dropped inside the body, and nothing around it."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.body import recover_dropped
from newsarchive.extract.clean_html import Block

FIRST = "The council approved the harbour plan on Tuesday after a long debate."
LAST = "Work on the new quay is due to start in the spring of next year."
PAGE = f"""<html><body><header><p>Site header tagline</p></header><article>
<p>{FIRST}</p>
<h2>What <span>changes</span></h2>
<ul><li><strong>Ferries:</strong> two more crossings a day.</li>
<li>Parking: a new car park by the station.</li>
<li><a href="/a">Read</a> <a href="/b">all</a> <a href="/c">our</a> <a href="/d">harbour coverage</a></li></ul>
<div class="cards"><div><div><div><a href="/x"><h3>Another story teaser</h3></a></div></div></div></div>
<figure><img src="a.jpg"><figcaption><p>Photo: the harbour at dawn</p></figcaption></figure>
<p>{LAST}</p></article>
<aside><p>Most read: other stories</p></aside></body></html>"""


def test_dropped_list_and_subheading_come_back_in_document_order() -> None:
    kept = [Block("p", FIRST, FIRST), Block("p", LAST, LAST)]
    texts = [b.text for b in recover_dropped(LexborHTMLParser(PAGE), kept)]
    assert texts == [FIRST, "What changes", "Ferries: two more crossings a day.",
                     "Parking: a new car park by the station.", LAST]


def test_recovered_blocks_keep_their_kind() -> None:
    kept = [Block("p", FIRST, FIRST), Block("p", LAST, LAST)]
    kinds = [b.kind for b in recover_dropped(LexborHTMLParser(PAGE), kept)]
    assert kinds == ["p", "h2", "li", "li", "p"]


def test_nothing_is_added_outside_the_kept_span_or_twice() -> None:
    kept = [Block("p", FIRST, FIRST), Block("li", "Ferries: two more crossings a day.", "x")]
    texts = [b.text for b in recover_dropped(LexborHTMLParser(PAGE), kept)]
    assert texts == [FIRST, "What changes", "Ferries: two more crossings a day."]
    single = [Block("p", FIRST, FIRST)]
    assert recover_dropped(LexborHTMLParser(PAGE), single) == single


def test_blocks_trafilatura_kept_with_other_spacing_are_not_duplicated() -> None:
    page = f"<html><body><p>{FIRST}</p><p><span>I</span>f only the quay were ready.</p><p>{LAST}</p></body></html>"
    kept = [Block("p", FIRST, FIRST), Block("p", "I f only the quay were ready.", "x"), Block("p", LAST, LAST)]
    assert len(recover_dropped(LexborHTMLParser(page), kept)) == 3
