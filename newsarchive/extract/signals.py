"""Cheap shape signals of a page, read from the raw DOM before pre-cleaning removes anything.

They feed the page-type vote: forums repeat post/reply blocks, shops show prices and
carts, documentation is full of code, listings are mostly links, articles have long
paragraphs. Counting is all selectolax does here, so it costs a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

#: a paragraph this long (words) is prose, the mark of an article
LONG_PARAGRAPH_WORDS = 40
#: paragraphs between this and LONG_PARAGRAPH_WORDS are teaser or card blurbs as often as prose
MID_PARAGRAPH_WORDS = 15
#: only the start of a huge page is searched for prices
MAX_PRICE_SCAN_CHARS = 50_000

_PRICE = re.compile(r"(?:[$€£¥₹]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|zł|kr|руб|usd|eur|gbp)\b)", re.I)
#: elements (one line each in PageScan.names) with class words of forum and Q&A templates
_FORUM_LINE = re.compile(
    r"^[^\n]*?(?:^|[-_ ])(?:post|posts|reply|replies|message|messages|answer|answers|thread|topic|comment|"
    r"comments|vote|votes|upvote|avatar|username|userinfo|user-?card|postbody|post-?body)(?:$|[-_ ])", re.M)
#: elements with class words of shop templates
_CART_LINE = re.compile(r"^[^\n]*?(?:add-?to-?(?:cart|bag|basket)|price|buy-?now|cart|checkout|sku|variant|"
                        r"quantity|rating|stars)", re.M)


@dataclass(frozen=True)
class PageScan:
    """One pass over the raw page that several cue readers share."""

    names: str = ""  # class and id of every element that has one, lower-case, one element a line
    text: str = ""  # the body's text


def scan_page(tree: LexborHTMLParser) -> PageScan:
    names = "\n".join(((n.attributes.get("class") or "") + " " + (n.attributes.get("id") or "")).strip()
                      for n in tree.css("[class],[id]")).lower()
    body = tree.body
    return PageScan(names, body.text(separator=" ") if body is not None else "")


@dataclass(frozen=True)
class PageSignals:
    """Counts over the whole raw page (not just the body the extractor picks)."""

    long_paragraphs: int = 0
    mid_paragraphs: int = 0
    paragraph_words: int = 0
    link_words: int = 0
    pre: int = 0
    code: int = 0
    time_tags: int = 0
    forms: int = 0
    images: int = 0
    list_items: int = 0
    forum_classes: int = 0
    cart_classes: int = 0
    prices: int = 0


def _words(text: str | None) -> int:
    return len((text or "").split())


def page_signals(tree: LexborHTMLParser, scan: PageScan) -> PageSignals:
    para_words = [_words(p.text(deep=True)) for p in tree.css("p")]
    return PageSignals(
        long_paragraphs=sum(1 for n in para_words if n >= LONG_PARAGRAPH_WORDS),
        mid_paragraphs=sum(1 for n in para_words if MID_PARAGRAPH_WORDS <= n < LONG_PARAGRAPH_WORDS),
        paragraph_words=sum(para_words),
        link_words=sum(_words(a.text(deep=True)) for a in tree.css("a")),
        pre=len(tree.css("pre")), code=len(tree.css("code")), time_tags=len(tree.css("time")),
        forms=len(tree.css("form")), images=len(tree.css("img")), list_items=len(tree.css("li")),
        forum_classes=len(_FORUM_LINE.findall(scan.names)), cart_classes=len(_CART_LINE.findall(scan.names)),
        prices=len(_PRICE.findall(scan.text[:MAX_PRICE_SCAN_CHARS])),
    )
