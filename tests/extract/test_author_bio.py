"""The author's bio at the foot of the body leaves the text; their name stays as metadata."""

from __future__ import annotations

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs


def _page(tail: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in lorem_paragraphs(11, 5))
    return ("<html><head><title>Harbour plan approved</title>"
            "<meta name='author' content='Jane Roe'></head><body><article>"
            f"<h1>Harbour plan approved</h1>{paras}{tail}</article></body></html>")


def test_the_bio_and_the_name_line_before_it_leave_the_text() -> None:
    rec = extract(_page("<p>Jane Roe</p><p>Jane Roe is a freelance writer who covers transport "
                        "and the harbour for several regional papers.</p>"),
                  "https://example.com/2024/05/01/harbour")
    assert rec.authors == ["Jane Roe"]
    assert "freelance writer" not in rec.text and not rec.text.rstrip().endswith("Jane Roe")
    assert "Officials said" in rec.text


def test_a_paragraph_naming_someone_else_stays() -> None:
    rec = extract(_page("<p>John Smith is a harbour pilot who has guided ships into the port "
                        "for thirty years, and he welcomed the plan.</p>"),
                  "https://example.com/2024/05/01/harbour")
    assert "harbour pilot" in rec.text
