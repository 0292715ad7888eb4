"""Remove boilerplate from the DOM before the main-text extractor sees it.

General cues only, no per-site rules: tags that never hold article text, class/id
words that templates use for comments, related links, share bars, newsletters,
cookie banners, ads, navigation, bios, tag lists and image captions or credits (a caption
on a <p> or <div> goes as <figcaption> does), and headings that announce
such blocks ("You May Also Like", "Leave a Reply"). A block that holds most of
the page's text is never removed on a class name alone: themes put words like
"has-comments" on the article container itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsarchive.extract.profile import SiteProfile, fingerprint
from newsarchive.extract.text import norm, words

#: tags that never carry article text (a figure's caption and credit are not the article's
#: paragraphs; the clean HTML captions a figure with its image's alt text)
DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "button", "select", "textarea",
             "input", "template", "object", "embed", "canvas", "link", "dialog", "nav", "figcaption")
#: tags that carry article text on some pages but are boilerplate when they are small
SMALL_DROP_TAGS = ("form", "aside", "footer", "header", "menu")
#: a block holding more than this share of the page's text is the article, whatever its class
PROTECT_SHARE = 0.45
#: a block holding more than this share of the page's paragraph words is the article even when
#: another block looks like the main one (a list of many short entries, a mislabelled wrapper)
PROSE_SHARE = 0.5
#: headings that announce a boilerplate block, matched on the whole (short) text
BOILER_HEADING = re.compile(
    r"^(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|related(?: (?:articles?|posts?|stories|news|content|reading|links|coverage|topics))?"
    r"|more (?:from|in|on|stories|news|articles)\b.*|trending(?: now| stories)?|read (?:more|next|also)\b.*|recommended(?: for you| stories| articles)?"
    r"|most (?:popular|read|viewed|shared)|popular (?:posts|stories|articles)|latest (?:news|posts|stories|articles)|leave a (?:reply|comment)|(?:\d+ )?comments?"
    r"|share(?: this)?(?: article| story| post)?:?|sign up .*|subscribe\b.*|(?:get|join) (?:our|the) newsletter.*|newsletter|don't miss\b.*|also read\b.*"
    r"|about the author|post navigation|tags?:?|filed under:?|more stories|you may have missed|lesen sie auch|mehr zum thema|weitere artikel|te puede interesar"
    r"|noticias relacionadas|más noticias|читайте также|похожие (?:статьи|новости)|関連記事|こちらもおすすめ)$", re.I)
#: a heading longer than this is content, not a block title
MAX_HEADING_CHARS = 60

_COMPONENT = (
    r"comments?|respond|reply|disqus|related|relatedposts|recommend(?:ed|ations)?|recirc|"
    r"share|sharing|sharedaddy|shares|social|socials|newsletter|subscribe|subscription|signup|"
    r"cookies?|consent|gdpr|ads?|advert|advertisement|adsbygoogle|adslot|sponsor(?:ed)?|promo|"
    r"promoted|breadcrumbs?|authorbox|author-?(?:bio|box|info|card|profile|description)|"
    r"about-?(?:the-?)?author|tags|tag-?list|tagcloud|post-?tags|cat-links|tags-links|"
    r"nav|navigation|navbar|menu|post-?navigation|nav-?links|pagination|pager|sidebar|"
    r"widget-?area|popular|trending|most-?read|mostread|outbrain|taboola|zergnet|modal|popup|"
    r"skip-?link|screen-reader-text|sr-only|visually-hidden|jp-relatedposts|yarpp|masthead|"
    r"site-?header|site-?footer|footer|copyright|toolbar|print-?only|newsletter-?signup|"
    r"paywall-?(?:prompt|banner|offer)|read-?more|more-?from|you-?may-?like|next-?post|prev-?post|"
    r"previous-?post|post-?meta-?footer|entry-?footer|subscribe-?box|rating|reactions|emoji|"
    r"caption-?text|(?:photo|image|img|media)-?(?:caption|credit)s?"
)
_CLASS_TOKEN = re.compile(rf"^(?:[a-z0-9]+[-_])*?(?:{_COMPONENT})(?:[-_][a-z0-9]+)*$", re.I)
#: class words that look like boilerplate components but name the article itself
_SAFE_TOKEN = re.compile(
    r"(?:^|[-_])(?:article|entry|post|story)[-_]?(?:body|content|text)$|^(?:has|with|no)[-_]|"
    r"^(?:main|content|post|entry|article)$|^(?:sidebar-)?(?:left|right)$|^(?:ad|ads)-?free$", re.I)
_NEVER = {"html", "body", "main", "article", "h1"}


def _is_boiler_class(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    cls, ident, role, style = attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("style")
    if not _is_boiler_attrs(cls, ident, role, style):
        return False
    slugs = _slug_tokens(cls, ident)
    return not slugs or _is_boiler_attrs(None, None, role, style) or not _named_after_text(node, slugs)


#: verdicts kept for this many distinct class/id words: a theme repeats a few hundred words
#: on every page, so the two patterns run once per word, not once per element
TOKEN_CACHE_SIZE = 16_384


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _is_boiler_attrs(cls: str | None, ident: str | None, role: str | None, style: str | None) -> bool:
    """The verdict on one combination of attributes: a theme repeats the same class and id
    lines on many elements, so each line is split and looked up once."""
    if role in ("navigation", "complementary", "contentinfo", "banner", "dialog"):
        return True
    squeezed = (style or "").replace(" ", "").lower()
    if "display:none" in squeezed or "visibility:hidden" in squeezed:
        return True
    return any(_is_boiler_token(t) for t in ((cls or "") + " " + (ident or "")).split())


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _is_boiler_token(token: str) -> bool:
    return bool(_CLASS_TOKEN.match(token)) and not _SAFE_TOKEN.search(token)


#: a class or id word of at least this many parts may be a slug of the element's own text
#: (the anchor id WordPress gives a heading: "h-what-is-social-shopping"), not a component name
SLUG_MIN_PARTS = 4
#: ... and is one when at least this share of its parts are words of the element's text
SLUG_TEXT_SHARE = 0.6
_SLUG_SPLIT = re.compile(r"[-_]+")


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _slug_tokens(cls: str | None, ident: str | None) -> tuple[tuple[str, ...], ...]:
    """The parts of each boilerplate-looking word, when every such word is long enough to be a
    slug of text; empty when any is a plain component name ("related-posts")."""
    out = []
    for token in ((cls or "") + " " + (ident or "")).split():
        if not _is_boiler_token(token):
            continue
        parts = tuple(p for p in _SLUG_SPLIT.split(token.lower()) if p)
        if len(parts) < SLUG_MIN_PARTS:
            return ()
        out.append(parts)
    return tuple(out)


def _named_after_text(node: LexborNode, slugs: tuple[tuple[str, ...], ...]) -> bool:
    """Every boilerplate-looking word is a slug of the element's opening text: an anchor made
    from its heading ("Do I need a large following to be successful with social shopping?")."""
    opening = set(words((node.text(deep=True, separator=" ") or "")[:400]))
    return all(sum(p in opening for p in parts) >= SLUG_TEXT_SHARE * len(parts) for parts in slugs)


def _text_len(node: LexborNode) -> int:
    return len(node.text(deep=True, separator=" ") or "")


def _remove_all(nodes: Iterable[LexborNode]) -> None:
    for node in list(nodes):
        node.decompose()


def _main_path(body: LexborNode) -> set[int]:
    """The block holding the most paragraph text, and its ancestors: never removed."""
    weight: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for para in body.css("p"):
        parent = para.parent
        if parent is not None:
            weight[parent.mem_id] = weight.get(parent.mem_id, 0) + _text_len(para)
            nodes[parent.mem_id] = parent
    if not weight:
        return set()
    node: LexborNode | None = nodes[max(weight, key=weight.__getitem__)]
    path: set[int] = set()
    while node is not None:
        path.add(node.mem_id)
        node = node.parent
    return path


def _prose_words(node: LexborNode) -> int:
    return sum(len((p.text(deep=True) or "").split()) for p in node.css("p"))


def _protected(node: LexborNode, total: int, keep: set[int], prose: int = 0) -> bool:
    if node.tag in _NEVER or node.mem_id in keep:
        return True
    # a word takes at least one character: most nodes fail this cheap test first
    if prose and _text_len(node) > PROSE_SHARE * prose and _prose_words(node) > PROSE_SHARE * prose:
        return True
    return not keep and total > 0 and _text_len(node) > PROTECT_SHARE * total


def preclean(tree: LexborHTMLParser, profile: SiteProfile | None = None) -> None:
    """Strip boilerplate in place; the article's own text is left for the extractor."""
    body = tree.body
    if body is None:
        return
    _remove_all(tree.css(",".join(DROP_TAGS)))
    for comment in list(body.traverse(include_text=False)):
        if comment.tag == "-comment":
            comment.decompose()
    total = _text_len(body)
    keep = _main_path(body)
    prose = _prose_words(body)
    for node in list(body.css(",".join(SMALL_DROP_TAGS))):
        if node.parent is not None and not _protected(node, total, keep, prose) \
                and not _wraps_subheading(node) and not _holds_standfirst(node, keep):
            node.decompose()
    for node in list(body.css("[class],[id],[role],[style],[aria-hidden],[hidden]")):
        if node.tag in _NEVER or not _is_boiler_class(node):
            continue
        if not _protected(node, total, keep, prose):
            node.decompose()
    _drop_announced_blocks(body, total, keep)
    _drop_footnote_marks(body)
    if profile:
        drop_profiled_blocks(body, profile)


