"""The sanitiser: archived HTML reduced to the clean allowlist, nothing executable left."""

from __future__ import annotations

import re

import pytest

from newsarchive.web.sanitize import safe_url, sanitize_html, sanitize_snippet

HOSTILE = """
<p onclick="steal()" style="background:url(javascript:alert(1))" class="x" id="y">Readable
<b>bold</b> text <a href="javascript:alert(1)">js link</a> <a href="JaVaScRiPt:alert(2)">js2</a>
<a href=" data:text/html;base64,PHNjcmlwdD4=">data link</a>
<a href="/relative/path">relative</a> <a href="https://example.com/ok" target="_blank">ok</a></p>
<script>window.__pwned = 1</script><noscript><img src=x onerror=alert(1)></noscript>
<img src="x" onerror="window.__pwned=2"><img src="javascript:alert(3)" alt="bad">
<img src="https://img.example.com/a.jpg" alt="A picture" width="640" height="abc" onload="x()">
<svg onload="alert(4)"><script>alert(5)</script><text>svg text</text></svg>
<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x">
<style>body { background: expression(alert(6)) }</style>
<div style="width: expression(alert(7))">div text</div>
<form action="https://evil.example/"><input name="p"><button>Go</button></form>
<math><mi xlink:href="javascript:alert(8)">m</mi></math>
<h1>Top heading</h1><h2>Section</h2><h5>small</h5>
<blockquote cite="javascript:x">Quoted</blockquote>
<figure><img src="http://img.example.com/b.png" alt="B"><figcaption>Caption</figcaption></figure>
<!-- a comment --><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">
<link rel="stylesheet" href="https://evil.example/x.css">
<ul><li>one</li></ul><ol><li>two</li></ol><table><tr><td>cell</td></tr></table>
"""


@pytest.fixture(scope="module")
def clean() -> str:
    return sanitize_html(HOSTILE, base_url="https://news.example.org/2024/story")


def test_only_the_allowlist_survives(clean: str) -> None:
    tags = set(re.findall(r"<([a-z0-9]+)", clean))
    assert tags <= {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "img",
                    "figcaption", "a"}, tags
    attributes = set(re.findall(r"\s([a-z-]+)=", clean))
    assert attributes <= {"href", "rel", "src", "alt", "width", "height"}, attributes
    for word in ("<script", "<style", "<iframe", "<svg", "<object", "<embed", "<form",
                 "<base", "<meta", "<link", "<math", "expression", "javascript", "data:",
                 "<!--", "alert("):
        assert word not in clean.lower(), word


def test_text_stays_readable(clean: str) -> None:
    for text in ("Readable", "bold", "js link", "relative", "div text", "Top heading",
                 "Section", "small", "Quoted", "Caption", "one", "two", "cell"):
        assert text in clean, text
    assert "window.__pwned" not in clean and "alert(5)" not in clean


def test_links_are_absolute_http_with_rel(clean: str) -> None:
    anchors = re.findall(r"<a[^>]*>", clean)
    assert len(anchors) == 5
    assert all('rel="noopener noreferrer nofollow"' in a for a in anchors)
    hrefs = re.findall(r'href="([^"]*)"', clean)
    assert hrefs == ["https://news.example.org/relative/path", "https://example.com/ok"]


def test_images_only_from_http(clean: str) -> None:
    srcs = re.findall(r'src="([^"]*)"', clean)
    assert srcs == ["https://news.example.org/2024/x", "https://img.example.com/a.jpg",
                    "http://img.example.com/b.png"]
    assert 'width="640"' in clean and "height=" not in clean
    assert 'alt="A picture"' in clean


@pytest.mark.parametrize("url,expected", [
    ("https://a.example/x", "https://a.example/x"),
    ("  http://a.example/  ", "http://a.example/"),
    ("javascript:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("data:image/png;base64,AAAA", None),
    ("//cdn.example/x.png", None),
    ("ftp://a.example/f", None),
    ("", None),
    ("http://[::1", None),
])
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_snippet_keeps_only_marks() -> None:
    dirty = 'a &lt;b&gt; <mark>storm</mark> <img src=x onerror=alert(1)><script>x()</script>'
    out = sanitize_snippet(dirty)
    assert "<mark>storm</mark>" in out
    assert "<img" not in out and "<script" not in out and "&lt;b&gt;" in out
