"""Page type: the shape cues read from the raw page, and the vote that uses them."""

from __future__ import annotations

import math
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.metadata import read_meta
from newsarchive.extract.pagetype import WEIGHTS, features
from newsarchive.extract.signals import _LINE_HINTS, page_signals, scan_page
from tests.pages import lorem_paragraphs


def _signals(html: str):  # noqa: ANN202
    tree = LexborHTMLParser(html)
    return page_signals(tree, scan_page(tree))


def _cards(n: int) -> str:
    return "".join(f'<div class="card"><a href="/2024/05/{i:02d}/story-{i}/"><img src="/t{i}.jpg" alt="">'
                   f"<h3>Story number {i} of the week</h3></a><p>A short blurb about story {i}.</p></div>"
                   for i in range(1, n + 1))


def test_prose_container_counts_the_paragraphs_one_parent_holds() -> None:
    paras = lorem_paragraphs(1, 3)
    html = (f"<body><div class='story'>{''.join(f'<p>{p}</p>' for p in paras)}</div>"
            "<aside><p>one two three</p></aside></body>")
    sig = _signals(html)
    assert sig.prose_container_words == sum(len(p.split()) for p in paras)
    assert sig.paragraph_words == sig.prose_container_words + 3


def test_repeated_cards_buttons_articles_and_author_names_are_counted() -> None:
    html = (f"<body><main>{_cards(5)}</main>"
            "<ul class='menu'><li><a href='/'>Home</a></li><li><a href='/a'>A</a></li></ul>"
            "<article><span class='author-name'>Ann Lee</span></article>"
            "<article><span class='author-name'>Bo Chen</span></article>"
            "<a class='btn btn-primary' href='/buy'>Buy</a><button>Go</button></body>")
    sig = _signals(html)
    assert sig.cards == 5  # the menu repeats too, but holds no heading or image
    assert sig.article_tags == 2 and sig.author_names == 2
    assert sig.buttons == 2 and sig.image_links == 5 and sig.headings == 5


def test_every_cue_has_a_fitted_weight() -> None:
    html = "<html><head><title>T</title></head><body><p>Words here.</p></body></html>"
    tree = LexborHTMLParser(html)
    cues = features(read_meta(tree), "https://example.org/a", [], None, False,
                    page_signals(tree, scan_page(tree)))
    assert all(set(cues) == set(weights) for weights in WEIGHTS.values())


def test_a_dateline_counts_as_a_date_read_from_the_text() -> None:
    # the weights were fitted when htmldate found these dates ("text"); a labelled dateline
    # found first must give the model the same cue, not an unseen all-zero date
    html = "<html><head><title>T</title></head><body><p>Words here.</p></body></html>"
    tree = LexborHTMLParser(html)
    signals = page_signals(tree, scan_page(tree))
    for source in ("text", "dateline"):
        got = features(read_meta(tree), "https://example.org/a", [], source, False, signals)
        assert (got["d_text"], got["d_meta"], got["d_none"]) == (1.0, 0.0, 0.0)


def cue(url: str, name: str) -> float:
    """One URL cue of a minimal page at ``url``."""
    tree = LexborHTMLParser("<html><head><title>T</title></head><body><p>Words here.</p></body></html>")
    return features(read_meta(tree), url, [], None, False, page_signals(tree, scan_page(tree)))[name]


def test_a_subdomain_says_what_a_path_would() -> None:
    assert cue("https://docs.example.org/guides/auth", "u_doc") == 1.0
    assert cue("https://forum.example.org/some-thread-title", "u_forum") == 1.0
    assert cue("https://store.example.org/red-shoes", "u_prod") == 1.0
    assert cue("https://example.org/guides/auth", "u_doc") == 0.0
    assert cue("https://docs.org/guides/auth", "u_doc") == 0.0  # a registered name, not a subdomain


def test_post_and_subject_paths_are_not_shop_or_forum_paths() -> None:
    """Substack-style /p/ posts and /topic/ subject pages are not products and threads;
    a numbered /topic/ is still a forum thread."""
    assert cue("https://writer.substack.com/p/new-ways-to-corrupt-llms", "u_prod") == 0.0
    assert cue("https://www.example.com/products/red-shoes", "u_prod") == 1.0
    assert cue("https://www.britannica.com/topic/history-of-coffee", "u_forum") == 0.0
    assert cue("https://linustips.example.com/topic/1571202-editing-pc-build/", "u_forum") == 1.0
    assert cue("https://www.example.org/topic/18427/rc1-of-v4", "u_forum") == 1.0


def test_a_grid_of_cards_is_a_listing_and_a_story_is_an_article() -> None:
    intro = lorem_paragraphs(2, 1)[0]
    listing = (f"<html><head><title>Latest</title></head><body><h1>Latest</h1><p>{intro}</p>"
               f"<section class='grid'>{_cards(12)}</section></body></html>")
    rec = extract(listing, "https://news.example/latest/")
    assert not rec.is_article and rec.reason

    paras = "".join(f"<p>{p}</p>" for p in lorem_paragraphs(5, 8))
    story = ("<html><head><title>Harbor storm closes the bridge</title>"
             "<meta property='og:type' content='article'>"
             "<meta property='article:published_time' content='2024-05-02T09:00:00Z'></head><body>"
             "<article><h1>Harbor storm closes the bridge</h1><p class='byline'>By Ann Lee</p>"
             f"<div class='story-body'>{paras}</div></article></body></html>")
    rec = extract(story, "https://news.example/2024/05/02/harbor-storm-closes-the-bridge/")
    assert rec.is_article and rec.page_type == "article"


