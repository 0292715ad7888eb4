"""Is this page an article? Section fronts, tag, author and search pages, forums, shops,
documentation and service pages are not.

A weighted vote of independent, general cues (schema.org and OpenGraph types, where
the date came from, a byline, URL and subdomain shape, the body's prose shape, the
page's link density, code, prices, forum markup, how much of the prose one container
holds, repeated cards, buttons, a <title> that promises a how-to or guide), so that no
single sloppy cue decides alone.
The vote is a multinomial logistic regression over the kinds of page (article, service,
product, collection, forum, listing, documentation): each kind has its own weights, so a
cue can count against a forum without counting for a shop, which one article-or-not line
cannot do. It is fitted on standardised cues (L2, C=0.1, chosen by 5-fold cross-validation)
on the even-numbered half of WCXB by bench/fit_pagetype.py, checked on the odd half
(bench/extraction.py), and the scaling folded into the weights. Honest figures (extractor
1.7.0): 0.947-0.948 in 10 shuffles of 5-fold on the dev half, 0.929 on the holdout half;
the bench's dev figure (0.970) is in-sample. The score is the log-odds of "article" against
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
        "a_dens": -1.244, "art_many": 0.01659, "art_one": 0.8767, "author": 0.5404,
        "b_avg": 0.01621, "b_blocks": 0.1149, "b_head": 0.9218, "b_li": 0.3281, "b_links": -1.078,
        "b_long": 0.3447, "b_run": 0.02034, "b_share": -0.05973, "b_words": 0.1027,
        "buttons": -0.1769, "cards": 0.09452, "cart_cls": -0.09663, "code": -0.1864,
        "d_meta": 0.687, "d_none": -0.3638, "d_text": 0.1991, "forms": -0.3481,
        "forum_cls": -0.02152, "heads": 0.04462, "img": -0.0651, "img_links": 0.01936,
        "ld_art": 0.8541, "ld_forum": -0.1578, "ld_none": 0.1918, "ld_other": -0.9913,
        "ld_prod": -0.7126, "li": -0.09595, "md_thread": -0.3845, "names": 0.08666,
        "og_art": 0.4505, "og_none": -0.2952, "og_prod": -0.6202, "og_web": -0.02135,
        "p_cont": 0.1219, "p_cshare": 1.164, "p_long": 0.3061, "p_mid": -0.1155, "pre": -0.07442,
        "prices": -0.1419, "sects": 0.0642, "t_guide": 0.9911, "time": 0.07853, "u_art": 0.6336,
        "u_blog": 0.6066, "u_doc": -0.7517, "u_forum": -0.9238, "u_list": -1.092, "u_prod": -1.193,
        "u_root": -0.845, "u_serv": 0.01907, "u_slug": 1.442,
    },
    "collection": {
        "a_dens": 0.389, "art_many": -0.08785, "art_one": -0.4357, "author": -0.2873,
        "b_avg": 0.06367, "b_blocks": -0.2003, "b_head": -0.9115, "b_li": 0.08992,
        "b_links": -0.8136, "b_long": 0.03361, "b_run": -0.03286, "b_share": -0.01174,
        "b_words": -0.204, "buttons": 0.1852, "cards": 0.05177, "cart_cls": 0.2252,
        "code": -0.05567, "d_meta": -0.09037, "d_none": 0.6847, "d_text": -0.5845, "forms": 0.219,
        "forum_cls": -0.04245, "heads": 0.03882, "img": 0.06641, "img_links": 0.3174,
        "ld_art": -0.2082, "ld_forum": 0.2462, "ld_none": -0.1517, "ld_other": 0.3875,
        "ld_prod": -0.4704, "li": 0.0457, "md_thread": -0.4512, "names": -0.1794, "og_art": -0.4547,
        "og_none": 0.3007, "og_prod": 1.094, "og_web": 0.0817, "p_cont": 0.05347,
        "p_cshare": 0.1522, "p_long": -0.02125, "p_mid": -0.01922, "pre": -0.09037,
        "prices": 0.2507, "sects": -0.1289, "t_guide": -0.2074, "time": -0.04618, "u_art": -1.029,
        "u_blog": -0.2659, "u_doc": -0.3028, "u_forum": 0.0423, "u_list": 1.31, "u_prod": 0.2094,
        "u_root": 0.121, "u_serv": -0.5814, "u_slug": -0.9292,
    },
    "documentation": {
        "a_dens": 0.2736, "art_many": 0.01943, "art_one": 0.1709, "author": -0.3175,
        "b_avg": -0.09827, "b_blocks": 0.1549, "b_head": 0.3918, "b_li": 0.2819, "b_links": 1.68,
        "b_long": 0.01937, "b_run": 0.01968, "b_share": 0.06056, "b_words": 0.1101,
        "buttons": -0.103, "cards": -0.1885, "cart_cls": -0.1211, "code": 0.4509, "d_meta": 0.1059,
        "d_none": 0.239, "d_text": -0.2508, "forms": -0.1219, "forum_cls": -0.08569,
        "heads": -0.1032, "img": -0.1279, "img_links": -0.04662, "ld_art": 0.0573,
        "ld_forum": -0.2029, "ld_none": 0.2265, "ld_other": -0.3631, "ld_prod": -0.2169,
        "li": 0.06547, "md_thread": -0.08464, "names": -0.1019, "og_art": 0.2473,
        "og_none": -0.02723, "og_prod": -0.1086, "og_web": -0.1937, "p_cont": 0.09193,
        "p_cshare": 0.2681, "p_long": -0.07062, "p_mid": 0.1813, "pre": 0.4422, "prices": -0.01262,
        "sects": -0.1071, "t_guide": 0.8501, "time": -0.0545, "u_art": -0.09192, "u_blog": 0.3869,
        "u_doc": 3.036, "u_forum": -0.3019, "u_list": -0.4326, "u_prod": -0.2191, "u_root": -0.5562,
        "u_serv": -0.241, "u_slug": -0.7933,
    },
    "forum": {
        "a_dens": -0.4682, "art_many": -0.03095, "art_one": -0.1205, "author": 0.2303,
        "b_avg": -0.1071, "b_blocks": -0.09733, "b_head": -1.499, "b_li": -0.5682,
        "b_links": 0.6708, "b_long": 0.006207, "b_run": -0.04857, "b_share": 0.02513,
        "b_words": -0.09784, "buttons": -0.01448, "cards": 0.06414, "cart_cls": -0.1129,
        "code": -0.01737, "d_meta": 0.44, "d_none": -0.6211, "d_text": 0.239, "forms": 0.1671,
        "forum_cls": 0.1566, "heads": -0.328, "img": -0.03645, "img_links": -0.08732,
        "ld_art": -0.1376, "ld_forum": 0.9702, "ld_none": 0.0687, "ld_other": 0.02138,
        "ld_prod": -0.2531, "li": -0.08548, "md_thread": 0.6471, "names": 0.2665, "og_art": -0.2109,
        "og_none": 0.3888, "og_prod": -0.2881, "og_web": -0.006191, "p_cont": -0.07339,
        "p_cshare": -0.4243, "p_long": -0.001439, "p_mid": -0.04537, "pre": -0.01938,
        "prices": -0.09781, "sects": -0.03322, "t_guide": 0.02257, "time": 0.3077, "u_art": 0.6165,
        "u_blog": -0.03011, "u_doc": -0.6633, "u_forum": 2.693, "u_list": 0.4492, "u_prod": -0.4329,
        "u_root": 0.0526, "u_serv": -0.2086, "u_slug": 0.8614,
    },
    "listing": {
        "a_dens": 1.138, "art_many": 0.2393, "art_one": 0.06069, "author": 0.5022, "b_avg": 0.2676,
        "b_blocks": -0.02625, "b_head": -0.22, "b_li": 0.4201, "b_links": 2.144, "b_long": -0.2057,
        "b_run": -0.06574, "b_share": -0.07559, "b_words": 0.08413, "buttons": 0.07377,
        "cards": 0.1229, "cart_cls": 0.05479, "code": -0.1059, "d_meta": -0.2195, "d_none": 0.05638,
        "d_text": 0.2461, "forms": 0.2051, "forum_cls": -0.08442, "heads": -0.01024,
        "img": -0.05115, "img_links": 0.1047, "ld_art": 0.0001409, "ld_forum": -0.2894,
        "ld_none": -0.2681, "ld_other": 0.3722, "ld_prod": -0.4375, "li": -0.2052,
        "md_thread": 0.1565, "names": 0.07203, "og_art": 0.08251, "og_none": 0.3937,
        "og_prod": 0.1611, "og_web": -0.1652, "p_cont": 0.03049, "p_cshare": -0.4374,
        "p_long": 0.1064, "p_mid": -0.2257, "pre": -0.1307, "prices": -0.2588, "sects": -0.1962,
        "t_guide": -0.277, "time": 0.2745, "u_art": -0.6597, "u_blog": 0.1679, "u_doc": 0.1834,
        "u_forum": -1.042, "u_list": 0.8797, "u_prod": -0.4806, "u_root": 0.5965, "u_serv": -0.9504,
        "u_slug": -1.551,
    },
    "product": {
        "a_dens": 0.5519, "art_many": 0.0199, "art_one": -0.2979, "author": -0.3448,
        "b_avg": -0.2015, "b_blocks": -0.01174, "b_head": -0.1942, "b_li": -0.09769,
        "b_links": -1.714, "b_long": -0.1089, "b_run": 0.09713, "b_share": 0.04932,
        "b_words": -0.07377, "buttons": 0.1594, "cards": -0.04033, "cart_cls": 0.183,
        "code": -0.00921, "d_meta": -0.2205, "d_none": -0.08354, "d_text": 0.2569, "forms": 0.1981,
        "forum_cls": 0.01558, "heads": 0.07759, "img": 0.2948, "img_links": -0.07824,
        "ld_art": -0.2134, "ld_forum": -0.6633, "ld_none": 0.02655, "ld_other": 0.1443,
        "ld_prod": 2.194, "li": 0.04686, "md_thread": 0.0165, "names": -0.001253, "og_art": -0.1918,
        "og_none": -0.1966, "og_prod": 1.036, "og_web": -0.08536, "p_cont": -0.09986,
        "p_cshare": -0.1661, "p_long": -0.1519, "p_mid": 0.002922, "pre": -0.03111,
        "prices": 0.1994, "sects": 0.03852, "t_guide": -0.3925, "time": -0.09106, "u_art": 1.213,
        "u_blog": -0.2578, "u_doc": -0.2738, "u_forum": 0.7207, "u_list": -1.141, "u_prod": 1.889,
        "u_root": -0.6584, "u_serv": -0.4125, "u_slug": 0.891,
    },
    "service": {
        "a_dens": -0.6397, "art_many": -0.1764, "art_one": -0.2543, "author": -0.3233,
        "b_avg": 0.05942, "b_blocks": 0.06585, "b_head": 1.512, "b_li": -0.4542, "b_links": -0.8898,
        "b_long": -0.08924, "b_run": 0.01003, "b_share": 0.01205, "b_words": 0.07869,
        "buttons": -0.124, "cards": -0.1046, "cart_cls": -0.1323, "code": -0.07631,
        "d_meta": -0.7026, "d_none": 0.08841, "d_text": -0.1058, "forms": -0.3193,
        "forum_cls": 0.06191, "heads": 0.2804, "img": -0.08068, "img_links": -0.2293,
        "ld_art": -0.3523, "ld_forum": 0.09707, "ld_none": -0.09366, "ld_other": 0.4291,
        "ld_prod": -0.1038, "li": 0.2286, "md_thread": 0.1002, "names": -0.1427, "og_art": 0.07716,
        "og_none": -0.5641, "og_prod": -1.275, "og_web": 0.3901, "p_cont": -0.1246,
        "p_cshare": -0.5559, "p_long": -0.1674, "p_mid": 0.2217, "pre": -0.09621, "prices": 0.06102,
        "sects": 0.3626, "t_guide": -0.987, "time": -0.469, "u_art": -0.6827, "u_blog": -0.6076,
        "u_doc": -1.228, "u_forum": -1.188, "u_list": 0.02623, "u_prod": 0.2273, "u_root": 1.29,
        "u_serv": 2.375, "u_slug": 0.07956,
    },
}
BIAS: dict[str, float] = {
    "article": -0.2912, "collection": -0.1011, "documentation": -1.81, "forum": 1.811,
    "listing": 0.6582, "product": -1.484, "service": 1.217}
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
        "t_guide": float(bool(_GUIDE_TITLE.search(page.doc_title))),
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
