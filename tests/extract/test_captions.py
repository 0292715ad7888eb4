"""Image captions and credits outside <figcaption> stay out of the text, as <figcaption> does."""

from __future__ import annotations

import html

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs, publisher_page

URL = "https://example.news/2024/05/01/harbour-works/"


def _page_with(caption_html: str) -> tuple[str, list[str]]:
    paras = lorem_paragraphs(31, 6)
    page = publisher_page("Harbour works begin at last", paras)
    first = f"<p>{html.escape(paras[0])}</p>"
    return page.replace(first, first + caption_html), paras


def test_caption_and_credit_classes_leave_the_text() -> None:
    for caption in (
        '<div class="wp-caption"><img src="/a.jpg" alt=""><p class="wp-caption-text">'
        "Cranes at the harbour on Monday. Photo: Jane Roe/Example</p></div>",
        '<div class="photo-caption">Cranes at the harbour on Monday. '
        '<span class="photo-credit">Credit: Jane Roe</span></div>',
        '<p class="image-credit">Jane Roe/Example via Agency</p>',
    ):
        page, paras = _page_with(caption)
        rec = extract(page, URL)
        assert "Cranes at the harbour" not in rec.text and "Jane Roe" not in rec.text, caption
        assert rec.text.split("\n\n")[:6] == paras


def test_a_class_that_only_mentions_captions_in_passing_keeps_its_text() -> None:
    note = "The harbour board said the caption of its own report was wrong, and the mayor agreed."
    page, _ = _page_with(f'<p class="note-on-captions">{html.escape(note)}</p>')
    assert note in extract(page, URL).text
