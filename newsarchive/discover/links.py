"""Article links on a page: told apart from sections, tags, authors, pagination and
off-site links by general URL and DOM cues, not per-site rules.

Each same-site link gets a score: the URL's shape (a date, a long slug, a long id) says
"article"; listing words in the path (tag, author, page...) or a ``rel`` of tag, author,
next or prev say "not"; where the link sits adds or takes away (inside a heading, an
``<article>`` or a teaser card; or inside nav, header, footer, a menu or pagination),
and so does its text (a headline has several words, a menu item one).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from newsarchive.discover.candidates import Candidate
from newsarchive.discover.urls import InvalidURL, canonicalize, same_site

#: path segments that name a listing or a utility page, not an article
NON_ARTICLE_SEGMENTS = re.compile(
    r"^(tag|tags|topic|topics|category|categories|section|sections|author|authors|"
    r"page|search|login|signin|signup|register|subscribe|account|about|contact|privacy|"
    r"terms|cookies|feed|rss|sitemap|archive|archives|wp-admin|wp-login\.php|cart|shop|"
    r"newsletter|newsletters|help|faq|advertise|careers|jobs|video|videos|gallery|"
    r"galleries|podcast|podcasts|live|weather|comments|user|users|profile|static|assets|"
    r"people|staff|contributors|writers|by|label|labels|series|index|amp)$",
    re.I,
)
FILE_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|avi|mov|css|js|xml|json|rss|ico|woff2?)$", re.I
)
DATE_IN_PATH = re.compile(
    r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)|/(19|20)\d\d(0[1-9]|1[0-2])\d\d"
)
#: a slug of several words joined by hyphens or underscores is the commonest article cue
SLUG = re.compile(r"[a-z0-9\u00c0-\uffff]+(?:[-_][a-z0-9\u00c0-\uffff]+){2,}", re.I)
LONG_ID = re.compile(r"\d{5,}")
PAGINATION_QUERY = re.compile(r"(^|&)(page|p|paged|offset|start)=\d+", re.I)
#: rel values that mark a link as navigation, never an article
NAV_RELS = frozenset({"tag", "author", "category", "next", "prev", "previous", "nofollow author",
                      "home", "search", "license", "alternate"})
#: containers whose links are navigation (by tag, role or class/id words)
NAV_TAGS = frozenset({"nav", "header", "footer", "aside", "menu", "form"})
NAV_WORDS = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|footer|masthead|"
    r"sidebar|tags?|tag-?list|cat-links|byline|author|social|share|sharing|skip|topics?)"
    r"($|[\s_-])", re.I)
STORY_WORDS = re.compile(
    r"(^|[\s_-])(headline|title|story|stories|teaser|card|post|entry|article|news-?item|"
    r"promo|lede|lead)($|[\s_-])", re.I)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
#: how far up the tree the container cues are looked for
ANCESTOR_DEPTH = 8
#: the score from which a link is taken as an article
ARTICLE_SCORE = 2


def url_score(url: str) -> int | None:
    """Points the URL's shape gives; None when it cannot be an article at all."""
    parts = urlsplit(url)
    path = parts.path
    if FILE_EXTENSIONS.search(path):
        return None
    segments = [s for s in path.split("/") if s]
    if not segments or any(NON_ARTICLE_SEGMENTS.match(s) for s in segments):
        return None
    if parts.query and PAGINATION_QUERY.search(parts.query):
        return None
    last = re.sub(r"\.(html?|php|aspx?|shtml)$", "", segments[-1], flags=re.I)
    score = 0
    if DATE_IN_PATH.search(path) and len(last) >= 4:
        score += 2
    if SLUG.search(last) and len(last) >= 16:
        score += 2
    elif LONG_ID.search(last) and len(segments) >= 2:
        score += 2
    if len(segments) == 1 and not SLUG.search(last):
        score -= 1  # "/world", "/sport": a section
    return score


def looks_like_article_url(url: str) -> bool:
    """Does this URL's shape alone say 'article'? (dates, long slugs, long numeric ids)."""
    score = url_score(url)
    return score is not None and score >= ARTICLE_SCORE


def _dom_score(node: LexborNode, text: str) -> int | None:
    """Points where the link sits and what it says; None for navigation links."""
    rel = " ".join((node.attributes.get("rel") or "").lower().split())
    if rel and (rel in NAV_RELS or set(rel.split()) & {"tag", "author", "next", "prev"}):
        return None
    score = 0
    words = len(text.split())
    if words >= 4:
        score += 1
    elif words == 1:
        score -= 1  # "World", "More": menus and section links
    parent = node.parent
    for _ in range(ANCESTOR_DEPTH):
        if parent is None or parent.tag in ("body", "html", None):
            break
        tag = parent.tag or ""
        attrs = parent.attributes
        words_attr = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if tag in NAV_TAGS or (attrs.get("role") or "").lower() in ("navigation", "menu"):
            score -= 2
            break
        if NAV_WORDS.search(words_attr):
            score -= 2
            break
        if tag in HEADING_TAGS or tag == "article":
            score += 1
            break
        if STORY_WORDS.search(words_attr):
            score += 1
            break
        parent = parent.parent
    return score


def _links(html: str, base_url: str) -> list[tuple[str, str]]:
    """(canonical URL, anchor text) of same-site links that score as articles."""
    tree = HTMLParser(html)
    base = base_url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(base_url, base_tag.attributes.get("href") or "")
    best: dict[str, tuple[int, str]] = {}
    order: list[str] = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
            continue
        try:
            url = canonicalize(urljoin(base, href))
        except (InvalidURL, ValueError):
            continue
        if not same_site(url, base_url):
            continue
        shape = url_score(url)
        if shape is None:
            continue
        text = " ".join(node.text(separator=" ").split())
        place = _dom_score(node, text)
        if place is None:
            continue
        score = shape + place
        # the same article is often linked twice (image and headline): keep the best
        if url not in best:
            order.append(url)
            best[url] = (score, text)
        elif score > best[url][0] or (not best[url][1] and text):
            best[url] = (max(score, best[url][0]), text or best[url][1])
    return [(u, best[u][1]) for u in order if best[u][0] >= ARTICLE_SCORE]


def article_links(html: str, base_url: str) -> list[str]:
    """Canonical same-site links on the page that look like articles, in page order."""
    return [url for url, _text in _links(html, base_url)]


def page_candidates(html: str, base_url: str) -> list[Candidate]:
    """The page's article links as candidates, their anchor text as title."""
    return [Candidate(url=url, title=text or None, source="page")
            for url, text in _links(html, base_url)]
