"""Is this page an article? Section fronts, tag, author and search pages, forums, shops,
documentation and service pages are not.

A weighted vote of independent, general cues (schema.org and OpenGraph types, where
the date came from, a byline, URL and subdomain shape, the body's prose shape, the
page's link density, code, prices, forum markup, how much of the prose one container
holds, repeated cards, buttons, a <title> that promises a how-to or guide, pagination,
related-item blocks, the body's share of sentences), so that no single sloppy cue decides
alone.
The vote is a multinomial logistic regression over the kinds of page (article, service,
product, collection, forum, listing, documentation): each kind has its own weights, so a
cue can count against a forum without counting for a shop, which one article-or-not line
cannot do. It is fitted on standardised cues (L2, C=0.1, chosen by 5-fold cross-validation)
on the even-numbered half of WCXB by bench/fit_pagetype.py, checked on the odd half
(bench/extraction.py), and the scaling folded into the weights. Honest figures (after
1.7.0, with pagination, related blocks and sentences): 0.954 in 10 shuffles of 5-fold on the
dev half (0.947 before), 0.931 on the holdout half (0.929); the bench's dev figure (0.974) is
in-sample. The score is the log-odds of "article" against
all other kinds; the threshold leans towards "article" because a crawler that calls a real
article "not an article" loses it.
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
#: log-odds above this are articles (below 0 on purpose: a lost article costs more than a kept
#: listing); -0.2 is P(article) > 0.45, chosen on the dev half's cross-validation
ARTICLE_THRESHOLD = -0.2
#: the vote a URL gets when the publisher lists it as an item of its feed or sitemap: a
#: statement that the page is a piece of content, worth about as much as an article schema
#: type (not fitted: WCXB pages carry no feed context)
LISTED_ITEM_VOTE = 2.0
#: this many teaser blocks (heading + link) make a short page a listing in the reason text
MIN_TEASERS = 6
#: a date from these sources is the publisher's own statement
STATED_DATE_SOURCES = ("json-ld", "meta", "time")
#: a date read from the page's visible text: a labelled dateline, or htmldate's search (the
#: weights were fitted when htmldate found both kinds)
TEXT_DATE_SOURCES = ("text", "dateline")
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
#: a block that ends as a sentence does: the body's share of words in such blocks is prose
#: against menus, cards, specs and link lists
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s*$")
#: words of the last path segment, capped: a long slug is a headline
MAX_SLUG_WORDS = 10
#: a <title> that promises to explain (how-to, what-is, guide, tips, review): the shape of a
#: guide or explainer, which on a company's site otherwise looks like its service pages
_GUIDE_TITLE = re.compile(r"\b(?:how to|how do|what is|what are|why|guide|tips|ways|explained|vs\.?|versus|"
                          r"review|introduction|tutorial|lessons?)\b", re.I)

#: kind of page -> cue -> weight, and each kind's bias (fitted as described in the module
#: docstring; counts enter as log1p); re-fit with bench/fit_pagetype.py after changing a cue
WEIGHTS: dict[str, dict[str, float]] = {
    "article": {
        "a_dens": -1.162, "art_many": -0.008716, "art_one": 0.8778, "author": 0.5444,
        "b_avg": 0.0001791, "b_blocks": 0.1638, "b_head": 0.5271, "b_li": 0.2753,
        "b_links": -0.9337, "b_long": 0.3085, "b_run": -0.001624, "b_sent": 1.001,
        "b_share": -0.06507, "b_words": 0.1285, "buttons": -0.1715, "cards": 0.08602,
        "cart_cls": -0.1015, "code": -0.1796, "d_meta": 0.7085, "d_none": -0.3766, "d_text": 0.1862,
        "forms": -0.3604, "forum_cls": -0.01212, "heads": 0.03113, "img": -0.06492,
        "img_links": 0.02241, "ld_art": 0.797, "ld_forum": -0.1544, "ld_none": 0.202,
        "ld_other": -0.9569, "ld_prod": -0.7381, "li": -0.1102, "md_thread": -0.3904,
        "names": 0.106, "og_art": 0.4389, "og_none": -0.2995, "og_prod": -0.6208, "og_web": 0.04434,
        "p_cont": 0.1049, "p_cshare": 1.174, "p_long": 0.2497, "p_mid": -0.1424, "pager": -0.4593,
        "pre": -0.04696, "prices": -0.1353, "related": 0.4705, "sects": 0.05343, "t_guide": 0.9946,
        "time": 0.08758, "u_art": 0.6984, "u_blog": 0.5708, "u_doc": -0.8781, "u_forum": -0.9727,
        "u_list": -1.07, "u_prod": -1.297, "u_root": -0.9747, "u_serv": 0.002058, "u_slug": 1.245},
    "collection": {
        "a_dens": 0.455, "art_many": -0.06947, "art_one": -0.4527, "author": -0.3063,
        "b_avg": 0.1184, "b_blocks": -0.1952, "b_head": -0.8911, "b_li": 0.1559, "b_links": -0.6384,
        "b_long": 0.09095, "b_run": -0.05455, "b_sent": -0.01789, "b_share": -0.01588,
        "b_words": -0.18, "buttons": 0.1752, "cards": 0.01929, "cart_cls": 0.2235, "code": -0.05607,
        "d_meta": -0.0882, "d_none": 0.6869, "d_text": -0.5752, "forms": 0.2302,
        "forum_cls": -0.05523, "heads": 0.03095, "img": 0.09403, "img_links": 0.3256,
        "ld_art": -0.2165, "ld_forum": 0.2702, "ld_none": -0.1392, "ld_other": 0.3771,
        "ld_prod": -0.4495, "li": 0.04457, "md_thread": -0.4196, "names": -0.1724, "og_art": -0.452,
        "og_none": 0.3203, "og_prod": 1.112, "og_web": 0.06372, "p_cont": 0.04079,
        "p_cshare": 0.09153, "p_long": -0.03144, "p_mid": -0.01198, "pager": 0.2801,
        "pre": -0.09451, "prices": 0.2585, "related": -0.7192, "sects": -0.1084, "t_guide": -0.1756,
        "time": -0.04938, "u_art": -1.031, "u_blog": -0.2946, "u_doc": -0.2725, "u_forum": -0.0217,
        "u_list": 1.313, "u_prod": 0.2197, "u_root": 0.1597, "u_serv": -0.5734, "u_slug": -0.7283},
    "documentation": {
        "a_dens": 0.3367, "art_many": 0.02082, "art_one": 0.1796, "author": -0.3071,
        "b_avg": -0.1106, "b_blocks": 0.168, "b_head": 0.1246, "b_li": 0.2862, "b_links": 1.584,
        "b_long": 0.005899, "b_run": 0.01913, "b_sent": 0.2363, "b_share": 0.06408,
        "b_words": 0.1191, "buttons": -0.1007, "cards": -0.1855, "cart_cls": -0.1186,
        "code": 0.4549, "d_meta": 0.1026, "d_none": 0.2388, "d_text": -0.2526, "forms": -0.1185,
        "forum_cls": -0.08509, "heads": -0.1011, "img": -0.1307, "img_links": -0.04068,
        "ld_art": 0.06608, "ld_forum": -0.209, "ld_none": 0.232, "ld_other": -0.3783,
        "ld_prod": -0.2085, "li": 0.06727, "md_thread": -0.09102, "names": -0.1034, "og_art": 0.242,
        "og_none": -0.03302, "og_prod": -0.1099, "og_web": -0.184, "p_cont": 0.09115,
        "p_cshare": 0.3216, "p_long": -0.07451, "p_mid": 0.1683, "pager": -0.06977, "pre": 0.4198,
        "prices": -0.01968, "related": 0.2139, "sects": -0.1141, "t_guide": 0.8364,
        "time": -0.05309, "u_art": -0.1225, "u_blog": 0.3765, "u_doc": 3.096, "u_forum": -0.2974,
        "u_list": -0.4188, "u_prod": -0.2385, "u_root": -0.5534, "u_serv": -0.2396,
        "u_slug": -0.8166},
    "forum": {
        "a_dens": -0.5043, "art_many": -0.02519, "art_one": -0.1363, "author": 0.271,
        "b_avg": -0.03354, "b_blocks": -0.1449, "b_head": -1.586, "b_li": -0.5165,
        "b_links": 0.3159, "b_long": -0.01151, "b_run": -0.03818, "b_sent": -0.01893,
        "b_share": 0.0223, "b_words": -0.1135, "buttons": -0.0183, "cards": 0.06397,
        "cart_cls": -0.1138, "code": -0.0159, "d_meta": 0.4478, "d_none": -0.6239, "d_text": 0.2323,
        "forms": 0.1756, "forum_cls": 0.1513, "heads": -0.3122, "img": -0.03476,
        "img_links": -0.0822, "ld_art": -0.1365, "ld_forum": 0.8899, "ld_none": 0.06915,
        "ld_other": 0.01982, "ld_prod": -0.2492, "li": -0.08557, "md_thread": 0.6289,
        "names": 0.266, "og_art": -0.2456, "og_none": 0.3942, "og_prod": -0.2845, "og_web": 0.0282,
        "p_cont": -0.0716, "p_cshare": -0.4418, "p_long": -0.00303, "p_mid": -0.03619,
        "pager": 0.2235, "pre": -0.005699, "prices": -0.1032, "related": 0.1749, "sects": -0.03228,
        "t_guide": -0.004213, "time": 0.2855, "u_art": 0.5918, "u_blog": 0.001095, "u_doc": -0.7319,
        "u_forum": 2.684, "u_list": 0.3806, "u_prod": -0.3758, "u_root": 0.1182, "u_serv": -0.2263,
        "u_slug": 0.9025},
    "listing": {
        "a_dens": 0.9259, "art_many": 0.2543, "art_one": 0.0981, "author": 0.4339, "b_avg": 0.2356,
        "b_blocks": -0.05871, "b_head": 0.2223, "b_li": 0.4649, "b_links": 2.279, "b_long": -0.1706,
        "b_run": -0.04908, "b_sent": -0.7426, "b_share": -0.07381, "b_words": 0.05983,
        "buttons": 0.07461, "cards": 0.1301, "cart_cls": 0.04212, "code": -0.1063,
        "d_meta": -0.2453, "d_none": 0.07746, "d_text": 0.2784, "forms": 0.219,
        "forum_cls": -0.08395, "heads": -0.02872, "img": -0.0471, "img_links": 0.1154,
        "ld_art": 0.04697, "ld_forum": -0.2511, "ld_none": -0.2894, "ld_other": 0.3621,
        "ld_prod": -0.5046, "li": -0.1965, "md_thread": 0.1771, "names": 0.04496, "og_art": 0.1485,
        "og_none": 0.3239, "og_prod": 0.07877, "og_web": -0.2214, "p_cont": 0.04015,
        "p_cshare": -0.4023, "p_long": 0.1358, "p_mid": -0.1851, "pager": 0.3552, "pre": -0.1437,
        "prices": -0.2531, "related": -0.643, "sects": -0.1716, "t_guide": -0.3186, "time": 0.2782,
        "u_art": -0.6611, "u_blog": 0.1959, "u_doc": 0.3027, "u_forum": -1.076, "u_list": 0.9105,
        "u_prod": -0.3399, "u_root": 0.7071, "u_serv": -0.8857, "u_slug": -1.5},
    "product": {
        "a_dens": 0.5077, "art_many": 0.01048, "art_one": -0.29, "author": -0.3212,
        "b_avg": -0.2428, "b_blocks": 0.02628, "b_head": 0.11, "b_li": -0.2392, "b_links": -1.816,
        "b_long": -0.121, "b_run": 0.1017, "b_sent": -0.323, "b_share": 0.05404,
        "b_words": -0.06446, "buttons": 0.1677, "cards": -0.00921, "cart_cls": 0.18,
        "code": -0.02233, "d_meta": -0.2367, "d_none": -0.06605, "d_text": 0.2484, "forms": 0.1909,
        "forum_cls": 0.02451, "heads": 0.0864, "img": 0.2589, "img_links": -0.1138,
        "ld_art": -0.204, "ld_forum": -0.6393, "ld_none": 0.006922, "ld_other": 0.1635,
        "ld_prod": 2.174, "li": 0.05986, "md_thread": 0.01474, "names": -0.01439, "og_art": -0.204,
        "og_none": -0.1122, "og_prod": 1.103, "og_web": -0.09283, "p_cont": -0.09037,
        "p_cshare": -0.1432, "p_long": -0.1404, "p_mid": -0.02467, "pager": 0.04636,
        "pre": -0.03643, "prices": 0.2003, "related": 0.6678, "sects": 0.01302, "t_guide": -0.3524,
        "time": -0.09565, "u_art": 1.176, "u_blog": -0.2492, "u_doc": -0.2817, "u_forum": 0.7585,
        "u_list": -1.064, "u_prod": 1.865, "u_root": -0.659, "u_serv": -0.4724, "u_slug": 0.8002},
    "service": {
        "a_dens": -0.5588, "art_many": -0.1823, "art_one": -0.2765, "author": -0.3148,
        "b_avg": 0.03283, "b_blocks": 0.04063, "b_head": 1.493, "b_li": -0.4265, "b_links": -0.7909,
        "b_long": -0.1023, "b_run": 0.02264, "b_sent": -0.1346, "b_share": 0.01433,
        "b_words": 0.05056, "buttons": -0.127, "cards": -0.1047, "cart_cls": -0.1117,
        "code": -0.07468, "d_meta": -0.6887, "d_none": 0.0635, "d_text": -0.1175, "forms": -0.3368,
        "forum_cls": 0.06063, "heads": 0.2936, "img": -0.07548, "img_links": -0.2268,
        "ld_art": -0.353, "ld_forum": 0.09374, "ld_none": -0.08143, "ld_other": 0.4127,
        "ld_prod": -0.02446, "li": 0.2206, "md_thread": 0.08012, "names": -0.1267, "og_art": 0.0723,
        "og_none": -0.5937, "og_prod": -1.278, "og_web": 0.362, "p_cont": -0.115,
        "p_cshare": -0.5995, "p_long": -0.1361, "p_mid": 0.232, "pager": -0.3761, "pre": -0.09243,
        "prices": 0.05252, "related": -0.165, "sects": 0.36, "t_guide": -0.9802, "time": -0.4531,
        "u_art": -0.6515, "u_blog": -0.6005, "u_doc": -1.234, "u_forum": -1.075, "u_list": -0.05121,
        "u_prod": 0.1666, "u_root": 1.202, "u_serv": 2.395, "u_slug": 0.09715},
}
BIAS: dict[str, float] = {
    "article": -0.7854, "collection": -0.3726, "documentation": -1.96, "forum": 1.79, "listing": 1.137,
    "product": -1.382, "service": 1.574}
#: what a negative cue means, for the reason a person reads
_REASONS = {
    "a_dens": "mostly links", "b_links": "body mostly links", "u_doc": "documentation URL",
    "u_forum": "forum URL", "u_list": "listing URL", "u_prod": "product URL", "u_serv": "service URL",
    "u_root": "site front page", "og_prod": "product type", "ld_prod": "product schema",
    "ld_forum": "forum schema", "d_none": "no date", "d_text": "no stated date", "code": "code blocks",
    "time": "many timestamps", "forms": "forms", "og_web": "website type", "og_none": "no OpenGraph type",
    "prices": "prices", "cart_cls": "shop markup", "forum_cls": "forum markup",
    "buttons": "buttons and calls to action", "art_many": "many article blocks",
    "md_thread": "posts of a thread", "ld_other": "a schema type that is not an article",
    "pager": "pagination",
}


#: WCXB's kinds as this package names them (a "collection" is a shop's listing)
_KIND_NAMES = {"collection": "listing"}


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
             has_author: bool, signals: PageSignals,
             block_words: list[int] | None = None) -> dict[str, float]:
    """The cues, each a number; counts are log-scaled so one huge page does not dominate.
    ``block_words``: the word count of each block with text, when the caller has counted them."""
    log = math.log1p
    types = page.ld.types
    og_type = (page.meta.get("og:type") or "").lower()
    split = urlsplit(url or "")
    path = split.path
    labels = (split.hostname or "").split(".")
    sub = labels[0] if len(labels) > 2 else ""  # noqa: PLR2004  (a subdomain needs a name and a suffix)
    segments = [s for s in path.split("/") if s]
    texts = [(b.kind, b.text, "<a " in b.html) for b in blocks if b.text]
    words = block_words if block_words is not None else [count_words(t) for _, t, _ in texts]
    body_words = sum(words)
    page_words = signals.paragraph_words + signals.link_words + 1
    return {
        "ld_art": float(bool(types & ARTICLE_TYPES)), "ld_prod": float(bool(types & _PRODUCT_TYPES)),
        "ld_forum": float(bool(types & _FORUM_TYPES)), "ld_none": float(not types),
        "ld_other": float(bool(types) and not types & ARTICLE_TYPES),
        "og_art": float(og_type == "article"), "og_web": float(og_type == "website"),
        "og_prod": float("product" in og_type), "og_none": float(not og_type),
        "d_meta": float(date_source in STATED_DATE_SOURCES), "d_text": float(date_source in TEXT_DATE_SOURCES),
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
        "img_links": log(signals.image_links), "md_thread": log(signals.thread_items),
        "t_guide": float(bool(_GUIDE_TITLE.search(page.doc_title))),
        "pager": float(signals.paginated), "related": float(signals.related),
        "b_sent": sum(w for w, (_, t, _) in zip(words, texts, strict=True) if _SENTENCE_END.search(t)) / body_words
        if body_words else 0.0,
    }


def kind_scores(cues: dict[str, float]) -> dict[str, float]:
    """Each kind of page's linear score (a softmax over them gives its probability)."""
    return {kind: BIAS[kind] + sum(weights[k] * v for k, v in cues.items()) for kind, weights in WEIGHTS.items()}


