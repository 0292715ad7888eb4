"""A quote that repeats a sentence of the article's own paragraphs is a pull quote: the text
keeps the sentence once."""

from __future__ import annotations

from newsarchive.extract.clean_html import Block
from newsarchive.extract.filters import filter_blocks

SAID = ("For ecommerce, that almost always creates friction, Zettler adds. “The right CRM should "
        "match how customers actually buy, not how a demo was presented.”")
PULLED = "“The right CRM should match how customers actually buy, not how a demo was presented.”"
OTHER = "Here is how to evaluate the software, and the platforms worth a look for each business."


def _texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in filter_blocks(blocks, None, {})[0]]


def test_a_quote_repeating_a_paragraph_sentence_goes() -> None:
    blocks = [Block("p", OTHER, OTHER), Block("p", SAID, SAID), Block("quote", PULLED, PULLED),
              Block("p", OTHER + " More.", OTHER)]
    assert PULLED not in _texts(blocks)


def test_a_quote_of_its_own_or_a_short_one_stays() -> None:
    own = "A quote that the article does not say anywhere else in its paragraphs at all."
    short = "“buy, not demo”"
    blocks = [Block("p", SAID, SAID), Block("quote", own, own), Block("quote", short, short),
              Block("p", OTHER, OTHER)]
    assert _texts(blocks) == [SAID, own, short, OTHER]
