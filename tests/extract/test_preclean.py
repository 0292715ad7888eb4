"""Pre-cleaning keeps the article when its markup looks like boilerplate."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from newsarchive.extract.boilerplate import preclean
from tests.pages import lorem_paragraphs


def _cleaned_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    preclean(tree)
    return tree.body.text(separator=" ") if tree.body else ""


def test_component_library_prefixes_are_not_consent_banners() -> None:
    """'cmp-' prefixes every component of some site builders, the article text included."""
    lead, paras = " ".join(lorem_paragraphs(3, 3)), lorem_paragraphs(4, 2)
    blocks = "".join(f"<div class='cmp-container'><div class='cmp-richtext'><p>{p}</p></div></div>" for p in paras)
    page = (f"<html><body><div class='lead'><p>{lead}</p></div>{blocks}"
            "<div class='cookie-consent'><p>We use cookies to improve your experience.</p></div></body></html>")
    text = _cleaned_text(page)
    assert all(p[:50] in text for p in paras)
    assert "We use cookies" not in text


def test_block_with_most_of_the_prose_survives_a_footer_like_class() -> None:
    """Many short entries, each in its own box: the intro's box looks like the main block,
    but the mislabelled wrapper holds most of the page's paragraphs."""
    intro = " ".join(lorem_paragraphs(2, 2))
    entries = "".join(f"<div class='entry'><h3>Place {i}</h3><p>{lorem_paragraphs(i, 1)[0]}</p></div>"
                      for i in range(12))
    page = (f"<html><body><div class='intro'><p>{intro}</p></div><div class='page1-footer'>{entries}</div>"
            "<footer class='site-footer'><p>All rights reserved.</p></footer></body></html>")
    text = _cleaned_text(page)
    assert "Place 7" in text and "Place 11" in text
    assert "All rights reserved" not in text


def test_heading_anchor_ids_made_from_the_text_are_not_component_names() -> None:
    """WordPress makes a heading's id from its words: 'social' in it names no share bar."""
    paras = lorem_paragraphs(5, 4)
    page = ("<html><body><article>"
            f"<p>{paras[0]}</p><h2 id='h-what-is-social-shopping'>What is Social Shopping?</h2>"
            f"<p>{paras[1]}</p><h3 id='h-how-to-use-social-shopping-for-your-brand'>How to use it</h3>"
            f"<p>{paras[2]}</p><div class='social-share-buttons-wrapper'>Share on social media</div>"
            f"<div id='related-posts'><p>Related: another story</p></div><p>{paras[3]}</p>"
            "</article></body></html>")
    text = _cleaned_text(page)
    assert "What is Social Shopping?" in text
    assert "How to use it" not in text  # its id is not made from its text
    assert "Share on social media" not in text and "another story" not in text


def test_figure_captions_and_credits_are_not_article_paragraphs() -> None:
    paras = lorem_paragraphs(6, 2)
    page = ("<html><body><article>"
            f"<p>{paras[0]}</p><figure><img src='a.jpg' alt='The quay'><figcaption><div><p>The new "
            "quay at dawn.</p></div><p>Image: Harbour Board</p></figcaption></figure>"
            f"<p>{paras[1]}</p></article></body></html>")
    text = _cleaned_text(page)
    assert paras[0][:50] in text and paras[1][:50] in text
    assert "quay at dawn" not in text and "Harbour Board" not in text


def test_a_header_wrapping_a_section_heading_is_kept_and_the_site_header_is_not() -> None:
    paras = lorem_paragraphs(7, 3)
    page = ("<html><body><header><a href='/'>Logo</a><h2>The Harbour Times</h2><p>News you "
            "can use, every day of the week</p></header><article>"
            f"<p>{paras[0]}</p><section><header><h3>Ferries and parking</h3></header>"
            f"<p>{paras[1]}</p></section><p>{paras[2]}</p></article></body></html>")
    text = _cleaned_text(page)
    assert "Ferries and parking" in text
    assert "News you can use" not in text


def test_footnote_marks_linking_to_notes_go_and_other_superscripts_stay() -> None:
    paras = lorem_paragraphs(8, 2)
    page = ("<html><body><article>"
            f"<p>{paras[0]} The fund grew fast<sup class='fn'> <a href='#notes'>2</a> </sup>. "
            "Its area is 40 m<sup>2</sup> and it cites <sup><a href='#n3'>[3]</a></sup> a study.</p>"
            f"<p>{paras[1]}</p></article></body></html>")
    text = " ".join(_cleaned_text(page).split())
    assert "The fund grew fast ." in text
    assert "40 m 2 and it cites a study." in text
