"""Words on either side of a block boundary stay apart in the body text ("Tip Save", not "TipSave")."""

from __future__ import annotations

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.body import recover_dropped
from newsarchive.extract.clean_html import Block, numbered, render_html, to_blocks

FIRST = "The council approved the harbour plan on Tuesday after a long debate."
LAST = "Work on the new quay is due to start in the spring of next year."


def test_list_item_with_a_heading_and_a_paragraph_keeps_their_words_apart() -> None:
    body = etree.fromstring("<body><list rend='ol'><item><head rend='h3'>Take a punch</head>"
                            "<p>The thought of being your own boss.</p></item></list></body>")
    assert [b.text for b in to_blocks(body, None)] == ["Take a punch The thought of being your own boss."]


def test_table_cells_left_inside_a_paragraph_keep_their_words_apart() -> None:
    body = etree.fromstring("<body><p>Specs <th>Equipment costs</th><td>Packages from $250</td>"
                            "<hi>bold</hi>ly</p></body>")
    assert [b.text for b in to_blocks(body, None)] == ["Specs Equipment costs Packages from $250 boldly"]


def test_a_recovered_item_with_a_line_break_keeps_its_words_apart() -> None:
    page = (f"<html><body><p>{FIRST}</p><ul><li><strong>Ferries</strong><br>Two more "
            f"<em>cross</em>ings a day.</li></ul><p>{LAST}</p></body></html>")
    kept = [Block("p", FIRST, FIRST), Block("p", LAST, LAST)]
    texts = [b.text for b in recover_dropped(LexborHTMLParser(page), kept)]
    assert texts == [FIRST, "Ferries Two more crossings a day.", LAST]


def test_ordered_list_items_carry_their_number_in_the_text_only() -> None:
    blocks = [Block("p", "Steps:", "Steps:"), Block("ol", "Fold it.", "Fold it.", 1),
              Block("ol", "Cut it.", "Cut it.", 1), Block("ol", "3) Open it.", "3) Open it.", 1),
              Block("li", "A bullet.", "A bullet.", 2)]
    out = numbered(blocks)
    assert [b.text for b in out] == ["Steps:", "1. Fold it.", "2. Cut it.", "3) Open it.", "A bullet."]
    assert render_html(out) == render_html(blocks)  # <ol> numbers itself
