"""The body does not open with the headline in another wording (a meta title, a label or the
site's name beside it), and a first paragraph that merely opens with the headline stays."""

from __future__ import annotations

import pytest

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs

HEADLINE = "How the harbour ferries changed the town"


def _page(head: str, first_line: str, paras: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head>{head}</head><body><h1>{HEADLINE}</h1><article>"
            f"<div class='lead'><img src='/ferry.jpg' alt=''><p>{first_line}</p></div>{body}"
            "</article></body></html>")


@pytest.mark.parametrize("first_line", [
    "How the Harbour Ferries Changed the Town",  # case
    "How the harbour ferries changed the town!",  # punctuation
    "How the harbour ferries changed the town | Opinion",  # a section after a pipe
    "Blog: How the harbour ferries changed the town",  # a label
    "How the harbour ferries changed the town / Dec 2025",  # a date
])
def test_a_reworded_copy_of_the_headline_leaves_the_body(first_line: str) -> None:
    paras = lorem_paragraphs(61, 5)
    article = extract(_page("<title>How the harbour ferries changed the town</title>", first_line, paras),
                      "https://example.org/ferries")
    assert article.title == HEADLINE
    assert article.text.split("\n\n")[0] == paras[0]


def test_the_og_title_in_the_first_line_leaves_the_body() -> None:
    paras = lorem_paragraphs(62, 5)
    og = "Ferries and the town: a century on the water"
    head = f"<meta property='og:title' content='{og}'><title>{og} | The Harbour Times</title>"
    article = extract(_page(head, og, paras), "https://example.org/ferries")
    assert article.text.split("\n\n")[0] == paras[0]


def test_a_first_paragraph_that_opens_with_the_headline_stays() -> None:
    paras = lorem_paragraphs(63, 5)
    opener = (f"{HEADLINE}: that is the question this series asks, over ten weeks of interviews "
              "with the crews, the harbour masters and the people who ride them each day.")
    article = extract(_page(f"<title>{HEADLINE}</title>", opener, paras), "https://example.org/ferries")
    assert article.text.split("\n\n")[0] == opener


def test_a_headline_copy_below_a_short_kicker_leaves_with_it() -> None:
    paras = lorem_paragraphs(64, 5)
    lead = f"The Harbour Blog</p><p>{HEADLINE}"
    article = extract(_page(f"<title>{HEADLINE}</title>", lead, paras), "https://example.org/ferries")
    assert article.text.split("\n\n")[0] == paras[0]


def test_a_headline_copy_below_a_paragraph_stays() -> None:
    paras = lorem_paragraphs(65, 5)
    lead = f"{paras[0]}</p><p>{HEADLINE}"
    article = extract(_page(f"<title>{HEADLINE}</title>", lead, paras[1:]), "https://example.org/ferries")
    assert article.text.split("\n\n")[:2] == [paras[0], HEADLINE]
