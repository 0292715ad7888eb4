"""URL canonicalisation: one article, one URL; never raises anything but InvalidURL."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.discover.urls import InvalidURL, canonicalize, same_site

CASES = [
    ("HTTP://WWW.Example.COM:80/a/../b/./c?utm_source=x&b=2&a=1#frag",
     "http://www.example.com/b/c?a=1&b=2"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://example.com./x", "https://example.com/x"),
    ("https://example.com/x?fbclid=1&gclid=2&utm_campaign=y&id=7", "https://example.com/x?id=7"),
    ("https://example.com/x?mc_cid=1&mc_eid=2&_ga=3&igshid=4", "https://example.com/x"),
    ("https://bücher.de/straße", "https://xn--bcher-kva.de/stra%C3%9Fe"),
    ("https://example.com/%7euser/a%2fb/%e2%82%ac", "https://example.com/~user/a%2Fb/%E2%82%AC"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://user:pw@example.com/a", "https://example.com/a"),
    ("  https://example.com/a\n", "https://example.com/a"),
    ("http://[::1]:80/", "http://[::1]/"),
    ("https://example.com/news/2024/05/story/", "https://example.com/news/2024/05/story/"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_canonical_forms(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected
    assert canonicalize(expected) == expected


def test_three_ways_to_one_article_are_one_url() -> None:
    ways = [
        "https://News.example.com/world/2024/05/01/flood-hits-town?utm_source=twitter",
        "https://news.example.com:443/world/2024/05/01/flood-hits-town#comments",
        "https://news.example.com/world/2024/05/01/./flood-hits-town?fbclid=abc",
    ]
    assert len({canonicalize(u) for u in ways}) == 1


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://example.com/", "mailto:a@b.c",
                                 "javascript:alert(1)", "http://", "https://exa mple.com/",
                                 "http://example.com:99999/", "/relative/path", "http://[::1/",
                                 f"http://{'a' * 64}.com/", "http://" + "abc." * 64 + "com/"])
def test_invalid_urls_raise_invalid_url(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize(bad)


def test_same_site() -> None:
    assert same_site("https://www.example.com/a", "https://example.com/b")
    assert same_site("https://news.example.com/a", "https://example.com/")
    assert not same_site("https://example.org/a", "https://example.com/")
    assert not same_site("https://notexample.com/a", "https://example.com/")


_url_text = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}{path}{query}{frag}",
        st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
        st.one_of(st.from_regex(r"[A-Za-z0-9.-]{1,20}", fullmatch=True), st.text(max_size=12),
                  st.sampled_from(["[::1]", "127.0.0.1", "xn--bcher-kva.de", "bücher.de"])),
        st.sampled_from(["", ":80", ":443", ":8080", ":0", ":abc", ":"]),
        st.text(max_size=30).map(lambda t: "/" + t),
        st.one_of(st.just(""), st.text(max_size=30).map(lambda t: "?" + t)),
        st.one_of(st.just(""), st.text(max_size=10).map(lambda t: "#" + t)),
    ),
)


@settings(max_examples=400, deadline=None)
@given(_url_text)
def test_canonicalize_never_raises_other_errors_and_is_idempotent(raw: str) -> None:
    try:
        once = canonicalize(raw)
    except InvalidURL:
        return
    assert canonicalize(once) == once
    assert once.startswith(("http://", "https://"))
    assert "#" not in once
