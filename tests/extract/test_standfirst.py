"""A standfirst that a theme puts in the article's own <header> is the article's first paragraph:
the rule that drops small <header> elements (the page's header) leaves it."""

from __future__ import annotations

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs


def test_a_standfirst_in_the_articles_header_stays_and_the_site_header_goes() -> None:
    paras = lorem_paragraphs(64, 6)
    intro = ("When it comes to choosing a ferry route, it is important to understand the difference "
             "between the old harbour line and the new express service, and what each may offer you.")
    page = ("<html><head><title>Ferry routes compared</title></head><body>"
            "<header><a href='/'>The Harbour Times</a><p>News you can use, every day</p></header>"
            "<h1>Ferry routes compared</h1><div class='node'><header class='top'><div class='field'>"
            f"<p>{intro}</p></div></header><div>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</div></div></body></html>")
    article = extract(page, "https://example.org/routes")
    assert intro in article.text
    assert "News you can use" not in article.text
