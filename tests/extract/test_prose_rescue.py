"""A body that kept only a sliver of the page's prose is taken again from the block that
holds the prose (trafilatura picked the wrong block or pruned the article's wrapper)."""

from __future__ import annotations

import html

from newsarchive.extract import extract
from tests.pages import lorem_paragraphs

URL = "https://news.example/2024/05/01/harbour-plan-approved-after-long-debate/"


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _wrapped_article(wrapper_class: str, paragraphs: list[str]) -> str:
    """An article whose wrapper's class reads like comments (a 'comment on a selection'
    feature): our pre-cleaning keeps it as the block holding the prose, trafilatura
    prunes it by its name."""
    return f"""<!doctype html><html><head><title>Harbour plan approved</title></head><body>
<header><a href="/">Example Times</a> <a href="/world">World</a></header>
<main><h1>Harbour plan approved</h1><p class="dek">The council voted on Tuesday after a long debate.</p>
<div class="{wrapper_class}"><div>{_paras(paragraphs)}</div></div></main>
<footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer></body></html>"""


def test_body_pruned_by_its_wrapper_name_is_taken_from_the_prose_block() -> None:
    paragraphs = lorem_paragraphs(5, 6)
    rec = extract(_wrapped_article("comment-on-selection", paragraphs), URL)
    assert rec.metadata["body_mode"] == "prose-block"
    assert all(p[:40] in rec.text for p in paragraphs)


def test_a_good_body_is_not_taken_again() -> None:
    paragraphs = lorem_paragraphs(6, 6)
    rec = extract(_wrapped_article("story-text", paragraphs), URL)
    assert rec.metadata["body_mode"] == "fast"
    assert all(p[:40] in rec.text for p in paragraphs)


def test_a_prose_block_that_is_the_whole_page_is_not_run_again(monkeypatch) -> None:  # noqa: ANN001
    """A large page whose prose fills one wrapper around everything: the block holding 60% of
    it is the page itself, which the passes already read, so no second run is paid for; a
    block that is a part of the page is run."""
    from selectolax.lexbor import LexborHTMLParser

    from newsarchive.extract import body

    calls: list[str] = []
    monkeypatch.setattr(body, "run_mode", lambda html_text, url, mode: calls.append(mode))
    sliver = body.Candidate("fast", [])
    prose = _paras(lorem_paragraphs(3, 8))
    big = prose * (body.WHOLE_PAGE_MIN_CHARS // len(prose) + 1)
    whole = LexborHTMLParser(f"<html><body><div id='page'>{big}</div></body></html>")
    assert body._prose_rescue(whole, URL, sliver, 400 * big.count("<p>") // 8) is sliver
    assert calls == []
    menu = "".join(f"<li><a href='/s/{i}'>Section number {i} of the site</a></li>" for i in range(200))
    part = LexborHTMLParser(f"<html><body><ul>{menu}</ul><div id='story'>{prose}</div></body></html>")
    assert body._prose_rescue(part, URL, sliver, 400) is sliver  # the run yields nothing here
    assert calls == ["default"]
