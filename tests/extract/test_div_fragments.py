"""A text <div> with a link inside, which trafilatura keeps without the words before the link
and the space after it, comes back whole."""

from __future__ import annotations

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs

BEFORE, AFTER = ("".join(f"<p>{p}</p>" for p in lorem_paragraphs(seed)) for seed in (3, 4))
TIP = ('<div class="callout"><div class="callout-emoji">!</div><div class="callout-text">Tip: Reading '
       '<a href="/summaries">the short summaries</a> can provide concise key takeaways, but I often '
       'found myself needing a bit more context, and bought the books as well.</div></div>')
URL = "https://example.org/reviews/audiobooks"


def test_text_div_with_a_link_is_kept_whole() -> None:
    page = (f"<html><head><title>Audiobooks</title></head><body><main><article><h1>Audiobooks</h1>"
            f"{BEFORE}{TIP}{AFTER}</article></main></body></html>")
    text = extract(page, URL).text
    assert ("Tip: Reading the short summaries can provide concise key takeaways, but I often found "
            "myself needing a bit more context, and bought the books as well.") in text.split("\n\n")
    assert "summariescan" not in text
