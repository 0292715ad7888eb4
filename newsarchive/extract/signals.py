"""Cheap shape signals of a page, read from the raw DOM before pre-cleaning removes anything.

They feed the page-type vote: forums repeat post/reply blocks, shops show prices and
carts, documentation is full of code, listings are mostly links and repeated cards,
service pages are sections with buttons, articles have long paragraphs in one container. Counting is all selectolax does here, so it costs a few milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: a paragraph this long (words) is prose, the mark of an article
LONG_PARAGRAPH_WORDS = 40
#: paragraphs between this and LONG_PARAGRAPH_WORDS are teaser or card blurbs as often as prose
MID_PARAGRAPH_WORDS = 15
#: only the start of a huge page is searched for prices
MAX_PRICE_SCAN_CHARS = 50_000

#: a currency sign before a number, or a currency after it; the first character is matched
#: on its own so the regex engine can skip to candidates (20% faster than a plain alternation)
_PRICE = re.compile(r"[$€£¥₹\d](?:(?<=[$€£¥₹])\s?\d[\d,.]*|(?<=\d)[\d,.]*\s?(?:€|zł|kr|руб|usd|eur|gbp)\b)",
                    re.I)
#: elements (one line each in PageScan.names) with class words of forum and Q&A templates;
#: these patterns are searched in each distinct line once (see _line_counts)
_FORUM_LINE = re.compile(
    r"(?:^|[-_ ])(?:post|posts|reply|replies|message|messages|answer|answers|thread|topic|comment|"
    r"comments|vote|votes|upvote|avatar|username|userinfo|user-?card|postbody|post-?body)(?:$|[-_ ])")
#: elements with class words of buttons and calls to action (service and shop pages)
_BUTTON_LINE = re.compile(r"(?:^|[-_ ])(?:btn|button|cta)(?:$|[-_ ])")
#: this many siblings of one tag and class make a repeated structure (cards, posts, items)
MIN_REPEATS = 4
#: a name longer than this (characters) is a bio or a teaser, not a person's name
MAX_NAME_CHARS = 60
#: schema.org microdata types of the posts of a thread: a forum or Q&A page marks each reply
_THREAD_ITEM_TYPES = frozenset({"comment", "answer", "question", "discussionforumposting"})
#: pagination controls: pages of results, of a thread or of a shop grid
_PAGINATION = 'a[rel="next"], link[rel="next"], [class*="pagination"], [class*="pager"]'
#: blocks of related posts or products
_RELATED = '[class*="related"]'
#: elements with class words of shop templates
_CART_LINE = re.compile(r"add-?to-?(?:cart|bag|basket)|price|buy-?now|cart|checkout|sku|variant|"
                        r"quantity|rating|stars")
#: a literal part that every match of each line pattern holds: searching for it first costs a
#: third of the bounded pattern and rules out most lines (the pattern then confirms the rest)
_LINE_HINTS = {
    _FORUM_LINE: re.compile(r"post|repl|messag|answer|thread|topic|comment|vote|avatar|user"),
    _CART_LINE: re.compile(r"add-?to|price|buy|cart|checkout|sku|variant|quantity|rating|stars"),
    _BUTTON_LINE: re.compile(r"btn|button|cta"),
}


@dataclass(frozen=True)
class PageScan:
    """One pass over the raw page that several cue readers share."""

    names: str = ""  # class and id of every element that has one, lower-case, one element a line
    text: str = ""  # the body's text


def scan_page(tree: LexborHTMLParser) -> PageScan:
    # attrs.get and .id read one attribute each; .attributes builds a dict of them all
    names = "\n".join(((n.attrs.get("class") or "") + " " + (n.id or "")).strip()
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
    #: words of <p> under the one parent holding the most: an article's prose is together
    prose_container_words: int = 0
    #: members of repeated sibling structures holding a heading or image and a link: cards
    cards: int = 0
    headings: int = 0
    sections: int = 0
    buttons: int = 0
    #: <article> elements: one on an article page, one per teaser or post elsewhere
    article_tags: int = 0
    #: distinct names in author markup: one or two on an article, many on a forum or listing
    author_names: int = 0
    image_links: int = 0
    #: microdata items that are posts of a thread (Comment, Answer, DiscussionForumPosting)
    thread_items: int = 0
    #: a pagination control (pager class or rel=next): listings, shop grids and threads run
    #: over several pages, an article rarely does
    paginated: bool = False
    #: a "related" block (posts, products): articles and products point to their siblings,
    #: service pages and listings seldom do
    related: bool = False


def _words(text: str | None) -> int:
    return len((text or "").split())


def _prose_container_words(paragraphs: list[LexborNode], words: list[int]) -> int:
    by_parent: Counter[int] = Counter()
    for p, n in zip(paragraphs, words, strict=True):
        if p.parent is not None:
            by_parent[p.parent.mem_id] += n
    return max(by_parent.values(), default=0)


def _cards(tree: LexborHTMLParser) -> int:
    """Siblings sharing tag and class, MIN_REPEATS or more, each a link with a heading or image."""
    groups: dict[tuple[int, str, str], list[LexborNode]] = defaultdict(list)
    for node in tree.css("li, article, div[class]"):
        if node.parent is not None:
            groups[(node.parent.mem_id, node.tag or "", node.attributes.get("class") or "")].append(node)
    return sum(len(members) for members in groups.values() if len(members) >= MIN_REPEATS
               and members[0].css_first("a[href]") is not None
               and members[0].css_first("h2, h3, h4, img") is not None)


def _author_names(tree: LexborHTMLParser) -> int:
    names = {n.text(deep=True).strip().lower()
             for n in tree.css('[class*="author"], [class*="username"], [itemprop="author"]')}
    return sum(1 for name in names if 0 < len(name) <= MAX_NAME_CHARS)


def _thread_items(tree: LexborHTMLParser) -> int:
    """Microdata items typed as posts of a thread; the last path word of the type is its name."""
    return sum(1 for n in tree.css("[itemtype]")
               if (n.attrs.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower() in _THREAD_ITEM_TYPES)


def _line_counts(names: str, *patterns: re.Pattern[str]) -> list[int]:
    """For each pattern, the lines of ``names`` it is found in.

    Pages repeat the same few class lines hundreds of times (cards, list items), so each
    distinct line is searched once: about 2.5x faster than a multi-line pattern over the
    whole text, with the same counts. A pattern's hint (_LINE_HINTS) is searched first.
    """
    checks = [(_LINE_HINTS.get(pattern, pattern).search, pattern.search) for pattern in patterns]
    counts = [0] * len(patterns)
    for line, repeats in Counter(names.split("\n")).items():
        for i, (hint, search) in enumerate(checks):
            if hint(line) and search(line):
                counts[i] += repeats
    return counts


def page_signals(tree: LexborHTMLParser, scan: PageScan) -> PageSignals:
    paragraphs = tree.css("p")
    para_words = [_words(p.text(deep=True)) for p in paragraphs]
    forum_lines, cart_lines, button_lines = _line_counts(scan.names, _FORUM_LINE, _CART_LINE, _BUTTON_LINE)
    return PageSignals(
        prose_container_words=_prose_container_words(paragraphs, para_words), cards=_cards(tree),
        headings=len(tree.css("h2, h3")), sections=len(tree.css("section")),
        buttons=len(tree.css("button")) + button_lines,
        article_tags=len(tree.css("article")), author_names=_author_names(tree),
        image_links=len(tree.css("a[href] img")), thread_items=_thread_items(tree),
        paginated=tree.css_first(_PAGINATION) is not None, related=tree.css_first(_RELATED) is not None,
        long_paragraphs=sum(1 for n in para_words if n >= LONG_PARAGRAPH_WORDS),
        mid_paragraphs=sum(1 for n in para_words if MID_PARAGRAPH_WORDS <= n < LONG_PARAGRAPH_WORDS),
        paragraph_words=sum(para_words),
        link_words=sum(_words(a.text(deep=True)) for a in tree.css("a")),
        pre=len(tree.css("pre")), code=len(tree.css("code")), time_tags=len(tree.css("time")),
        forms=len(tree.css("form")), images=len(tree.css("img")), list_items=len(tree.css("li")),
        forum_classes=forum_lines, cart_classes=cart_lines,
        prices=len(_PRICE.findall(scan.text[:MAX_PRICE_SCAN_CHARS])),
    )
