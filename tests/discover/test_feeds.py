"""Feeds of every format, autodiscovery, and what a hostile feed must not do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsarchive.discover.feeds import find_feed_links, parse_feed
from newsarchive.errors import DiscoveryError, UnsafeXML

BASE = "https://news.example.com/feed"
WHEN = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example.com/</link>
<item><title>Flood hits town</title><link>https://news.example.com/2024/05/01/flood-hits-town?utm_source=rss</link>
<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate><guid isPermaLink="false">x1</guid></item>
<item><title>Relative link</title><link>/2024/05/01/relative-story</link></item>
<item><title>Permalink guid only</title><guid>https://news.example.com/2024/05/01/guid-story</guid></item>
<item><title>Duplicate</title><link>https://news.example.com/2024/05/01/flood-hits-town#x</link></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://news.example.com/</link>
<item><title>Old style &amp; fine</title><link>https://news.example.com/old-style-story-here</link></item>
</channel></rss>"""

RSS092 = b"""<?xml version="1.0"?><rss version="0.92"><channel><title>T</title>
<item><title>Ninety two</title><link>https://news.example.com/ninety-two-story</link></item>
</channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example.com/"><title>RDF</title><link>https://news.example.com/</link></channel>
<item rdf:about="https://news.example.com/rdf-story-one"><title>RDF one</title>
<link>https://news.example.com/rdf-story-one</link><dc:date>2024-05-01T08:00:00Z</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:x</id><updated>2024-05-02T00:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:e1</id>
<link rel="alternate" type="text/html" href="https://news.example.com/atom-entry-one"/>
<link rel="replies" href="https://news.example.com/atom-entry-one/comments"/>
<published>2024-05-01T08:00:00Z</published><updated>2024-05-02T09:30:00+01:00</updated></entry>
</feed>"""


def test_rss_20() -> None:
    found = parse_feed(RSS20, BASE)
    assert [c.url for c in found] == [
        "https://news.example.com/2024/05/01/flood-hits-town",
        "https://news.example.com/2024/05/01/relative-story",
        "https://news.example.com/2024/05/01/guid-story",
    ]
    assert found[0].title == "Flood hits town" and found[0].published_at == WHEN
    assert {c.source for c in found} == {"feed"}


@pytest.mark.parametrize(("body", "url", "title"), [
    (RSS091, "https://news.example.com/old-style-story-here", "Old style & fine"),
    (RSS092, "https://news.example.com/ninety-two-story", "Ninety two"),
    (RSS10, "https://news.example.com/rdf-story-one", "RDF one"),
])
def test_older_rss_versions(body: bytes, url: str, title: str) -> None:
    found = parse_feed(body, BASE)
    assert [(c.url, c.title) for c in found] == [(url, title)]


def test_rss_10_date() -> None:
    assert parse_feed(RSS10, BASE)[0].published_at == WHEN


def test_atom() -> None:
    (entry,) = parse_feed(ATOM, BASE)
    assert entry.url == "https://news.example.com/atom-entry-one"
    assert entry.published_at == WHEN
    assert entry.lastmod == datetime(2024, 5, 2, 8, 30, tzinfo=UTC)


def test_billion_laughs_is_refused_without_expansion() -> None:
    lol = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">""" + b"".join(
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'.encode()
        + b"&lol;" * 9 + b'">' for i in range(1, 10)) + b"""]>
<rss version="2.0"><channel><item><title>&lol9;</title><link>https://e.com/x-y-z</link></item></channel></rss>"""
    with pytest.raises(UnsafeXML):
        parse_feed(lol, BASE)


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><link>https://e.com/a-b-c</link></item></channel></rss>"""
    with pytest.raises(UnsafeXML):
        parse_feed(xxe, BASE)


def test_external_dtd_is_not_fetched_and_feed_still_reads() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">
<rss version="2.0"><channel><item><title>T</title><link>https://e.com/a-b-c-d</link></item></channel></rss>"""
    assert [c.url for c in parse_feed(body, BASE)] == ["https://e.com/a-b-c-d"]


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02binary", b"<html><body>not a feed</body></html>",
                                  b"<rss><channel><item><title>unclosed"])
def test_malformed_feeds_are_an_error_or_empty(body: bytes) -> None:
    try:
        found = parse_feed(body, BASE)
    except DiscoveryError:
        return
    assert all(c.url.startswith("https://") for c in found)


def test_feed_autodiscovery() -> None:
    html = """<html><head><base href="https://news.example.com/section/">
<link rel="alternate" type="application/rss+xml" title="All" href="/feed.xml">
<link rel="Alternate" type="application/atom+xml" href="atom.xml">
<link rel="alternate" type="text/html" href="/mobile">
<link rel="stylesheet" type="text/css" href="/s.css">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head><body></body></html>"""
    assert find_feed_links(html, "https://news.example.com/") == [
        "https://news.example.com/feed.xml",
        "https://news.example.com/section/atom.xml",
    ]


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html>\n<html lang='en'><head><title>World</title></head><body><p>x</p><br></div>",
    b"  <html><body><p>unclosed</body></html>",
])
def test_a_page_given_as_a_feed_says_it_is_a_page(body: bytes) -> None:
    """Not 'not a feed: <unknown>:2:114: mismatched tag', which left the user guessing."""
    with pytest.raises(DiscoveryError, match="not a feed but an HTML page"):
        parse_feed(body, BASE)