#: a <header> is a subheading's wrapper when the subheading holds this share of its text
SUBHEADING_SHARE = 0.8


def _wraps_subheading(node: LexborNode) -> bool:
    """A <header> around a section's h2-h6 and little else is part of the article (themes wrap
    each section or product heading in one); the page's header holds a logo, links, a menu."""
    if node.tag != "header" or node.css_first("h1") is not None:
        return False
    head = node.css_first("h2,h3,h4,h5,h6")
    if head is None:
        return False
    own = len(norm(head.text(deep=True, separator=" ")))
    return own > 0 and own >= SUBHEADING_SHARE * len(norm(node.text(deep=True, separator=" ")))


#: a paragraph this long inside a <header> is the article's standfirst, not a tagline or a menu
STANDFIRST_WORDS = 25
#: a standfirst is prose: at most this share of its text sits inside links
STANDFIRST_LINK_SHARE = 0.3


def _holds_standfirst(node: LexborNode, keep: set[int]) -> bool:
    """A <header> inside the article's container holding a prose paragraph opens the article
    (themes put the intro there); the page's own header sits outside it, next to the body."""
    parent = node.parent
    if node.tag != "header" or parent is None or parent.tag in ("html", "body") \
            or parent.mem_id not in keep:
        return False
    for para in node.css("p"):
        text = norm(para.text(deep=True, separator=" "))
        linked = sum(len(norm(a.text(deep=True, separator=" "))) for a in para.css("a"))
        if len(text.split()) >= STANDFIRST_WORDS and linked <= STANDFIRST_LINK_SHARE * len(text):
            return True
    return False


