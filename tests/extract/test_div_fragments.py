"""A text <div> with a link inside, which trafilatura keeps without the words before the link
and the space after it, comes back whole."""

from __future__ import annotations

from newsarchive.extract import extract

PARAS = "".join(
    f"<p>Paragraph {n} of the review explains how the service sums up a book in fifteen minutes "
    f"and why the narration holds up against the full audiobook on long drives.</p>" for n in range(6))
TIP = ('<div class="callout"><div class="callout-emoji">!</div><div class="callout-text">Tip: Reading '
       '<a href="/summaries">the short summaries</a> can provide concise key takeaways, but I often '
       'found myself needing a bit more context, and bought the books as well.</div></div>')
URL = "https://example.org/reviews/audiobooks"


def test_text_div_with_a_link_is_kept_whole() -> None:
    page = (f"<html><head><title>Audiobooks</title></head><body><main><article><h1>Audiobooks</h1>"
            f"{PARAS}{TIP}{PARAS.replace('Paragraph', 'Part')}</article></main></body></html>")
    text = extract(page, URL).text
    assert ("Tip: Reading the short summaries can provide concise key takeaways, but I often found "
            "myself needing a bit more context, and bought the books as well.") in text.split("\n\n")
    assert "summariescan" not in text
