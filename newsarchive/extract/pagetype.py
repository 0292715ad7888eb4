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
        "a_dens": -1.142, "art_many": -0.00897, "art_one": 0.8832, "author": 0.5664, "b_avg": 0.02115,
        "b_blocks": 0.1553, "b_head": 0.5338, "b_li": 0.2905, "b_links": -1.14, "b_long": 0.3024, "b_run":
        0.002534, "b_sent": 1.012, "b_share": -0.06444, "b_words": 0.1265, "buttons": -0.1727, "cards":
        0.09093, "cart_cls": -0.1042, "code": -0.1724, "d_meta": 0.7082, "d_none": -0.3782, "d_text": 0.189,
        "forms": -0.3654, "forum_cls": -0.007592, "heads": 0.03654, "img": -0.06894, "img_links": 0.02485,
        "ld_art": 0.796, "ld_forum": -0.1617, "ld_none": 0.2074, "ld_other": -0.9637, "ld_prod": -0.7327,
        "li": -0.1078, "md_thread": -0.3976, "names": 0.09676, "og_art": 0.428, "og_none": -0.293, "og_prod":
        -0.6185, "og_web": 0.04504, "p_cont": 0.105, "p_cshare": 1.188, "p_long": 0.2546, "p_mid": -0.1328,
        "pager": -0.469, "pre": -0.04425, "prices": -0.1403, "related": 0.4816, "sects": 0.05487, "t_guide":
        0.9864, "time": 0.0831, "u_art": 0.6918, "u_blog": 0.5789, "u_doc": -0.8612, "u_forum": -1.002,
        "u_list": -1.096, "u_prod": -1.292, "u_root": -0.9583, "u_serv": -0.01392, "u_slug": 1.265,
    },
    "collection": {
        "a_dens": 0.4654, "art_many": -0.07307, "art_one": -0.4544, "author": -0.3107, "b_avg": 0.1307,
        "b_blocks": -0.2064, "b_head": -0.9818, "b_li": 0.2006, "b_links": -0.7205, "b_long": 0.09395,
        "b_run": -0.0539, "b_sent": -0.006735, "b_share": -0.01672, "b_words": -0.1818, "buttons": 0.1791,
        "cards": 0.02272, "cart_cls": 0.2244, "code": -0.05644, "d_meta": -0.08848, "d_none": 0.6859,
        "d_text": -0.5719, "forms": 0.2324, "forum_cls": -0.05467, "heads": 0.03226, "img": 0.09587,
        "img_links": 0.3248, "ld_art": -0.2226, "ld_forum": 0.2703, "ld_none": -0.1371, "ld_other": 0.3794,
        "ld_prod": -0.4583, "li": 0.04451, "md_thread": -0.4241, "names": -0.175, "og_art": -0.4598,
        "og_none": 0.3246, "og_prod": 1.127, "og_web": 0.07029, "p_cont": 0.04123, "p_cshare": 0.09586,
        "p_long": -0.03342, "p_mid": -0.01398, "pager": 0.2835, "pre": -0.09659, "prices": 0.2547, "related":
        -0.7294, "sects": -0.1085, "t_guide": -0.173, "time": -0.04623, "u_art": -1.041, "u_blog": -0.3022,
        "u_doc": -0.275, "u_forum": -0.03794, "u_list": 1.301, "u_prod": 0.2178, "u_root": 0.1724, "u_serv":
        -0.5771, "u_slug": -0.7386,
    },
    "documentation": {
        "a_dens": 0.3266, "art_many": 0.02223, "art_one": 0.1665, "author": -0.3204, "b_avg": -0.09981,
        "b_blocks": 0.1659, "b_head": 0.2049, "b_li": 0.2818, "b_links": 1.575, "b_long": 0.007452, "b_run":
        0.01307, "b_sent": 0.231, "b_share": 0.06359, "b_words": 0.1209, "buttons": -0.09814, "cards":
        -0.1833, "cart_cls": -0.1165, "code": 0.4469, "d_meta": 0.09745, "d_none": 0.2324, "d_text": -0.2379,
        "forms": -0.116, "forum_cls": -0.08688, "heads": -0.1037, "img": -0.1272, "img_links": -0.04279,
        "ld_art": 0.07015, "ld_forum": -0.2036, "ld_none": 0.2279, "ld_other": -0.3761, "ld_prod": -0.2087,
        "li": 0.0651, "md_thread": -0.08975, "names": -0.09922, "og_art": 0.2436, "og_none": -0.03504,
        "og_prod": -0.1031, "og_web": -0.1852, "p_cont": 0.08903, "p_cshare": 0.2848, "p_long": -0.07389,
        "p_mid": 0.1661, "pager": -0.07683, "pre": 0.4234, "prices": -0.01863, "related": 0.2245, "sects":
        -0.1146, "t_guide": 0.8373, "time": -0.05383, "u_art": -0.1133, "u_blog": 0.3853, "u_doc": 3.05,
        "u_forum": -0.2935, "u_list": -0.4183, "u_prod": -0.2349, "u_root": -0.5545, "u_serv": -0.2259,
        "u_slug": -0.7862,
    },
    "forum": {
        "a_dens": -0.4954, "art_many": -0.02096, "art_one": -0.1276, "author": 0.254, "b_avg": -0.1098,
        "b_blocks": -0.1095, "b_head": -1.618, "b_li": -0.568, "b_links": 0.6803, "b_long": -0.002367,
        "b_run": -0.03434, "b_sent": 0.0216, "b_share": 0.02389, "b_words": -0.111, "buttons": -0.01951,
        "cards": 0.05874, "cart_cls": -0.1133, "code": -0.01489, "d_meta": 0.4468, "d_none": -0.6074,
        "d_text": 0.2166, "forms": 0.1659, "forum_cls": 0.1462, "heads": -0.3235, "img": -0.03734,
        "img_links": -0.08358, "ld_art": -0.1322, "ld_forum": 0.9088, "ld_none": 0.0625, "ld_other": 0.02545,
        "ld_prod": -0.2413, "li": -0.08987, "md_thread": 0.6464, "names": 0.2649, "og_art": -0.2317,
        "og_none": 0.3717, "og_prod": -0.2922, "og_web": 0.031, "p_cont": -0.07001, "p_cshare": -0.4086,
        "p_long": -0.007171, "p_mid": -0.04257, "pager": 0.231, "pre": -0.01344, "prices": -0.09406,
        "related": 0.156, "sects": -0.03229, "t_guide": 0.007468, "time": 0.2988, "u_art": 0.6027, "u_blog":
        -0.01619, "u_doc": -0.6927, "u_forum": 2.685, "u_list": 0.4271, "u_prod": -0.4019, "u_root": 0.08773,
        "u_serv": -0.2172, "u_slug": 0.868,
    },
    "listing": {
        "a_dens": 0.9166, "art_many": 0.2506, "art_one": 0.09299, "author": 0.44, "b_avg": 0.2556, "b_blocks":
        -0.0666, "b_head": 0.288, "b_li": 0.4813, "b_links": 2.166, "b_long": -0.1746, "b_run": -0.05152,
        "b_sent": -0.7421, "b_share": -0.07522, "b_words": 0.06023, "buttons": 0.07385, "cards": 0.1297,
        "cart_cls": 0.04497, "code": -0.1094, "d_meta": -0.2457, "d_none": 0.07743, "d_text": 0.2787, "forms":
        0.2294, "forum_cls": -0.08456, "heads": -0.02509, "img": -0.04338, "img_links": 0.1136, "ld_art":
        0.04813, "ld_forum": -0.2586, "ld_none": -0.2893, "ld_other": 0.361, "ld_prod": -0.5172, "li":
        -0.1954, "md_thread": 0.1737, "names": 0.05104, "og_art": 0.1491, "og_none": 0.3273, "og_prod":
        0.08889, "og_web": -0.2198, "p_cont": 0.03991, "p_cshare": -0.4001, "p_long": 0.1289, "p_mid":
        -0.1936, "pager": 0.3591, "pre": -0.1423, "prices": -0.2535, "related": -0.6477, "sects": -0.1723,
        "t_guide": -0.3268, "time": 0.2724, "u_art": -0.6635, "u_blog": 0.1967, "u_doc": 0.2925, "u_forum":
        -1.029, "u_list": 0.9056, "u_prod": -0.335, "u_root": 0.6951, "u_serv": -0.8849, "u_slug": -1.502,
    },
    "product": {
        "a_dens": 0.4736, "art_many": 0.01347, "art_one": -0.2865, "author": -0.3203, "b_avg": -0.2407,
        "b_blocks": 0.02417, "b_head": 0.1416, "b_li": -0.267, "b_links": -1.614, "b_long": -0.1163, "b_run":
        0.1087, "b_sent": -0.4886, "b_share": 0.05404, "b_words": -0.06352, "buttons": 0.1655, "cards":
        -0.01315, "cart_cls": 0.1789, "code": -0.02073, "d_meta": -0.2287, "d_none": -0.06748, "d_text":
        0.2416, "forms": 0.1936, "forum_cls": 0.02557, "heads": 0.08665, "img": 0.2593, "img_links": -0.1162,
        "ld_art": -0.1978, "ld_forum": -0.6463, "ld_none": 0.003711, "ld_other": 0.1627, "ld_prod": 2.181,
        "li": 0.06123, "md_thread": 0.01846, "names": -0.01295, "og_art": -0.1978, "og_none": -0.1056,
        "og_prod": 1.086, "og_web": -0.1067, "p_cont": -0.08858, "p_cshare": -0.1589, "p_long": -0.1383,
        "p_mid": -0.01933, "pager": 0.04378, "pre": -0.03341, "prices": 0.2002, "related": 0.6797, "sects":
        0.01324, "t_guide": -0.3467, "time": -0.09809, "u_art": 1.171, "u_blog": -0.2462, "u_doc": -0.2809,
        "u_forum": 0.757, "u_list": -1.057, "u_prod": 1.872, "u_root": -0.6563, "u_serv": -0.4684, "u_slug":
        0.7912,
    },
    "service": {
        "a_dens": -0.5449, "art_many": -0.1833, "art_one": -0.2742, "author": -0.309, "b_avg": 0.04286,
        "b_blocks": 0.03712, "b_head": 1.431, "b_li": -0.4192, "b_links": -0.9464, "b_long": -0.1105, "b_run":
        0.01547, "b_sent": -0.02719, "b_share": 0.01487, "b_words": 0.04862, "buttons": -0.128, "cards":
        -0.1056, "cart_cls": -0.1142, "code": -0.073, "d_meta": -0.6896, "d_none": 0.05729, "d_text": -0.1161,
        "forms": -0.3399, "forum_cls": 0.06198, "heads": 0.2968, "img": -0.07827, "img_links": -0.2206,
        "ld_art": -0.3616, "ld_forum": 0.09106, "ld_none": -0.07512, "ld_other": 0.4112, "ld_prod": -0.02313,
        "li": 0.2221, "md_thread": 0.07282, "names": -0.1255, "og_art": 0.06867, "og_none": -0.59, "og_prod":
        -1.288, "og_web": 0.3654, "p_cont": -0.1165, "p_cshare": -0.6016, "p_long": -0.1307, "p_mid": 0.2361,
        "pager": -0.3714, "pre": -0.0934, "prices": 0.05157, "related": -0.1646, "sects": 0.3595, "t_guide":
        -0.9847, "time": -0.4562, "u_art": -0.6472, "u_blog": -0.5963, "u_doc": -1.233, "u_forum": -1.08,
        "u_list": -0.06221, "u_prod": 0.1736, "u_root": 1.214, "u_serv": 2.387, "u_slug": 0.1023,
    },
}
BIAS: dict[str, float] = {
    "article": -0.8651, "collection": -0.3899, "documentation": -1.96, "forum": 1.881, "listing": 1.113,
    "product": -1.318, "service": 1.54}
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
