"""A wrapper named like boilerplate ("embed", "widget") that holds the article's own prose
paragraphs, in the article's flow, is not pruned by trafilatura for its name."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.body import unmask_prose_wrappers

INTRO = "".join(
    f"<p>Paragraph {n} of the guide explains how the harbour ferries run through the winter "
    f"months and why the timetable changes every year in the same way.</p>" for n in range(8))
FAQ = ("<div class=\"faq\"><h2>Frequently asked questions</h2>"
       "<h3>Do the ferries run on public holidays?</h3>"
       "<p>Yes, the ferries run on every public holiday on the Sunday timetable, with one "
       "extra crossing in the evening when the weather allows it.</p>"
       "<h3>Can I take a bicycle on board the ferry?</h3>"
       "<p>Bicycles travel free of charge on every crossing, though the crew may ask riders "
       "to wait for the next boat when the deck is already full.</p></div>")
OUTRO = ("<h2>Further reading</h2><p>The council publishes the full winter timetable each "
         "autumn on its own website, together with the fares for the coming year.</p>")
URL = "https://example.org/guides/ferries"


def _page(middle: str, after: str = OUTRO) -> str:
    return (f"<html><head><title>Ferry guide</title></head><body><main><article>"
            f"<h1>Ferry guide</h1>{INTRO}{middle}{after}</article></main></body></html>")


def test_faq_in_an_embed_block_between_the_articles_paragraphs_is_kept() -> None:
    # nested too deep for recover_dropped to put back what trafilatura pruned
    text = extract(_page(f'<div class="w-embed w-script"><div><div>{FAQ}</div></div></div>'), URL).text
    assert "Bicycles travel free of charge" in text
    assert "the ferries run on every public holiday" in text
    assert "full winter timetable" in text


def test_wrapper_with_one_paragraph_or_below_the_article_keeps_its_name() -> None:
    one = LexborHTMLParser(_page('<div class="share-embed"><p>Share this guide with a friend '
                                 'who takes the ferry every single morning of the week.</p></div>'))
    assert not unmask_prose_wrappers(one)
    below = LexborHTMLParser(_page("", after=f'<div class="w-embed">{FAQ}</div>'))
    assert not unmask_prose_wrappers(below)
    assert below.css_first("div.w-embed") is not None


def test_only_the_masking_name_goes() -> None:
    tree = LexborHTMLParser(_page(f'<div class="w-embed" id="faq-1">{FAQ}</div>'))
    assert unmask_prose_wrappers(tree)
    assert tree.css_first("div.w-embed") is None and tree.css_first("div.faq") is not None
