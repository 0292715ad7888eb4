"""Page furniture inside the article container: reading time, table-of-contents labels, reader
controls, the header's date and byline lines, affiliate disclosures at either end."""

from __future__ import annotations

from newsarchive.extract import extract
from newsarchive.extract.clean_html import Block
from newsarchive.extract.filters import filter_blocks
from tests.pages import lorem_paragraphs, publisher_page


def _texts(lines: list[str]) -> list[str]:
    kept, _ = filter_blocks([Block("p", t, t) for t in lines], None, {})
    return [b.text for b in kept]


def test_reading_time_contents_label_and_controls_leave_the_text() -> None:
    paras = lorem_paragraphs(41, 6)
    lines = ["8 min read", "Table of Contents", paras[0], "toggle caption", paras[1], "Back to blog",
             *paras[2:], "Reviewed by Jane Roe, MD, Editor in Chief", "Copy link"]
    assert _texts(lines) == paras


def test_share_pin_and_sales_prompts_leave_the_text() -> None:
    paras = lorem_paragraphs(44, 6)
    lines = [paras[0], "Share", *paras[1:3], "GET IN TOUCH WITH ONE OF OUR EXPERTS", "Live chat with us",
             *paras[3:], "Share the Blog on:", "Pin this for later!", "Request information"]
    assert _texts(lines) == paras
    fine_print = ["By entering your email, you agree to receive our emails and to our Terms.",
                  "© Harbour Media, Inc. All rights reserved.", "PIN FOR LATER",
                  "The post Harbour plan approved appeared first on Harbour Weekly.",
                  "Free 14-day trial. No credit card required", "Join Today"]
    assert _texts([*paras, *fine_print]) == paras
    sentence = [*paras, "Share your harbour photos with the council before Friday."]
    assert _texts(sentence) == sentence


def test_date_and_byline_lines_go_only_at_the_head() -> None:
    paras = lorem_paragraphs(42, 12)
    assert _texts(["Published on 2025-12-19", "By Jane Roe", "Dec 08, 2023", *paras]) == paras
    timeline = [*paras, "January 1, 2025", "By Jane Roe"]  # far down: the article's own lines
    assert _texts(timeline) == timeline
    changelog = ["2025-12-19: Added support for the new API", *paras]
    assert _texts(changelog) == changelog


def test_affiliate_disclosure_at_either_end_leaves_the_text() -> None:
    paras = lorem_paragraphs(43, 8)
    head = "Products are chosen independently by our editors. Purchases made through our links may earn us a commission."
    foot = "Disclosure: some of my posts contain affiliate links."
    assert _texts([head, *paras, foot]) == paras
    middle = [*paras[:4], "Some shops pay bloggers who earn a commission on every sale they send.", *paras[4:]]
    assert _texts(middle) == middle  # the topic, not a disclosure
    aside = [*paras, "I use this castile soap, just in case you were wondering (both are affiliate links)."]
    assert _texts(aside) == aside


def test_disclosure_and_reading_time_on_a_real_page() -> None:
    paras = lorem_paragraphs(44, 6)
    page = publisher_page("Harbour works begin at last",
                          ["We may earn a commission when you buy through links on our site.", "5 min read", *paras])
    rec = extract(page, "https://example.news/2024/05/01/harbour-works/")
    assert rec.text.split("\n\n") == paras


def test_linked_call_to_action_buttons_leave_the_text() -> None:
    paras = lorem_paragraphs(45, 6)
    blocks = [Block("p", p, p) for p in paras]
    for label in ("Jump to Review", "See Details & Buying Options", "Book A Demo"):
        blocks.insert(3, Block("p", label, f'<a href="https://shop.example/x">{label}</a>'))
    plain = Block("p", "Read the full ruling", "Read the full ruling")  # no link: the article's words
    half = Block("p", "See the council minutes here",
                 'See the council minutes <a href="https://council.example/m">here</a>')
    kept, _ = filter_blocks([*blocks, plain, half], None, {})
    assert [b.text for b in kept] == [*paras, plain.text, half.text]
