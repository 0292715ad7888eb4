"""Is this page an article? Section fronts, tag, author and search pages, forums, shops,
documentation and service pages are not.

A weighted vote of independent, general cues (schema.org and OpenGraph types, where
the date came from, a byline, URL and subdomain shape, the body's prose shape, the
page's link density, code, prices, forum markup, how much of the prose one container
holds, repeated cards, buttons), so that no single sloppy cue decides alone.
The weights are a logistic regression (L2, C=1, chosen by 5-fold cross-validation)
fitted on the even-numbered half of WCXB by bench/fit_pagetype.py and checked on the
odd half (bench/extraction.py); the threshold leans towards "article"
because a crawler that calls a real article "not an article" loses it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsarchive.extract.clean_html import Block
from newsarchive.extract.jsonld import ARTICLE_TYPES
from newsarchive.extract.metadata import PageMeta
from newsarchive.extract.signals import LONG_PARAGRAPH_WORDS, MID_PARAGRAPH_WORDS, PageSignals
from newsarchive.extract.text import count_words

#: a body shorter than this is not an article (a caption, a teaser, an empty shell)
MIN_ARTICLE_WORDS = 40
#: votes above this are articles (below 0 on purpose: a lost article costs more than a kept listing)
ARTICLE_THRESHOLD = -0.5
#: the vote a URL gets when the publisher lists it as an item of its feed or sitemap: a
#: statement that the page is a piece of content, worth about as much as an article schema
#: type (not fitted: WCXB pages carry no feed context)
LISTED_ITEM_VOTE = 2.0
#: this many teaser blocks (heading + link) make a short page a listing in the reason text
MIN_TEASERS = 6
#: a date from these sources is the publisher's own statement
STATED_DATE_SOURCES = ("json-ld", "meta", "time")
_PRODUCT_TYPES = frozenset({"product", "productgroup", "offer", "aggregateoffer"})
_FORUM_TYPES = frozenset({"qapage", "discussionforumposting", "question", "answer"})

#: URL paths of listing pages: section, tag, author, search, pagination
_LISTING_PATH = re.compile(
    r"(?:^|/)(?:tag|tags|category|categories|topic|topics|author|authors|section|sections|"
    r"search|archive|archives|page|label|schlagwort|thema|themen|autor|categoria|etiqueta|"
    r"tema|rubrique|tegs|rubric)(?:/[^/]*){0,2}/?$", re.I)
_ARTICLE_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/|[-_][^/]*[-_][^/]*[-_][^/]*[-_]|\d{6,}|\.html?$|"
                           r"/(?:news|article|story|blog|post)s?/.+")
_DOC_PATH = re.compile(r"(?:^|/)(?:docs?|documentation|reference|api|manual|manuals|kb|knowledge-?base|"
                       r"support|help|wiki|userguide)(?:/|$)", re.I)
#: a forum's /topic/ is a thread with a number; a bare /topic/ or /topics/ is a subject page
#: (britannica.com/topic/history-of-coffee) or a section
_FORUM_PATH = re.compile(r"(?:^|/)(?:forums?|threads?|questions|community|discussions?|topics?(?=/\d)|t|r|boards?|"
                         r"viewtopic\S*|showthread\S*)(?:/|$|\.)", re.I)
#: no bare /p/: Substack and many blogs put every post there, as shops do their products
_PRODUCT_PATH = re.compile(r"(?:^|/)(?:products?|shop|store|dp|item|items|collections|buy|catalog)(?:/|$)", re.I)
_SERVICE_PATH = re.compile(r"(?:^|/)(?:services?|solutions?|pricing|contact(?:-us)?|about(?:-us)?|locations?|"
                           r"plans?|features?|platform|industries|careers?|programs?|admissions?|courses?)(?:/|$)", re.I)
_BLOG_PATH = re.compile(r"(?:^|/)(?:blog|blogs|news|articles?|stories|story|posts?|insights?|magazine|press|"
                        r"learn|resources|guides?)(?:/|$)", re.I)
#: the first label of a host name (docs.example.org, forum.example.org) says the same as a path
_DOC_HOST = re.compile(r"^(?:docs?|developers?|wiki|help|support|manual)$")
_FORUM_HOST = re.compile(r"^(?:forums?|community|discuss|discussions?|boards?|bbs|answers)$")
_PRODUCT_HOST = re.compile(r"^(?:shop|store)$")
_BLOG_HOST = re.compile(r"^(?:blogs?|news)$")
#: words of the last path segment, capped: a long slug is a headline
MAX_SLUG_WORDS = 10

#: cue -> weight (fitted as described in the module docstring; counts enter as log1p);
#: re-fit with bench/fit_pagetype.py after changing a cue
WEIGHTS = {
    "a_dens": -0.511, "art_many": -0.024, "art_one": 1.059, "author": 0.568, "b_avg": -0.031, "b_blocks": 0.277,
    "b_head": 0.333, "b_li": 0.594, "b_links": -1.364, "b_long": 0.509, "b_run": 0.021, "b_share": -0.114,
    "b_words": -0.095, "buttons": -0.189, "cards": 0.019, "cart_cls": -0.248, "code": -0.990, "d_meta": 1.285,
    "d_none": -0.138, "d_text": 0.105, "forms": -0.328, "forum_cls": -0.074, "heads": 0.061, "img": -0.163,
    "img_links": 0.131, "ld_art": 2.017, "ld_forum": -0.382, "ld_none": 1.247, "ld_prod": -0.789, "li": -0.136,
    "names": 0.175, "og_art": 0.582, "og_none": -0.184, "og_prod": -0.521, "og_web": -0.098, "p_cont": 0.343,
    "p_cshare": 1.439, "p_long": 0.573, "p_mid": -0.203, "pre": 0.101, "prices": -0.103, "sects": 0.064,
    "time": -0.473, "u_art": 0.964, "u_blog": 1.000, "u_doc": -1.855, "u_forum": -1.990, "u_list": -1.141,
    "u_prod": -1.388, "u_root": -0.828, "u_serv": -0.943, "u_slug": 1.631,
}
BIAS = -4.860
#: what a negative cue means, for the reason a person reads
_REASONS = {
    "a_dens": "mostly links", "b_links": "body mostly links", "u_doc": "documentation URL",
    "u_forum": "forum URL", "u_list": "listing URL", "u_prod": "product URL", "u_serv": "service URL",
    "u_root": "site front page", "og_prod": "product type", "ld_prod": "product schema",
    "ld_forum": "forum schema", "d_none": "no date", "d_text": "no stated date", "code": "code blocks",
    "time": "many timestamps", "forms": "forms", "og_web": "website type", "og_none": "no OpenGraph type",
    "prices": "prices", "cart_cls": "shop markup", "forum_cls": "forum markup",
    "buttons": "buttons and calls to action", "art_many": "many article blocks",
}


@dataclass
class PageVerdict:
    is_article: bool
    page_type: str
    reason: str | None
    score: float


def _prose_run(kinds_words: list[tuple[str, int]]) -> int:
    """Words of the longest run of consecutive prose paragraphs in the body."""
    best = run = 0
    for kind, n in kinds_words:
        run = run + n if kind == "p" and n >= MID_PARAGRAPH_WORDS else 0
        best = max(best, run)
    return best


def features(page: PageMeta, url: str | None, blocks: list[Block], date_source: str | None,
             has_author: bool, signals: PageSignals) -> dict[str, float]:
    """The cues, each a number; counts are log-scaled so one huge page does not dominate."""
    log = math.log1p
    types = page.ld.types
    og_type = (page.meta.get("og:type") or "").lower()
    split = urlsplit(url or "")
    path = split.path
    labels = (split.hostname or "").split(".")
    sub = labels[0] if len(labels) > 2 else ""  # noqa: PLR2004  (a subdomain needs a name and a suffix)
    segments = [s for s in path.split("/") if s]
    texts = [(b.kind, b.text, "<a " in b.html) for b in blocks if b.text]
    words = [count_words(t) for _, t, _ in texts]
    body_words = sum(words)
    page_words = signals.paragraph_words + signals.link_words + 1
    return {
        "ld_art": float(bool(types & ARTICLE_TYPES)), "ld_prod": float(bool(types & _PRODUCT_TYPES)),
        "ld_forum": float(bool(types & _FORUM_TYPES)), "ld_none": float(not types),
        "og_art": float(og_type == "article"), "og_web": float(og_type == "website"),
        "og_prod": float("product" in og_type), "og_none": float(not og_type),
        "d_meta": float(date_source in STATED_DATE_SOURCES), "d_text": float(date_source == "text"),
        "d_none": float(date_source is None), "author": float(has_author),
        "u_root": float(path in ("", "/")), "u_list": float(bool(_LISTING_PATH.search(path))),
        "u_art": float(bool(_ARTICLE_PATH.search(path))),
        "u_slug": min(len(re.findall(r"[a-z]+", segments[-1].lower())) if segments else 0,
                      MAX_SLUG_WORDS) / MAX_SLUG_WORDS,
        "u_doc": float(bool(_DOC_PATH.search(path) or _DOC_HOST.match(sub))),
        "u_forum": float(bool(_FORUM_PATH.search(path) or _FORUM_HOST.match(sub))),
        "u_prod": float(bool(_PRODUCT_PATH.search(path) or _PRODUCT_HOST.match(sub))),
        "u_serv": float(bool(_SERVICE_PATH.search(path))),
        "u_blog": float(bool(_BLOG_PATH.search(path) or _BLOG_HOST.match(sub))),
        "b_words": log(body_words), "b_long": log(sum(1 for w in words if w >= LONG_PARAGRAPH_WORDS)),
        "b_blocks": log(len(texts)), "b_avg": log(body_words / len(texts)) if texts else 0.0,
        "b_li": sum(w for w, (k, _, _) in zip(words, texts, strict=True) if k in ("li", "ol")) / body_words
        if body_words else 0.0,
        "b_links": sum(1 for b in blocks if "<a " in b.html) / len(blocks) if blocks else 0.0,
        "p_long": log(signals.long_paragraphs), "p_mid": log(signals.mid_paragraphs),
        "a_dens": signals.link_words / page_words, "b_share": body_words / page_words,
        "pre": log(signals.pre), "code": log(signals.code), "time": log(signals.time_tags),
        "forms": log(signals.forms), "img": log(signals.images), "li": log(signals.list_items),
        "forum_cls": log(signals.forum_classes), "cart_cls": log(signals.cart_classes),
        "prices": log(signals.prices),
        "b_run": log(_prose_run([(k, w) for w, (k, _, _) in zip(words, texts, strict=True)])),
        "b_head": sum(1 for k, _, _ in texts if k in ("h2", "h3", "h4")) / len(texts) if texts else 0.0,
        "p_cont": log(signals.prose_container_words),
        "p_cshare": signals.prose_container_words / (signals.paragraph_words + 1),
        "cards": log(signals.cards), "heads": log(signals.headings), "sects": log(signals.sections),
        "buttons": log(signals.buttons), "art_one": float(signals.article_tags == 1),
        "art_many": log(max(signals.article_tags - 1, 0)), "names": log(signals.author_names),
        "img_links": log(signals.image_links),
    }


def classify(page: PageMeta, url: str | None, blocks: list[Block], date_source: str | None,
             has_author: bool, signals: PageSignals, teasers: int,
             listed_as_item: bool = False) -> PageVerdict:
    """The verdict and, for non-articles, a reason a person can read. ``listed_as_item``:
    the page came from the site's own feed or sitemap."""
    words = sum(count_words(b.text) for b in blocks if b.text)
    if words == 0:
        return PageVerdict(False, "empty", "no main text found", -9)
    cues = features(page, url, blocks, date_source, has_author, signals)
    votes = {k: WEIGHTS[k] * v for k, v in cues.items()}
    score = BIAS + sum(votes.values()) + (LISTED_ITEM_VOTE if listed_as_item else 0.0)
    if words < MIN_ARTICLE_WORDS:
        kind = "listing" if teasers >= MIN_TEASERS else "gallery" if signals.images >= 5 else "stub"
        return PageVerdict(False, kind, f"too little text for an article ({words} words)", score)
    if score > ARTICLE_THRESHOLD:
        return PageVerdict(True, "article", None, score)
    worst = sorted((v, k) for k, v in votes.items() if v < 0 and k in _REASONS)[:3]
    kind = _kind(cues)
    return PageVerdict(False, kind, f"looks like a {kind} page: " + ", ".join(_REASONS[k] for _, k in worst), score)


def _kind(cues: dict[str, float]) -> str:
    """A best guess at what the non-article is, for the crawler's skip log."""
    if cues["u_forum"] or cues["ld_forum"]:
        return "forum"
    if cues["ld_prod"] or cues["og_prod"] or cues["u_prod"]:
        return "product"
    if cues["u_doc"] or cues["code"] > 1:
        return "documentation"
    if cues["u_serv"]:
        return "service"
    return "listing"


def teaser_count(tree) -> int:  # noqa: ANN001  (a selectolax parser)
    """Headings that are links to other pages: the shape of a listing."""
    return len(tree.css("h2 a[href], h3 a[href], article h2, article h3"))
