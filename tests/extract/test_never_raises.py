"""extract() never raises: arbitrary bytes, mutated pages, huge and deeply nested input."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.extract import EXTRACTOR_VERSION, ExtractedArticle, extract
from tests.pages import seed_page

SEED = seed_page().encode("utf-8")


def _ok(rec: object) -> None:
    assert isinstance(rec, ExtractedArticle) and rec.extractor_version == EXTRACTOR_VERSION


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(data: bytes) -> None:
    _ok(extract(data, "https://example.com/a"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SEED)), st.integers(0, len(SEED)), st.binary(max_size=200),
       st.sampled_from([None, "text/html; charset=shift_jis", "text/html; charset=utf-16", "bogus"]))
def test_mutated_pages(start: int, end: int, junk: bytes, content_type: str | None) -> None:
    a, b = sorted((start, end))
    from newsarchive.extract import ExtractOptions

    _ok(extract(SEED[:a] + junk + SEED[b:], None, ExtractOptions(content_type=content_type)))


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    _ok(extract(text, "not a url"))


def test_empty_and_binary() -> None:
    for data in (b"", "", b"\x00" * 1000, bytes(range(256)) * 50, b"\xff\xd8\xff\xe0JFIF" + b"\x00\x10" * 500):
        rec = extract(data)
        _ok(rec)
        assert not rec.is_article


def test_deep_nesting() -> None:
    page = "<html><body>" + "<div>" * 10_000 + "<p>deep text</p>" + "</div>" * 10_000 + "</body></html>"
    start = time.perf_counter()
    _ok(extract(page))
    assert time.perf_counter() - start < 20


def test_huge_page_is_bounded() -> None:
    para = "<p>" + "word " * 200 + "</p>"
    page = seed_page().replace("<p>Latest updates", para * 12_000 + "<p>Latest updates")  # ~12 MB
    start = time.perf_counter()
    rec = extract(page.encode("utf-8"))
    _ok(rec)
    assert time.perf_counter() - start < 30
