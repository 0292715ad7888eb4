"""The body passes: one fast trafilatura run when it is good, more runs only when it is poor;
and the page-type vote on pages that are not articles."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract import extract
from newsarchive.extract.body import extract_body
from newsarchive.extract.signals import page_signals, scan_page
from tests.pages import lorem_paragraphs, publisher_page

URL = "https://news.example/2024/05/01/harbour-plan-approved-after-long-debate/"


def _signals(html: str):  # noqa: ANN202
    tree = LexborHTMLParser(html)
    return page_signals(tree, scan_page(tree))


def test_good_first_pass_is_the_only_pass() -> None:
    rec = extract(publisher_page("Harbour plan approved", lorem_paragraphs(3)), URL)
    assert rec.is_article and rec.metadata["body_mode"] == "fast"
    assert rec.word_count > 100


def test_poor_first_pass_falls_back_to_recall_on_the_raw_page() -> None:
    raw = publisher_page("Harbour plan approved", lorem_paragraphs(4))
    gutted = "<html><body><article><p>" + "Only a short stub survived the cleaning. " * 3 + "</p></article></body></html>"
    chosen = extract_body(gutted, raw, URL, _signals(raw))
    assert chosen is not None and chosen.mode == "raw-recall"
    assert lorem_paragraphs(4)[2][:60] in chosen.text


def test_signals_count_page_shape() -> None:
    html = ("<html><body><div class='post reply'><span class='username'>ann</span><p>hi</p></div>"
            "<div class='product-price'>$12.50</div><pre><code>x = 1</code></pre>"
            "<p>" + "word " * 45 + "</p><a href='/a'>one two three</a></body></html>")
    sig = _signals(html)
    assert sig.long_paragraphs == 1 and sig.link_words == 3
    assert sig.forum_classes == 2 and sig.cart_classes == 1 and sig.prices == 1
    assert sig.pre == 1 and sig.code == 1


def test_listing_with_long_intro_is_not_an_article() -> None:
    teasers = "".join(f'<li><h3><a href="/2024/05/0{i}/story-{i}/">Story number {i} of the week</a></h3></li>'
                      for i in range(1, 10))
    intro = " ".join(lorem_paragraphs(5, 1))
    page = (f"<html><head><title>News</title><meta property='og:type' content='website'></head><body>"
            f"<h1>News</h1><p>{intro}</p><ul>{teasers}</ul></body></html>")
    rec = extract(page, "https://news.example/category/news/")
    assert not rec.is_article and rec.reason


def test_a_page_the_site_lists_in_its_feed_counts_as_an_article() -> None:
    """A service-shaped page (sections of a heading, a blurb and a call to action) at a
    service URL is no article on its own; listed as an item of the site's feed or sitemap
    it is, and the feed's date is traced to the feed."""
    from newsarchive.extract import ExtractOptions, extract
    from tests.pages import lorem_paragraphs

    sections = "".join(f"<section><h2>What we do, part {i}</h2><p>{p}</p>"
                       f"<a class='btn' href='/contact/'>Talk to us</a></section>"
                       for i, p in enumerate(lorem_paragraphs(4, 1), 1))
    html = ("<html><head><title>Our approach to river restoration</title></head><body>"
            "<nav><a href='/'>Home</a><a href='/services/'>Services</a></nav>"
            f"<h1>Our approach to river restoration</h1>{sections}</body></html>")
    url = "https://green.example/services/river-restoration"
    alone = extract(html, url)
    assert not alone.is_article and alone.page_type == "service"
    for source in ("feed", "sitemap"):
        listed = extract(html, url, ExtractOptions(
            hints={"source": source, "published_at": "2024-05-01T08:00:00+00:00"}))
        assert listed.is_article and listed.page_type == "article"
        assert listed.published_at is not None and listed.published_at.year == 2024
        assert listed.metadata["date_sources"]["published_at"] == source
    assert not extract(html, url, ExtractOptions(hints={"source": "page"})).is_article


def test_comments_and_related_posts_do_not_force_extra_passes() -> None:
    """A page whose reader comments hold as much prose as the article: the fast pass's body
    is judged against the prose left after pre-cleaning, so it stands (no second pass)."""
    from newsarchive.extract import extract
    from tests.pages import SEED_PARAGRAPHS, lorem_paragraphs, seed_page

    comments = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<b class="fn">Reader {i}</b></footer><div class="comment-content"><p>{text}</p>'
        f"</div></article></li>" for i, text in enumerate(lorem_paragraphs(7, 12)))
    page = seed_page().replace('<div id="respond"',
                               f'<ol class="comment-list">{comments}</ol><div id="respond"')
    record = extract(page, "https://worldnews.example/2022/03/01/russian-convoy/")
    assert record.metadata["body_mode"] == "fast"
    assert SEED_PARAGRAPHS[-1] in record.text and "Reader 3" not in record.text
    assert "paragraph 3" not in record.text  # no comment reached the body


def test_body_links_resolve_against_the_page_and_scheme_less_images_stay_https() -> None:
    """A relative link is the page's neighbour, as in a browser (trafilatura resolved it
    against the site's root); an image given as //host/... on an https page stays https."""
    paragraphs = [f"<p>{p}</p>" for p in lorem_paragraphs(6, 5)]
    paragraphs[1] = paragraphs[1].replace("<p>", '<p>See <a href="part-two/">the second part</a> and '
                                          '<a href="#notes">the notes</a>. ', 1)
    paragraphs.insert(2, '<figure><img src="//cdn.news.example/harbour.jpg" alt="The harbour"></figure>')
    page = (f"<html><head><title>Harbour plan approved</title></head><body><article>"
            f"<h1>Harbour plan approved</h1>{''.join(paragraphs)}</article></body></html>")
    rec = extract(page, URL)
    assert f'href="{URL}part-two/"' in rec.html
    assert f'href="{URL}#notes"' in rec.html
    assert 'src="https://cdn.news.example/harbour.jpg"' in rec.html


def test_our_parser_is_used_for_our_runs_only() -> None:
    # trafilatura parses our pages with lxml's C-level class lookup; anyone else calling
    # trafilatura in the process (the benchmark's baseline) gets the parser it ships with
    from lxml import etree
    from trafilatura import core, utils

    from newsarchive.extract import body

    shipped = utils.HTML_PARSER
    seen: list[object] = []
    real = core.load_html  # trafilatura's extraction calls the name it imported

    def spy(htmlobject: object, max_size: int | None = None) -> object:
        seen.append(utils.HTML_PARSER)
        return real(htmlobject, max_size)

    core.load_html = spy  # type: ignore[assignment]
    try:
        page = "<html><body><article>" + "<p>A sentence of the story, long enough.</p>" * 12
        assert body.run_mode(page + "</article></body></html>", None, "fast") is not None
    finally:
        core.load_html = real
    assert seen and all(p is body._PARSER for p in seen)
    assert utils.HTML_PARSER is shipped
    tree = etree.fromstring("<html><body><p>x</p></body></html>", body._PARSER)
    assert type(tree).__name__ == "HtmlElement"