def _drop_announced_blocks(body: LexborNode, total: int, keep: set[int]) -> None:
    """A heading like 'You May Also Like' goes with the block it announces."""
    for head in list(body.css("h2,h3,h4,h5,h6,.widget-title,.section-title")):
        text = norm(head.text())
        if not text or len(text) > MAX_HEADING_CHARS or not BOILER_HEADING.match(text):
            continue
        block = head.parent
        if block is not None and block.tag not in _NEVER and not _protected(block, total, keep) \
                and _text_len(block) < 0.25 * total:
            block.decompose()
            continue
        sibling = head.next
        head.decompose()
        while sibling is not None:  # the announced block runs to the next heading
            following = sibling.next
            if sibling.tag in ("h1", "h2", "h3"):
                break
            sibling.decompose()
            sibling = following


#: a footnote mark's text: a number, maybe in brackets ("2", "[14]")
_FOOTNOTE_MARK = re.compile(r"^\[?\s*\d{1,3}\s*\]?$")


def _drop_footnote_marks(body: LexborNode) -> None:
    """A superscript number linking to a note on the same page is a footnote mark, not a word
    of the sentence it sits in."""
    for sup in body.css("sup"):
        if sup.css_first('a[href^="#"]') is not None and _FOOTNOTE_MARK.match((sup.text() or "").strip()):
            sup.decompose()


def drop_profiled_blocks(body: LexborNode, profile: SiteProfile) -> None:
    """Blocks whose text repeats across many pages of the site are the site's boilerplate."""
    for node in list(body.css("p,li,h2,h3,h4,h5,h6,blockquote,figcaption,div,section,span,td")):
        if node.tag in ("div", "section", "span", "td") and node.css_first("p,div,li") is not None:
            continue
        fp = fingerprint(node.text(separator=" "))
        if fp and fp in profile.fingerprints:
            node.decompose()
