"""The main text: trafilatura on the pre-cleaned page, with more passes only when needed.

One fast trafilatura run (no fallback extractors) on the (smaller) pre-cleaned page is
the common case. When a cheap signal says it came out poor (fewer words than the page's
own <p> elements hold), the default mode runs on the cleaned page; when that is poor
too, recall mode runs on the raw page, which keeps what pre-cleaning or the default
mode wrongly dropped, and the longer body wins if it is clearly longer. When even that
kept a sliver of the prose, one more run takes the block that holds the prose, alone.

Trafilatura drops list items, subheadings and short paragraphs inside the article on
many templates; they are put back from the pre-cleaned DOM when they sit between two
blocks it kept (on WCXB articles: F1 0.937 -> 0.945 on the tuning half, 0.927 -> 0.937
on the held-out half).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsarchive.extract.clean_html import Block, heading_level, to_blocks
from newsarchive.extract.image_pattern import lean_image_test
from newsarchive.extract.patching import patched
from newsarchive.extract.prunes import lean_prunes
from newsarchive.extract.signals import PageSignals
from newsarchive.extract.text import escape, norm
from newsarchive.extract.tidy import (
    unbreak_formatting,
    unlink_heading_anchors,
    wrap_loose_body_text,
)

#: the pre-cleaned body loses to the raw recall body when it has less than this share of
#: its words (chosen on the even-numbered half of WCXB, checked on the odd half)
RECALL_SWITCH_SHARE = 0.8
#: the second pass runs only when the first body has fewer words than this share of the
#: words in the page's <p> elements (on WCXB: 4% of articles rerun, F1 0.934 against 0.936
#: for always running both, at about half the cost)
RERUN_SHARE = 0.5
#: the fast first pass is kept when it has at least this share of the <p> words (on WCXB
#: 10% of articles need the default pass; F1 0.933 against 0.934 for default first)
FAST_KEEP_SHARE = 0.7
#: a chosen body with less than this share of the <p> words missed the article: on the even
#: half of WCXB two articles fall below it (a related list taken for the body, a wrapper that
#: trafilatura pruned by its class), both with F1 under 0.1; the next-lowest keeps 28%
RESCUE_SHARE = 0.2
#: ... and the block holding the prose replaces it only when it yields this many times the words
RESCUE_GAIN = 2.0
#: the prose block is the deepest element holding this share of the page's <p> words
PROSE_ROOT_SHARE = 0.6
#: a prose block holding this share of the page's markup, and this much of it, is a large page
#: read again nearly whole: the passes have read it already and a second full run is costly (on
#: WCXB one 1 MB listing, 0.9 s of CPU, 65% of all rescue time, no change). A small page's
#: wrapper pruned by its name is still rescued (its whole markup is the article's); the WCXB
#: article rescues held 0.5 of the markup or less
WHOLE_PAGE_SHARE = 0.9
WHOLE_PAGE_MIN_CHARS = 200_000


@dataclass
class Candidate:
    mode: str
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def words(self) -> int:
        return len(self.text.split())


#: an image source without a scheme ("//cdn.example.com/a.jpg") in the attributes trafilatura
#: reads images from (src, data-src, data-src-*)
_SCHEMELESS_IMAGE = re.compile(r"""(\s(?:src|data-src[\w-]*)\s*=\s*["']?)//(?=[^/\s])""", re.I)
#: a page holds one of these when it has such a source worth the pattern's scan (3 in 100 pages)
_SCHEMELESS_CUES = ('src="//', "src='//", "src=//")


#: trafilatura's parser (its settings) with lxml's C-level element-class lookup instead of
#: lxml.html's, which is a Python call for every element proxy lxml makes (~4,500 a page, as
#: trafilatura walks the tree again and again): ~2% less CPU a page over 300 WCXB pages, the
#: same records on all of them. Every element is a plain ``HtmlElement`` (lxml.html's form
#: control subclasses, which trafilatura does not use, are not made)
_PARSER = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                               remove_comments=True, remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
#: the parser is swapped module-wide (and an lxml parser serves one thread at a time)
_PARSER_LOCK = threading.Lock()


#: trafilatura's costliest regex XPaths, answered without a Python callback per element, and
#: its image-file test without backtracking
_LEAN_PRUNES = lean_prunes() + lean_image_test()


@contextmanager
def _lean_parser() -> Iterator[None]:
    """trafilatura parses with ``_PARSER``, prunes with ``prunes``' loops and tests image
    sources with ``image_pattern``'s pattern, for our calls only (bare trafilatura elsewhere in
    the process, the benchmark's baseline included, keeps its own)."""
    from trafilatura import utils

    with patched(_PARSER_LOCK, [(utils, "HTML_PARSER", _PARSER), *_LEAN_PRUNES]):
        yield


def run_mode(html: str, url: str | None, mode: str) -> Candidate | None:
    """One trafilatura run; None when it finds nothing.

    trafilatura is not told the URL: it would resolve every link against the site's root,
    a urljoin per link (~7% of a fast run), and ``to_blocks`` resolves them again, against
    the page as a browser does. Without a URL it writes ``http:`` before a scheme-less
    image source, so on an https page those get ``https:`` first.
    """
    if url and url.startswith("https:") and any(cue in html for cue in _SCHEMELESS_CUES):
        html = _SCHEMELESS_IMAGE.sub(r"\1https://", html)
    try:
        with _lean_parser():
            doc = trafilatura.bare_extraction(
                html, url=None, fast=mode == "fast", favor_precision=mode == "precision",
                favor_recall=mode == "recall", include_comments=False, include_tables=True,
                include_images=True, include_formatting=True, include_links=True,
                with_metadata=False,
                output_format="xml",  # only the body tree is read: skips the text rendering
            )
    except Exception:  # noqa: BLE001  (a library failure is "nothing found", not a crash)
        return None
    body: Any = getattr(doc, "body", None) if doc is not None else None
    if body is None:
        return None
    blocks = to_blocks(body, url)
    return Candidate(mode, blocks) if blocks else None


def extract_body(cleaned: str, raw: str, url: str | None, signals: PageSignals | None = None,
                 tree: LexborHTMLParser | None = None) -> Candidate | None:
    """The best candidate body, with what trafilatura dropped inside it put back.

    ``tree`` is the pre-cleaned DOM that ``cleaned`` was serialised from; without it
    nothing is recovered.
    """
    if tree is not None and (unmask_prose_wrappers(tree) | unbreak_formatting(tree)
                             | unlink_heading_anchors(tree) | wrap_loose_body_text(tree)):
        cleaned = tree.html or cleaned
    chosen = _choose(cleaned, raw, url, signals)
    if tree is not None and signals is not None:
        chosen = _prose_rescue(tree, url, chosen, signals.paragraph_words)
    if chosen is not None and tree is not None:
        chosen.blocks = recover_dropped(tree, chosen.blocks)
    return chosen


def _choose(cleaned: str, raw: str, url: str | None,
            signals: PageSignals | None) -> Candidate | None:
    """The best trafilatura body for this page.

    The pre-cleaned page in default mode is precise; trafilatura's recall mode on the
    raw page keeps what pre-cleaning or the default mode wrongly dropped (a template
    naming its content blocks like boilerplate, short paragraphs, lists). It runs only
    when the precise body looks poor, and wins only when it is clearly longer.
    """
    if signals is not None:
        quick = run_mode(cleaned, url, "fast")
        if quick is not None and quick.words >= FAST_KEEP_SHARE * signals.paragraph_words:
            return quick
    precise = run_mode(cleaned, url, "default")
    if precise is not None and signals is not None \
            and precise.words >= RERUN_SHARE * signals.paragraph_words:
        return precise
    broad = run_mode(raw, url, "recall")
    if broad is not None:
        broad.mode = "raw-recall"
    if precise is None:
        return broad
    if broad is not None and precise.words < RECALL_SWITCH_SHARE * broad.words:
        return broad
    return precise


def _prose_rescue(tree: LexborHTMLParser, url: str | None, chosen: Candidate | None,
                  paragraph_words: int) -> Candidate | None:
    """When every pass kept only a sliver of the page's prose, trafilatura picked the wrong
    block (one teaser of many, a related list) or pruned the article's wrapper by its class
    name; it runs once more on the block that holds most of the prose, alone. Default mode:
    the fast one, on its own, picks the same wrong teaser again."""
    have = chosen.words if chosen is not None else 0
    if have >= RESCUE_SHARE * paragraph_words:
        return chosen
    root = _prose_root(tree, paragraph_words)
    if root is None or tree.body is None:
        return chosen
    part = root.html or ""
    if len(part) >= max(WHOLE_PAGE_MIN_CHARS, WHOLE_PAGE_SHARE * len(tree.body.html or "")):
        return chosen
    alone = run_mode(f"<html><body>{part}</body></html>", url, "default")
    if alone is None or alone.words < RESCUE_GAIN * max(have, 1):
        return chosen
    alone.mode = "prose-block"
    return alone


def _prose_root(tree: LexborHTMLParser, paragraph_words: int) -> LexborNode | None:
    """The deepest element holding at least ``PROSE_ROOT_SHARE`` of the <p> words."""
    body = tree.body
    if body is None or paragraph_words <= 0:
        return None
    words: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for para in body.css("p"):
        count = len((para.text(deep=True) or "").split())
        node = para.parent
        while node is not None and node.mem_id != body.mem_id:
            words[node.mem_id] = words.get(node.mem_id, 0) + count
            nodes[node.mem_id] = node
            node = node.parent
    need = PROSE_ROOT_SHARE * paragraph_words
    held = [m for m, w in words.items() if w >= need]
    if not held:
        return None
    # of the elements holding enough, the deepest holds the fewest words besides
    return nodes[min(held, key=words.__getitem__)]


def _discard_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """trafilatura's own class or id words for elements it prunes, or None when a release
    no longer exposes them (the step is then off, never wrong)."""
    from trafilatura import xpaths

    tokens = [t for name in names for t in getattr(xpaths, name, ())]
    return re.compile("|".join(tokens)) if tokens else None


#: the class and id words that make trafilatura's discard rules prune an element (a Webflow
#: code block is "w-embed": an FAQ pasted into one is pruned with it)
_DISCARD_CLASS = _discard_pattern(("_OVERALL_DISCARD_CLASS_TOKENS", "_OVERALL_DISCARD_BOTH_TOKENS"))
_DISCARD_ID = _discard_pattern(("_OVERALL_DISCARD_ID_TOKENS", "_OVERALL_DISCARD_BOTH_TOKENS"))
#: a wrapper named like boilerplate is the article's own when it holds at least this many
#: prose paragraphs (a share box or a byline holds none; one is a teaser or a bio) ...
MIN_MASKED_PARAGRAPHS = 2
#: ... of at least this many words each
MIN_PROSE_WORDS = 10


def _names_discard(node: LexborNode) -> bool:
    attrs = node.attributes
    klass, ident = attrs.get("class"), attrs.get("id")
    return bool((klass and _DISCARD_CLASS is not None and _DISCARD_CLASS.search(klass))
                or (ident and _DISCARD_ID is not None and _DISCARD_ID.search(ident)))


#: what may follow a masked wrapper in the article: text blocks, not another widget
_AFTER_TAGS = frozenset(("p", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"))


def _inside_article(node: LexborNode, prose: set[int]) -> bool:
    """The node's parent holds a prose paragraph of its own before it and a text block after
    it: the node stands in the article's flow, not above it, beside it or below it."""
    parent = node.parent
    if parent is None:
        return False
    before = after = False
    for child in parent.iter():
        if child.mem_id == node.mem_id:
            if not before:
                return False
            after = True
        elif after and child.tag in _AFTER_TAGS and (child.text(deep=True) or "").strip():
            return True
        elif child.mem_id in prose:
            before = True
    return False


def unmask_prose_wrappers(tree: LexborHTMLParser) -> bool:
    """Drop the boilerplate-looking class and id of a wrapper that holds prose paragraphs
    and stands in the article's flow (an FAQ pasted into a page builder's "embed" block):
    trafilatura would prune it by its name alone. Says whether any changed.

    Only the ancestors of prose paragraphs are looked at, each once.
    """
    body = tree.body
    if body is None or (_DISCARD_CLASS is None and _DISCARD_ID is None):
        return False
    prose = [p for p in body.css("p") if len((p.text(deep=True) or "").split()) >= MIN_PROSE_WORDS]
    ids = {p.mem_id for p in prose}
    seen: set[int] = set()
    masks: list[LexborNode] = []  # ancestors of prose named like boilerplate
    for para in prose:
        node = para.parent
        while node is not None and node.mem_id not in seen and node.mem_id != body.mem_id:
            seen.add(node.mem_id)  # the walk above a seen node was done before
            if _names_discard(node):
                masks.append(node)
            node = node.parent
    changed = False
    for node in masks:
        if _inside_article(node, ids) \
                and sum(p.mem_id in ids for p in node.css("p")) >= MIN_MASKED_PARAGRAPHS:
            for name in ("class", "id"):
                if name in node.attributes:
                    del node.attrs[name]
            changed = True
    return changed


#: DOM elements that hold one paragraph-level piece of text
_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote")
_BLOCK_SELECTOR = ",".join(_BLOCK_TAGS)
_LEAF_SELECTOR = _BLOCK_SELECTOR + ",div"
#: a recovered element with more of its text in links than this is navigation, not prose
MAX_RECOVERED_LINK_SHARE = 0.5
#: a recovered element may sit this many levels deeper than the kept blocks around it (ul > li)
MAX_EXTRA_DEPTH = 2
#: pages with more block elements than this are not searched (a real article has hundreds)
MAX_LEAVES = 5000
#: a loose text <div> (prose written straight into a div, no <p>: a FAQ answer, a card's text,
#: a section's paragraphs on some builders) is put back only when it reads as a paragraph: at
#: least this many words (shorter ones are labels, prices and calls to action; on the even
#: half of WCXB 10 keeps the most article text for the least page furniture) ...
MIN_LOOSE_WORDS = 10
#: ... ending as a sentence ends ...
_SENTENCE_ENDS = (".", "!", "?", ":", '"', "\u201d", ")")
#: ... with at most this share of its text in links (a teaser or "check out our reviews" line
#: is a third links or more; prose that cites a source is far less) ...
MAX_LOOSE_LINK_SHARE = 0.25
#: ... and holding only inline markup: a div with a table, form, button or image is a widget
_INLINE_TAGS = frozenset(("a", "span", "strong", "em", "b", "i", "u", "s", "q", "br", "wbr", "sup",
                          "sub", "small", "mark", "abbr", "time", "code", "cite", "font",
                          "-text", "_comment", "-comment"))
#: ... and not a call to action: it opens (after a question at most: "Not sure where to start?")
#: with a verb telling the reader to act ("Take our quiz", "Enter a zip below", "Get $10 off")
_CALL_TO_ACTION = re.compile(
    r"^(?:[^.!?]{0,60}\?\s+)?(?:take|use|enter|get|try|check|see|find|sign|start|shop|compare|browse"
    r"|call|contact|download|join|book|request|explore|visit|click|subscribe|order|buy)\b", re.I)
#: a loose div holding a kept block longer than this (in key characters) repeats that block
MIN_HELD_KEY = 20
_NON_WORD = re.compile(r"\W+")


#: the ASCII characters \W matches, for the fast path of _key (most text is ASCII)
_ASCII_NON_WORD = bytes(c for c in range(128) if _NON_WORD.match(chr(c)))


def _key(text: str) -> str:
    """Words only, no spaces: inline markup splits or joins words differently in each reader."""
    lowered = text.lower()
    if lowered.isascii():  # same result as the pattern, without the per-character regex
        return lowered.encode("ascii").translate(None, _ASCII_NON_WORD).decode("ascii")
    return _NON_WORD.sub("", lowered)


def _leaf_blocks(root: LexborNode) -> list[LexborNode]:
    """Block elements that hold no other block element, and divs with text of their own that
    hold no block element and no such div, in document order."""
    nodes = root.css(_LEAF_SELECTOR)
    inner: set[int] = set()  # elements with a block element inside
    boxes: set[int] = set()  # elements with a block element or a div with text inside
    texted: set[int] = set()  # divs with text of their own
    for node in nodes:
        if node.tag == "div":
            if not (node.text(deep=False) or "").strip():
                continue
            texted.add(node.mem_id)
        for seen in ((inner, boxes) if node.tag != "div" else (boxes,)):
            parent = node.parent
            while parent is not None and parent.mem_id not in seen:
                seen.add(parent.mem_id)
                parent = parent.parent
    return [n for n in nodes if n.mem_id not in inner
            and (n.tag != "div" or (n.mem_id in texted and n.mem_id not in boxes))]


#: elements that end a line of text: their words never run into the next ones
_BREAKING_TAGS = frozenset(("br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
                            "tr", "dt", "dd", "blockquote", "section", "article", "header",
                            "footer", "figure", "figcaption", "ul", "ol", "table", "hr", "pre"))


def _spaced_text(node: LexborNode) -> str:
    """The node's text with a space wherever a line break or block element stands: lexbor's
    ``text()`` runs "<strong>Tip</strong><br>Save" into "TipSave", one false word."""
    parts: list[str] = []
    for item in node.traverse(include_text=True):
        if item.tag == "-text":
            parts.append(item.text_content or "")
        elif item.tag in _BREAKING_TAGS:
            parts.append(" ")
    return norm("".join(parts))


def _link_share(node: LexborNode, text: str) -> float:
    linked = sum(len(a.text(deep=True) or "") for a in node.css("a"))
    return linked / len(text) if text else 1.0


def _ancestry(node: LexborNode) -> list[LexborNode]:
    """The node's ancestors, nearest first."""
    out = []
    parent = node.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out


#: an FAQ or accordion answer sits this many levels deeper than the kept blocks at the most
#: (question button, panel, body, inner wrappers: 12 covers the component libraries seen)
MAX_ACCORDION_DEPTH = 12
#: class or id words of a disclosure widget (FAQ, accordion, collapsible panel)
_ACCORDION_NAME = re.compile(r"accordion|faq|collaps", re.I)
#: attributes only a disclosure widget's parts carry (the toggle and the panel it controls)
_ACCORDION_ATTRS = ("aria-expanded", "aria-controls")


def _is_accordion(node: LexborNode) -> bool:
    """A disclosure widget's part: <details>, an FAQ/accordion/collapse class or id, a toggle's
    ARIA, or a panel region."""
    if node.tag in ("details", "summary"):
        return True
    attrs = node.attributes
    if any(name in attrs for name in _ACCORDION_ATTRS) or attrs.get("role") == "region":
        return True
    named = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(_ACCORDION_NAME.search(named))


def _fits(node: LexborNode, max_depth: int, base_depth: int) -> bool:
    """The node sits no deeper than ``max_depth`` (the kept blocks' depth plus a little), or
    deeper inside a disclosure widget that stands below the kept blocks' container (its
    answers nest deep and are hidden until opened), and not inside a link or figure (cards,
    teasers, captions)."""
    up = _ancestry(node)
    if any(a.tag in ("a", "figure", "figcaption") for a in up):
        return False
    if len(up) <= max_depth:
        return True
    if len(up) > base_depth + MAX_ACCORDION_DEPTH:
        return False
    return any(_is_accordion(a) for a in up[:len(up) - base_depth + 1])


def _reads_as_paragraph(div: LexborNode, text: str, key: str, repeated: set[str],
                        kept: list[str]) -> bool:
    """A loose text div is article prose, not a label, a price, a button's caption or a
    card repeated down the page, nor a wrapper around text already kept, nor part of a
    block element's text."""
    if key in repeated or len(text.split()) < MIN_LOOSE_WORDS \
            or not text.endswith(_SENTENCE_ENDS) \
            or _link_share(div, text) > MAX_LOOSE_LINK_SHARE or _CALL_TO_ACTION.match(text):
        return False
    if any(n.tag not in _INLINE_TAGS for n in div.traverse() if n.mem_id != div.mem_id) \
            or any(len(k) > MIN_HELD_KEY and k in key for k in kept):
        return False
    return not any(a.tag in _BLOCK_TAGS for a in _ancestry(div))  # else that block is the leaf


def _as_block(node: LexborNode, text: str) -> Block:
    tag = node.tag or "p"
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        kind = heading_level(tag)
    elif tag == "li":
        kind = "ol" if node.parent is not None and node.parent.tag == "ol" else "li"
    elif tag == "blockquote":
        kind = "quote"
    else:
        kind = "p"
    return Block(kind, text, escape(text), group=-(node.parent.mem_id if node.parent else 0))


def _mend_div_fragments(blocks: list[Block], found: list[int],
                        leaves: list[LexborNode]) -> tuple[list[Block], list[int]]:
    """Paragraphs trafilatura made of a text <div> with links or formatting inside lack the
    text before the first of them and the space after each ("Tip: Read <a>X</a> is" -> "Xis"),
    one paragraph per link: the div's whole text replaces the first, the others go. Returns
    the blocks and their places in ``leaves``, as ``found``."""
    divs = [node for node in leaves if node.tag == "div"]
    lost = [i for i, (b, pos) in enumerate(zip(blocks, found, strict=True))
            if pos < 0 and b.kind == "p" and len(_key(b.text)) > MIN_HELD_KEY]
    if not divs or not lost:
        return blocks, found
    keys = [_key(node.text(deep=True) or "") for node in divs]
    joined = "\n".join(keys)
    starts = list(accumulate((len(k) + 1 for k in keys), initial=0))
    mended: dict[int, Block | None] = {}
    done: set[int] = set()
    for i in lost:
        key = _key(blocks[i].text)
        at = joined.find(key)
        div = bisect_right(starts, at) - 1
        if at < 0 or key == keys[div]:
            continue
        if div in done:
            mended[i] = None
        else:
            text = _spaced_text(divs[div])
            mended[i] = Block("p", text, escape(text), blocks[i].group)
            done.add(div)
    if not mended:
        return blocks, found
    out = [(mended.get(i, b), pos) for i, (b, pos) in enumerate(zip(blocks, found, strict=True))]
    return [b for b, _ in out if b is not None], [pos for b, pos in out if b is not None]


def recover_dropped(tree: LexborHTMLParser, blocks: list[Block]) -> list[Block]:
    """Put back the list items, subheadings and paragraphs trafilatura dropped inside the body.

    The extracted blocks are found again in the pre-cleaned DOM; an element lying between
    two of them in document order, inside the same container, is part of the article
    unless it is mostly links. Nothing before the first or after the last block is added,
    so headers, comments and footers stay out. Loose text divs are put back only when they
    read as paragraphs, and never anchor the search (trafilatura keeps many as paragraphs,
    and a widget's div must not stretch the span searched).
    """
    body = tree.body
    if body is None or len(blocks) < 2:
        return blocks
    leaves = _leaf_blocks(body)
    if len(leaves) > MAX_LEAVES:
        return blocks
    index: dict[str, int] = {}
    seen: set[str] = set()
    repeated: set[str] = set()  # texts that stand more than once: labels, buttons, card furniture
    for i, node in enumerate(leaves):
        key = _key(node.text(deep=True) or "")
        if key in seen:
            repeated.add(key)
        seen.add(key)
        if node.tag != "div":
            index.setdefault(key, i)
    found = [index.get(_key(b.text), -1) if b.text else -1 for b in blocks]
    blocks, found = _mend_div_fragments(blocks, found, leaves)
    hits = sorted(i for i in found if i >= 0)
    if len(hits) < 2:
        return blocks
    kept = [_key(b.text) for b in blocks if b.text]
    known = "\n".join(kept)
    extra: dict[int, Block] = {}
    for before, after in zip(hits, hits[1:], strict=False):
        if after == before + 1:
            continue
        depths = (len(_ancestry(leaves[before])), len(_ancestry(leaves[after])))
        max_depth, base_depth = max(depths) + MAX_EXTRA_DEPTH, min(depths)
        for i in range(before + 1, after):
            node = leaves[i]
            text = _spaced_text(node)
            key = _key(text)
            if not key or key in known or _link_share(node, text) > MAX_RECOVERED_LINK_SHARE \
                    or not _fits(node, max_depth, base_depth) \
                    or (node.tag == "div" and not _reads_as_paragraph(node, text, key, repeated, kept)):
                continue
            extra[i] = _as_block(node, text)
    if not extra:
        return blocks
    out: list[Block] = []
    pending = sorted(extra)
    for block, pos in zip(blocks, found, strict=True):
        while pos >= 0 and pending and pending[0] < pos:
            out.append(extra[pending.pop(0)])
        out.append(block)
    return out + [extra[i] for i in pending]
