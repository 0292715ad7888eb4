"""A closing-section line in the second half of the body ends the article text."""

from __future__ import annotations

from newsarchive.extract.clean_html import Block
from newsarchive.extract.filters import filter_blocks
from tests.pages import lorem_paragraphs


def _texts(lines: list[str]) -> list[str]:
    kept, _ = filter_blocks([Block("p", t, t) for t in lines], None, {})
    return [b.text for b in kept]


def test_related_articles_and_the_author_bio_after_the_article_leave_the_text() -> None:
    paras = lorem_paragraphs(8, 3)
    assert _texts([*paras, "Related Articles:", "Ten ways to cross the harbour",
                   "Why the ferry is late again"]) == paras
    assert _texts([*paras, "About the Author", "Jane Roe writes about transport."]) == paras


def test_a_closing_line_high_up_or_inside_a_sentence_is_content() -> None:
    paras = lorem_paragraphs(9, 3)
    early = [paras[0], "Related articles", paras[1], paras[2]]
    assert _texts(early) == paras  # the line itself is boilerplate, what follows is not
    sentence = [*paras, "Related articles in the council's archive show the plan is old."]
    assert _texts(sentence) == sentence
    references = [*paras, "References", "Doe J. Harbours. 2020."]
    assert _texts(references) == references


def test_more_closing_lines_and_a_legal_notice_end_the_text() -> None:
    paras = lorem_paragraphs(10, 4)
    for opener in ("Discover more from Harbour Weekly", "Learn More in Our Ferry Series:",
                   "This might be interesting to you:",
                   "Harbour Guides To Check Out", "Meet the testers", "Media Contact",
                   "Featured Resources", "More book recommendations:", "Related content:",
                   "Related articles that may interest you", "Up Next", "More Helpful Articles by Harbour Weekly:",
                   "Like What You're Reading? Subscribe To The Newsletter!", "Topics covered"):
        assert _texts([*paras, opener, "Ten ways to cross the harbour"]) == paras, opener
    notice = ("Disclaimer: The information contained herein is for informational purposes only "
              "and is not legal advice.")
    assert _texts([*paras, notice, "Harbour Bank, Member FDIC"]) == paras


def test_a_notice_about_the_articles_own_subject_is_content() -> None:
    paras = lorem_paragraphs(11, 4)
    quoted = [*paras, "The council said the figures were published for planning purposes only."]
    assert _texts(quoted) == quoted
    early = [paras[0], "Disclaimer: The information here is for informational purposes only.", *paras[1:]]
    assert _texts(early) == early  # high up it cuts nothing: what follows is the article
    faq = [f"Q{n}. Is the harbour open on day {n}? Yes, from nine to five." for n in range(6)]
    guide = [*paras, "Disclaimer: This article is intended for informational purposes only.", *faq]
    assert _texts(guide) == guide  # the guide's FAQ follows it
