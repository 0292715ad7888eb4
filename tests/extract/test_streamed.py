"""Streamed page parts (React's streaming render) are put in their placeholders before
anything reads the page, so the article is where a browser shows it."""

from __future__ import annotations

import html

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.streamed import has_streamed_parts, place_streamed_parts
from tests.pages import lorem_paragraphs

URL = "https://news.example/2024/05/01/harbour-plan-approved-after-long-debate/"


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _streamed_page(paragraphs: list[str]) -> str:
    """A streamed render: the shell holds placeholders, the article arrives after the footer
    in hidden parts that the page's scripts swap in."""
    first, rest = paragraphs[:2], paragraphs[2:]
    return f"""<!doctype html><html><head><title>Harbour plan approved</title></head><body>
<header><a href="/">Example Times</a></header>
<main><h1>Harbour plan approved</h1>
<div class="story"><!--$?--><template id="B:0"></template><div class="skeleton">Loading the story</div><!--/$--></div>
</main><footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer>
<div hidden id="S:0"><div class="story-body">{_paras(first)}<template id="P:1"></template></div></div>
<script>$RC("B:0","S:0")</script>
<div hidden id="S:1">{_paras(rest)}</div><script>$RS("S:1","P:1")</script>
</body></html>"""


def test_streamed_parts_replace_their_placeholders_and_fallback() -> None:
    page = _streamed_page(lorem_paragraphs(3, 4))
    tree = LexborHTMLParser(page)
    assert has_streamed_parts(tree)
    assert place_streamed_parts(tree) == 2
    story = tree.css_first("main .story")
    assert story is not None
    text = story.text(deep=True)
    assert all(p[:40] in text for p in lorem_paragraphs(3, 4))
    assert "Loading" not in text and not tree.css("[hidden], template")


def test_streamed_article_is_extracted_whole() -> None:
    paragraphs = lorem_paragraphs(4, 6)
    rec = extract(_streamed_page(paragraphs), URL)
    assert all(p[:40] in rec.text for p in paragraphs)
    assert "Loading" not in rec.text


def test_part_without_placeholder_stays_hidden_and_fallback_needs_its_end() -> None:
    page = ("<html><body><div><!--$?--><template id='B:0'></template><p>Fallback kept</p></div>"
            "<div hidden id='S:0'><p>Swapped in</p></div><div hidden id='S:9'><p>Orphan</p></div>"
            "</body></html>")
    tree = LexborHTMLParser(page)
    assert place_streamed_parts(tree) == 1
    body = tree.body
    assert body is not None
    assert "Fallback kept" in body.text() and "Swapped in" in body.text()
    orphan = tree.css_first("div[hidden]")
    assert orphan is not None and "Orphan" in orphan.text()


def test_nested_boundary_in_a_fallback_goes_with_it() -> None:
    page = ("<html><body><div id='x'><!--$?--><template id='B:0'></template><div>Outer"
            "<!--$--><span>inner</span><!--/$--></div><span>still fallback</span><!--/$-->"
            "<p>after</p></div><div hidden id='S:0'><p>Real text</p></div></body></html>")
    tree = LexborHTMLParser(page)
    place_streamed_parts(tree)
    box = tree.css_first("#x")
    assert box is not None
    assert box.text(deep=True).replace(" ", "") == "Realtextafter"
    assert not has_streamed_parts(LexborHTMLParser("<html><body><p>plain</p></body></html>"))