def article_log_odds(scores: dict[str, float]) -> float:
    """log P(article) / P(anything else), from the kinds' scores (a stable log-sum-exp)."""
    others = [v for k, v in scores.items() if k != "article"]
    top = max(others)
    return scores["article"] - top - math.log(sum(math.exp(v - top) for v in others))


def classify(page: PageMeta, url: str | None, blocks: list[Block], date_source: str | None,
             has_author: bool, signals: PageSignals, teasers: int,
             listed_as_item: bool = False) -> PageVerdict:
    """The verdict and, for non-articles, a reason a person can read. ``listed_as_item``:
    the page came from the site's own feed or sitemap."""
    block_words = [count_words(b.text) for b in blocks if b.text]
    words = sum(block_words)
    if words == 0:
        return PageVerdict(False, "empty", "no main text found", -9)
    cues = features(page, url, blocks, date_source, has_author, signals, block_words)
    scores = kind_scores(cues)
    score = article_log_odds(scores) + (LISTED_ITEM_VOTE if listed_as_item else 0.0)
    if words < MIN_ARTICLE_WORDS:
        kind = "listing" if teasers >= MIN_TEASERS else "gallery" if signals.images >= 5 else "stub"
        return PageVerdict(False, kind, f"too little text for an article ({words} words)", score)
    if score > ARTICLE_THRESHOLD:
        return PageVerdict(True, "article", None, score)
    rival = max((k for k in scores if k != "article"), key=scores.__getitem__)
    # what tipped the page from "article" towards the likeliest other kind
    votes = {k: (WEIGHTS["article"][k] - WEIGHTS[rival][k]) * v for k, v in cues.items() if k in _REASONS}
    worst = sorted((v, k) for k, v in votes.items() if v < 0)[:3]
    kind = _KIND_NAMES.get(rival, rival)
    reasons = ", ".join(_REASONS[k] for _, k in worst) or "its overall shape"
    return PageVerdict(False, kind, f"looks like a {kind} page: {reasons}", score)


def teaser_count(tree) -> int:  # noqa: ANN001  (a selectolax parser)
    """Headings that are links to other pages: the shape of a listing."""
    return len(tree.css("h2 a[href], h3 a[href], article h2, article h3"))
