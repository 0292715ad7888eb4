"""Sitemaps: urlsets, indexes, news sitemaps, gzip, text, and hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from newsarchive.discover.sitemaps import (
    MAX_SITEMAP_URLS,
    parse_sitemap,
    sitemaps_in_robots,
)
from newsarchive.errors import DiscoveryError, UnsafeXML

URL = "https://news.example.com/sitemap.xml"
NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.com/2024/05/01/flood-hits-town?utm_medium=x</loc>
<lastmod>2024-05-01T10:00:00+02:00</lastmod>
<news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-05-01T08:00:00Z</news:publication_date>
<news:title>Flood hits town</news:title></news:news></url>
<url><loc> /relative-story-page </loc><lastmod>2024-04-30</lastmod></url>
<url><loc>https://news.example.com/2024/05/01/flood-hits-town</loc></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.com/sitemap-2024-04.xml</loc><lastmod>2024-04-30</lastmod></sitemap>
<sitemap><loc>https://news.example.com/sitemap-2024-05.xml.gz</loc><lastmod>2024-05-01T00:00:00Z</lastmod></sitemap>
</sitemapindex>"""


def test_news_sitemap() -> None:
    parsed = parse_sitemap(NEWS, URL)
    assert [c.url for c in parsed.urls] == [
        "https://news.example.com/2024/05/01/flood-hits-town",
        "https://news.example.com/relative-story-page",
    ]
    first = parsed.urls[0]
    assert first.title == "Flood hits town"
    assert first.published_at == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert first.lastmod == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert parsed.urls[1].lastmod == datetime(2024, 4, 30, tzinfo=UTC)
    assert parsed.children == [] and not parsed.truncated


def test_index() -> None:
    parsed = parse_sitemap(INDEX, URL)
    assert parsed.urls == []
    assert parsed.children == ["https://news.example.com/sitemap-2024-04.xml",
                               "https://news.example.com/sitemap-2024-05.xml.gz"]
    assert parsed.child_lastmod["https://news.example.com/sitemap-2024-05.xml.gz"] == datetime(
        2024, 5, 1, tzinfo=UTC)


def test_gzipped_sitemap() -> None:
    parsed = parse_sitemap(gzip.compress(NEWS), URL + ".gz")
    assert len(parsed.urls) == 2


def test_text_sitemap() -> None:
    body = b"https://news.example.com/a-b-c\n\nnot a url\nhttps://news.example.com/d-e-f\n"
    assert [c.url for c in parse_sitemap(body, URL).urls] == [
        "https://news.example.com/a-b-c", "https://news.example.com/d-e-f"]


def test_sitemap_without_namespace_still_reads() -> None:
    body = b"<urlset><url><loc>https://news.example.com/x-y-z</loc></url></urlset>"
    assert [c.url for c in parse_sitemap(body, URL).urls] == ["https://news.example.com/x-y-z"]


def test_billion_laughs_is_refused() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<urlset><url><loc>https://e.com/&c;</loc></url></urlset>"""
    with pytest.raises(UnsafeXML):
        parse_sitemap(body, URL)


def test_external_entity_reads_no_file() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://e.com/&x;</loc></url></urlset>"""
    with pytest.raises(UnsafeXML):
        parse_sitemap(body, URL)


def test_parameter_entity_and_external_dtd() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "file:///etc/passwd">
<urlset><url><loc>https://e.com/a-b-c</loc></url></urlset>"""
    parsed = parse_sitemap(body, URL)
    assert [c.url for c in parsed.urls] == ["https://e.com/a-b-c"]
    pe = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>
<urlset/>"""
    with pytest.raises(UnsafeXML):
        parse_sitemap(pe, URL)


def test_entity_hidden_past_a_long_prolog_is_refused() -> None:
    body = b"<?xml version='1.0'?><!-- " + b"x" * 100_000 + b" --><!DOCTYPE u [<!ENTITY a 'b'>]><urlset/>"
    with pytest.raises(UnsafeXML):
        parse_sitemap(body, URL)


@pytest.mark.parametrize("body", [b"<urlset><url><loc>https://e.com/a", b"<html><p>hi</p></html>",
                                  b"<?xml version='1.0'?><nothing/>", b"<<<>>>"])
def test_malformed_xml_is_an_error_or_partial(body: bytes) -> None:
    try:
        parsed = parse_sitemap(body, URL)
    except DiscoveryError:
        return
    assert all(c.url.startswith("https://") for c in parsed.urls)


def test_fan_out_past_fifty_thousand_urls_is_cut() -> None:
    rows = b"".join(b"<url><loc>https://e.com/story-%d</loc></url>" % i
                    for i in range(MAX_SITEMAP_URLS + 500))
    parsed = parse_sitemap(b"<urlset>" + rows + b"</urlset>", URL)
    assert len(parsed.urls) == MAX_SITEMAP_URLS and parsed.truncated


def test_gzip_bomb_sitemap_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(DiscoveryError, match="larger than"):
        parse_sitemap(bomb, URL + ".gz")


def test_robots_sitemap_lines() -> None:
    robots = "User-agent: *\nDisallow: /x\nSitemap: https://e.com/s1.xml\nsitemap: /s2.xml\nSitemap:\n"
    assert sitemaps_in_robots(robots, "https://e.com/robots.txt") == [
        "https://e.com/s1.xml", "https://e.com/s2.xml"]