def test_the_verdict_scores_the_same_cues_the_weights_were_fitted_on() -> None:
    """classify scores exactly the cues the fitting script fits, no more, no less."""
    from newsarchive.extract.clean_html import Block
    from newsarchive.extract.pagetype import BIAS, classify

    html = f"<html><head><title>Latest</title></head><body>{_cards(8)}</body></html>"
    tree = LexborHTMLParser(html)
    meta, sig = read_meta(tree), page_signals(tree, scan_page(tree))
    blocks = [Block("p", p, f"<p>{p}</p>") for p in lorem_paragraphs(3, 2)]
    cues = features(meta, "https://news.example/latest/", blocks, None, False, sig)
    verdict = classify(meta, "https://news.example/latest/", blocks, None, False, sig, 8)
    scores = {kind: BIAS[kind] + sum(w[k] * v for k, v in cues.items()) for kind, w in WEIGHTS.items()}
    p_article = math.exp(scores["article"]) / sum(math.exp(s) for s in scores.values())
    assert math.isclose(verdict.score, math.log(p_article / (1 - p_article)), abs_tol=1e-9)
    assert not verdict.is_article and verdict.page_type != "article"


def test_microdata_replies_are_posts_of_a_thread() -> None:
    """Comment/Answer items (any schema.org spelling) count; the thread's own Article does not."""
    replies = "".join(f'<div itemprop="comment" itemscope itemtype="{t}"><p>Reply {i}</p></div>'
                      for i, t in enumerate(["https://schema.org/Comment", "http://schema.org/Answer",
                                             "https://schema.org/DiscussionForumPosting/"]))
    html = f'<body><div itemscope itemtype="https://schema.org/Article">{replies}</div></body>'
    assert _signals(html).thread_items == 3
    assert _signals("<body><p>No microdata</p></body>").thread_items == 0


def test_a_schema_type_that_is_no_article_is_its_own_cue() -> None:
    def ld(types: str) -> float:
        html = (f'<html><head><script type="application/ld+json">{{"@type": {types}}}</script></head>'
                "<body><p>Words here.</p></body></html>")
        tree = LexborHTMLParser(html)
        return features(read_meta(tree), "https://example.org/a", [], None, False,
                        page_signals(tree, scan_page(tree)))["ld_other"]

    assert ld('"CollectionPage"') == 1.0
    assert ld('["WebPage", "NewsArticle"]') == 0.0


@pytest.mark.parametrize("pattern", list(_LINE_HINTS))
def test_every_word_a_class_pattern_finds_holds_its_hint(pattern: re.Pattern[str]) -> None:
    """The cheap hint searched first must not rule out a line the pattern would count: each
    alternative word of the pattern, as a class name, passes both."""
    words = re.findall(r"[a-z]+(?:-\?[a-z]+)*(?:-\?\(\?:[a-z|]+\))?", pattern.pattern)
    lines = [w.replace("-?", "-") for w in words]
    lines = [line.replace("(?:", "").split("|")[0].rstrip(")") for line in lines]
    assert len(lines) >= 3  # noqa: PLR2004  (the parse found the words)
    for line in lines:
        assert pattern.search(line), line
        assert _LINE_HINTS[pattern].search(line), line


def test_a_title_that_promises_a_guide_is_its_own_cue() -> None:
    def t_guide(title: str) -> float:
        tree = LexborHTMLParser(f"<html><head><title>{title}</title></head><body><p>Words.</p></body></html>")
        return features(read_meta(tree), "https://example.org/a", [], None, False,
                        page_signals(tree, scan_page(tree)))["t_guide"]

    assert t_guide("How to Choose a Heat Pump | Acme Heating") == 1.0
    assert t_guide("What Is SEO? The Beginner's Guide") == 1.0
    assert t_guide("10 Tips for a Quieter Home") == 1.0
    assert t_guide("Heat Pump Installation | Acme Heating") == 0.0
    assert t_guide("Submission guidelines") == 0.0  # a whole word, not a prefix


@pytest.mark.parametrize("sections", [2, 4, 6])
def test_a_guide_on_a_company_site_is_an_article_and_its_service_page_is_not(sections: int) -> None:
    """The same shape of page (sections, selling points, a button, no date, og:type website)
    on a company's site: a how-to title tips it to an article; a plain service name leaves it
    a service page."""
    def page(title: str) -> str:
        body = "".join(f"<section><h2>Part {i}</h2><p>{p}</p></section>"
                       for i, p in enumerate(lorem_paragraphs(3, sections)))
        return (f"<html><head><title>{title} | Acme Heating</title>"
                "<meta property='og:type' content='website'></head><body>"
                "<nav><a href='/'>Home</a><a href='/services/'>Services</a><a href='/contact/'>Contact</a></nav>"
                f"<main><h1>{title}</h1>{body}<ul><li>Free estimates</li><li>Licensed and insured</li>"
                "<li>Same-day service</li></ul><a class='btn' href='/contact/'>Get a quote</a></main>"
                "</body></html>")

    url = "https://acme-heating.example/heat-pumps/"
    assert extract(page("How to Choose a Heat Pump"), url).is_article
    rec = extract(page("Heat Pump Installation"), url)
    assert not rec.is_article and rec.page_type == "service"
