"""Is this page an article? Section fronts, tag, author and search pages, forums, shops,
documentation and service pages are not.

A weighted vote of independent, general cues (schema.org and OpenGraph types, where
the date came from, a byline, URL and subdomain shape, the body's prose shape, the
page's link density, code, prices, forum markup, how much of the prose one container
holds, repeated cards, buttons), so that no single sloppy cue decides alone.
The vote is a multinomial logistic regression over the kinds of page (article, service,
product, collection, forum, listing, documentation): each kind has its own weights, so a
cue can count against a forum without counting for a shop, which one article-or-not line
cannot do. It is fitted on standardised cues (L2, C=0.1, chosen by 5-fold cross-validation)
on the even-numbered half of WCXB by bench/fit_pagetype.py, checked on the odd half
(bench/extraction.py), and the scaling folded into the weights. The score is the log-odds
of "article" against all other kinds; the threshold leans towards "article" because a
crawler that calls a real article "not an article" loses it.
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
#: words of the last path segment, capped: a long slug is a headline
MAX_SLUG_WORDS = 10

#: kind of page -> cue -> weight, and each kind's bias (fitted as described in the module
#: docstring; counts enter as log1p); re-fit with bench/fit_pagetype.py after changing a cue
WEIGHTS: dict[str, dict[str, float]] = {
    "article": {
        "a_dens": -1.159, "art_many": 0.0172, "art_one": 0.9003, "author": 0.5343, "b_avg": 0.02033,
        "b_blocks": 0.1203, "b_head": 0.7089, "b_li": 0.353, "b_links": -1.136, "b_long": 0.3593,
        "b_run": 0.02748, "b_share": -0.05681, "b_words": 0.1101, "buttons": -0.1737,
        "cards": 0.09084, "cart_cls": -0.09431, "code": -0.1836, "d_meta": 0.6845,
        "d_none": -0.4422, "d_text": 0.09848, "forms": -0.3573, "forum_cls": -0.0352,
        "heads": 0.0539, "img": -0.0836, "img_links": 0.02356, "ld_art": 0.8119,
        "ld_forum": -0.2251, "ld_none": 0.2208, "ld_other": -0.9957, "ld_prod": -0.8168,
        "li": -0.07986, "md_thread": -0.4262, "names": 0.09538, "og_art": 0.3696,
        "og_none": -0.3119, "og_prod": -0.6757, "og_web": 0.01305, "p_cont": 0.134,
        "p_cshare": 1.249, "p_long": 0.2972, "p_mid": -0.08678, "pre": -0.07267, "prices": -0.1387,
        "sects": 0.05071, "time": 0.06159, "u_art": 0.6312, "u_blog": 0.5875, "u_doc": -0.8278,
        "u_forum": -0.8719, "u_list": -1.179, "u_prod": -1.291, "u_root": -0.9016,
        "u_serv": 0.06503, "u_slug": 1.545,
    },
    "collection": {
        "a_dens": 0.3923, "art_many": -0.08546, "art_one": -0.4255, "author": -0.3022,
        "b_avg": 0.05644, "b_blocks": -0.1861, "b_head": -0.9492, "b_li": 0.02047,
        "b_links": -0.9512, "b_long": 0.03526, "b_run": -0.03642, "b_share": -0.01195,
        "b_words": -0.1995, "buttons": 0.1826, "cards": 0.05493, "cart_cls": 0.2332,
        "code": -0.06488, "d_meta": -0.08667, "d_none": 0.6704, "d_text": -0.5789, "forms": 0.2136,
        "forum_cls": -0.03863, "heads": 0.03297, "img": 0.05744, "img_links": 0.316,
        "ld_art": -0.1989, "ld_forum": 0.2523, "ld_none": -0.1529, "ld_other": 0.3812,
        "ld_prod": -0.4425, "li": 0.04297, "md_thread": -0.4443, "names": -0.1853,
        "og_art": -0.4461, "og_none": 0.2812, "og_prod": 1.114, "og_web": 0.09164, "p_cont": 0.0534,
        "p_cshare": 0.1455, "p_long": -0.01898, "p_mid": -0.03565, "pre": -0.09756,
        "prices": 0.2517, "sects": -0.1312, "time": -0.04888, "u_art": -1.015, "u_blog": -0.2574,
        "u_doc": -0.2819, "u_forum": 0.02699, "u_list": 1.297, "u_prod": 0.2262, "u_root": 0.1912,
        "u_serv": -0.5806, "u_slug": -0.9388,
    },
    "documentation": {
        "a_dens": 0.2789, "art_many": 0.01635, "art_one": 0.2063, "author": -0.3159,
        "b_avg": -0.09026, "b_blocks": 0.1576, "b_head": 0.4039, "b_li": 0.2845, "b_links": 1.645,
        "b_long": 0.018, "b_run": 0.02647, "b_share": 0.06126, "b_words": 0.1165,
        "buttons": -0.1043, "cards": -0.1821, "cart_cls": -0.1221, "code": 0.4683, "d_meta": 0.1204,
        "d_none": 0.1998, "d_text": -0.2431, "forms": -0.1216, "forum_cls": -0.08786,
        "heads": -0.1158, "img": -0.1271, "img_links": -0.03772, "ld_art": 0.05749,
        "ld_forum": -0.2232, "ld_none": 0.2357, "ld_other": -0.3762, "ld_prod": -0.2325,
        "li": 0.07631, "md_thread": -0.09303, "names": -0.103, "og_art": 0.2401, "og_none": -0.0439,
        "og_prod": -0.1146, "og_web": -0.1718, "p_cont": 0.09679, "p_cshare": 0.2796,
        "p_long": -0.06911, "p_mid": 0.1936, "pre": 0.4504, "prices": -0.01282, "sects": -0.113,
        "time": -0.05349, "u_art": -0.09454, "u_blog": 0.3815, "u_doc": 2.977, "u_forum": -0.283,
        "u_list": -0.4402, "u_prod": -0.2364, "u_root": -0.6096, "u_serv": -0.2416,
        "u_slug": -0.765,
    },
    "forum": {
        "a_dens": -0.4804, "art_many": -0.03003, "art_one": -0.105, "author": 0.2308,
        "b_avg": -0.09456, "b_blocks": -0.104, "b_head": -1.509, "b_li": -0.609, "b_links": 0.6667,
        "b_long": 0.007671, "b_run": -0.05175, "b_share": 0.0271, "b_words": -0.1017,
        "buttons": -0.01347, "cards": 0.06096, "cart_cls": -0.1134, "code": -0.01866,
        "d_meta": 0.4454, "d_none": -0.6258, "d_text": 0.2376, "forms": 0.1759, "forum_cls": 0.1572,
        "heads": -0.3335, "img": -0.03423, "img_links": -0.08352, "ld_art": -0.1683,
        "ld_forum": 0.9872, "ld_none": 0.07893, "ld_other": 0.03324, "ld_prod": -0.253,
        "li": -0.08985, "md_thread": 0.6392, "names": 0.2687, "og_art": -0.2084, "og_none": 0.3917,
        "og_prod": -0.2821, "og_web": -0.01065, "p_cont": -0.07428, "p_cshare": -0.4217,
        "p_long": -0.002161, "p_mid": -0.04642, "pre": -0.02604, "prices": -0.1005,
        "sects": -0.0282, "time": 0.3095, "u_art": 0.6309, "u_blog": -0.02517, "u_doc": -0.6638,
        "u_forum": 2.686, "u_list": 0.4679, "u_prod": -0.4248, "u_root": 0.05257, "u_serv": -0.2156,
        "u_slug": 0.8695,
    },
    "listing": {
        "a_dens": 1.101, "art_many": 0.2305, "art_one": 0.05316, "author": 0.5056, "b_avg": 0.2658,
        "b_blocks": -0.02935, "b_head": -0.09969, "b_li": 0.4568, "b_links": 2.217, "b_long": -0.22,
        "b_run": -0.06417, "b_share": -0.07988, "b_words": 0.08401, "buttons": 0.07135,
        "cards": 0.1313, "cart_cls": 0.05349, "code": -0.1128, "d_meta": -0.2077, "d_none": 0.04253,
        "d_text": 0.2492, "forms": 0.218, "forum_cls": -0.08565, "heads": -0.01002, "img": -0.04163,
        "img_links": 0.1053, "ld_art": 0.0201, "ld_forum": -0.2849, "ld_none": -0.2829,
        "ld_other": 0.3759, "ld_prod": -0.4227, "li": -0.2086, "md_thread": 0.1649,
        "names": 0.05741, "og_art": 0.0925, "og_none": 0.4364, "og_prod": 0.1915, "og_web": -0.1964,
        "p_cont": 0.02701, "p_cshare": -0.4944, "p_long": 0.1069, "p_mid": -0.2316, "pre": -0.1358,
        "prices": -0.2571, "sects": -0.1846, "time": 0.2776, "u_art": -0.6772, "u_blog": 0.1472,
        "u_doc": 0.2261, "u_forum": -1.063, "u_list": 0.9948, "u_prod": -0.4677, "u_root": 0.5989,
        "u_serv": -0.9468, "u_slug": -1.57,
    },
    "product": {
        "a_dens": 0.5506, "art_many": 0.02145, "art_one": -0.2928, "author": -0.3433,
        "b_avg": -0.2072, "b_blocks": -0.008636, "b_head": -0.1756, "b_li": -0.1148,
        "b_links": -1.66, "b_long": -0.1131, "b_run": 0.09409, "b_share": 0.05001,
        "b_words": -0.07381, "buttons": 0.1597, "cards": -0.03964, "cart_cls": 0.182,
        "code": -0.01176, "d_meta": -0.2153, "d_none": -0.07676, "d_text": 0.2699, "forms": 0.1996,
        "forum_cls": 0.01507, "heads": 0.08087, "img": 0.2991, "img_links": -0.08057,
        "ld_art": -0.2183, "ld_forum": -0.6632, "ld_none": 0.0324, "ld_other": 0.1402,
        "ld_prod": 2.229, "li": 0.04307, "md_thread": 0.02574, "names": -0.0001728,
        "og_art": -0.1966, "og_none": -0.1918, "og_prod": 1.063, "og_web": -0.09158,
        "p_cont": -0.1023, "p_cshare": -0.1656, "p_long": -0.1541, "p_mid": -8.896e-06,
        "pre": -0.03619, "prices": 0.1979, "sects": 0.03697, "time": -0.08697, "u_art": 1.216,
        "u_blog": -0.2774, "u_doc": -0.2684, "u_forum": 0.7039, "u_list": -1.117, "u_prod": 1.916,
        "u_root": -0.6504, "u_serv": -0.4288, "u_slug": 0.8667,
    },
    "service": {
        "a_dens": -0.6837, "art_many": -0.17, "art_one": -0.3365, "author": -0.3094,
        "b_avg": 0.04949, "b_blocks": 0.05023, "b_head": 1.62, "b_li": -0.391, "b_links": -0.7824,
        "b_long": -0.08707, "b_run": 0.004293, "b_share": 0.01027, "b_words": 0.06427,
        "buttons": -0.1222, "cards": -0.1162, "cart_cls": -0.1389, "code": -0.07655,
        "d_meta": -0.7406, "d_none": 0.232, "d_text": -0.03313, "forms": -0.3282,
        "forum_cls": 0.07512, "heads": 0.2915, "img": -0.06997, "img_links": -0.243,
        "ld_art": -0.304, "ld_forum": 0.157, "ld_none": -0.132, "ld_other": 0.4414,
        "ld_prod": -0.0611, "li": 0.216, "md_thread": 0.1336, "names": -0.1331, "og_art": 0.1489,
        "og_none": -0.5617, "og_prod": -1.296, "og_web": 0.3657, "p_cont": -0.1347,
        "p_cshare": -0.5926, "p_long": -0.1597, "p_mid": 0.2068, "pre": -0.08213, "prices": 0.05944,
        "sects": 0.3693, "time": -0.4594, "u_art": -0.6919, "u_blog": -0.5562, "u_doc": -1.161,
        "u_forum": -1.199, "u_list": -0.02293, "u_prod": 0.2775, "u_root": 1.319, "u_serv": 2.348,
        "u_slug": -0.007494,
    },
}
BIAS: dict[str, float] = {
    "article": -0.3837, "collection": -0.0497, "documentation": -1.893,
    "forum": 1.811, "listing": 0.642, "product": -1.482, "service": 1.355}
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
    words = sum(count_words(b.text) for b in blocks if b.text)
    if words == 0:
        return PageVerdict(False, "empty", "no main text found", -9)
    cues = features(page, url, blocks, date_source, has_author, signals)
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
