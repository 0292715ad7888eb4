"""discover_source on local sites: every kind, conditional GETs, broken listings recorded."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from newsarchive.errors import HTTPStatusError, NetworkError
from newsarchive.fetch.client import Fetcher
from newsarchive.services.discovery import MAX_SITEMAP_FILES, Discovery, discover_source
from tests.fetch.helpers import fetch_settings, run
from tests.sites import LocalSite, Reply
from tests.sites import Request as SiteRequest


def rss(site: LocalSite, *slugs: str) -> str:
    items = "".join(f"<item><title>{s}</title><link>{site.url('/2024/05/01/' + s)}</link>"
                    "<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate></item>" for s in slugs)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def urlset(site: LocalSite, *slugs: str) -> str:
    rows = "".join(f"<url><loc>{site.url('/' + s)}</loc><lastmod>2024-05-01</lastmod></url>"
                   for s in slugs)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'


def index(site: LocalSite, *children: str, lastmod: str = "2024-05-01") -> str:
    rows = "".join(f"<sitemap><loc>{site.url(c)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
                   for c in children)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'


def discover(url: str, kind: str = "auto", validators: dict[str, Any] | None = None) -> Discovery:
    async def go() -> Discovery:
        async with Fetcher(fetch_settings()) as fetcher:
            return await discover_source(fetcher=fetcher, url=url, kind=kind,
                                         validators=validators or {})

    return run(go())


HOME = """<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>
<body><h2><a href="/2024/05/01/page-only-story-here">A story only on the page</a></h2></body></html>"""


def etagged(body: str, etag: str, ctype: str) -> Any:
    def handler(req: SiteRequest) -> Reply:
        if req.headers.get("if-none-match") == etag:
            return Reply(304, b"", content_type=None)
        return Reply(body=body, headers={"ETag": etag, "Last-Modified": "Wed, 01 May 2024 08:00:00 GMT"},
                     content_type=ctype)
    return handler


def test_feed_kind_with_conditional_get(site: LocalSite) -> None:
    site.add("/feed.xml", etagged(rss(site, "one-story-here", "two-story-here"), '"v1"',
                                  "application/rss+xml"))
    first = discover(site.url("/feed.xml"), "feed")
    assert [c.url for c in first.candidates] == [site.url("/2024/05/01/one-story-here"),
                                                 site.url("/2024/05/01/two-story-here")]
    assert first.candidates[0].published_at is not None
    stored = first.validators[site.url("/feed.xml")]
    assert stored == {"etag": '"v1"', "last_modified": "Wed, 01 May 2024 08:00:00 GMT"}
    assert not first.not_modified and first.resolved["kind"] == "feed"

    second = discover(site.url("/feed.xml"), "feed", first.validators)
    assert second.not_modified and second.candidates == []
    assert second.validators == first.validators
    assert site.hits("/feed.xml")[1].headers["if-none-match"] == '"v1"'
    assert site.hits("/feed.xml")[1].headers["if-modified-since"] == "Wed, 01 May 2024 08:00:00 GMT"


def test_auto_prefers_the_announced_feed(site: LocalSite) -> None:
    site.add("/", HOME)
    site.add("/feed.xml", rss(site, "feed-story-one"), content_type="application/rss+xml")
    found = discover(site.url("/"))
    assert found.resolved["kind"] == "feed"
    assert found.resolved["feeds"] == [site.url("/feed.xml")]
    assert [c.url for c in found.candidates] == [site.url("/2024/05/01/feed-story-one")]


def test_auto_records_a_broken_feed_and_falls_back_to_sitemaps(site: LocalSite) -> None:
    site.add("/", HOME)
    site.add("/feed.xml", Reply(500, "oops"))
    site.add("/robots.txt", f"User-agent: *\nSitemap: {site.url('/news-sitemap.xml')}\n",
             content_type="text/plain")
    site.add("/news-sitemap.xml", urlset(site, "sitemap-story-one"), content_type="application/xml")
    found = discover(site.url("/"))
    assert found.resolved["kind"] == "sitemap"
    assert found.resolved["sitemaps"] == [site.url("/news-sitemap.xml")]
    assert [c.url for c in found.candidates] == [site.url("/sitemap-story-one")]
    assert any("feed" in e and "500" in e for e in found.errors), found.errors


def test_auto_tries_sitemap_xml_then_the_page(site: LocalSite) -> None:
    site.add("/", HOME.replace('<link rel="alternate" type="application/rss+xml" href="/feed.xml">', ""))
    found = discover(site.url("/"))
    assert site.hits("/sitemap.xml"), "the conventional /sitemap.xml is tried"
    assert found.resolved["kind"] == "page"
    assert [c.url for c in found.candidates] == [site.url("/2024/05/01/page-only-story-here")]
    assert any("sitemap" in e and "404" in e for e in found.errors)


def test_auto_on_a_feed_url_reads_it_as_a_feed(site: LocalSite) -> None:
    site.add("/rss", rss(site, "direct-feed-story"), content_type="text/xml")
    found = discover(site.url("/rss"))
    assert found.resolved["kind"] == "feed"
    assert [c.url for c in found.candidates] == [site.url("/2024/05/01/direct-feed-story")]
    assert len(site.hits("/rss")) == 1, "the first answer is read, not fetched again"


def test_sitemap_index_recursion_gzip_and_self_reference(site: LocalSite) -> None:
    site.add("/sitemap.xml", index(site, "/sitemap.xml", "/sub-index.xml", "/a.xml.gz"),
             content_type="application/xml")
    site.add("/sub-index.xml", index(site, "/sitemap.xml", "/b.xml"), content_type="text/xml")
    site.add("/a.xml.gz", gzip.compress(urlset(site, "story-a-one", "story-a-two").encode()),
             content_type="application/x-gzip")
    site.add("/b.xml", urlset(site, "story-b-one", "story-a-one"), content_type="text/xml")
    found = discover(site.url("/sitemap.xml"), "sitemap")
    assert sorted(c.url for c in found.candidates) == sorted(
        site.url(p) for p in ("/story-a-one", "/story-a-two", "/story-b-one"))
    assert len(site.hits("/sitemap.xml")) == 1
    assert len(site.hits("/b.xml")) == 1
    assert found.errors == []


def test_unchanged_child_sitemaps_are_skipped_by_lastmod(site: LocalSite) -> None:
    site.add("/sitemap.xml", index(site, "/a.xml", "/b.xml"), content_type="text/xml")
    site.add("/a.xml", urlset(site, "story-a-one"), content_type="text/xml")
    site.add("/b.xml", urlset(site, "story-b-one"), content_type="text/xml")
    first = discover(site.url("/sitemap.xml"), "sitemap")
    assert len(first.candidates) == 2
    second = discover(site.url("/sitemap.xml"), "sitemap", first.validators)
    assert second.candidates == []
    assert len(site.hits("/a.xml")) == 1 and len(site.hits("/b.xml")) == 1


def test_sitemap_fan_out_is_bounded(site: LocalSite) -> None:
    children = [f"/s{i}.xml" for i in range(MAX_SITEMAP_FILES + 10)]
    site.add("/sitemap.xml", index(site, *children), content_type="text/xml")
    for i, child in enumerate(children):
        site.add(child, urlset(site, f"story-number-{i}"), content_type="text/xml")
    found = discover(site.url("/sitemap.xml"), "sitemap")
    fetched = [r.path for r in site.requests if r.path.startswith("/s")]
    assert len(fetched) == MAX_SITEMAP_FILES
    assert len(found.candidates) == MAX_SITEMAP_FILES - 1
    assert any("already read" in e for e in found.errors)


def test_deep_index_chain_stops_at_the_depth_bound(site: LocalSite) -> None:
    for depth in range(8):
        site.add(f"/i{depth}.xml", index(site, f"/i{depth + 1}.xml"), content_type="text/xml")
    found = discover(site.url("/i0.xml"), "sitemap")
    assert found.candidates == []
    assert not site.hits("/i5.xml")
    assert any("deeper" in e for e in found.errors)


def test_hostile_child_sitemap_is_recorded_not_raised(site: LocalSite) -> None:
    site.add("/sitemap.xml", index(site, "/evil.xml", "/ok.xml"), content_type="text/xml")
    site.add("/evil.xml", '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
             "<urlset><url><loc>&x;</loc></url></urlset>", content_type="text/xml")
    site.add("/ok.xml", urlset(site, "fine-story-here"), content_type="text/xml")
    found = discover(site.url("/sitemap.xml"), "sitemap")
    assert [c.url for c in found.candidates] == [site.url("/fine-story-here")]
    assert any("entities" in e for e in found.errors)


def test_page_kind(site: LocalSite) -> None:
    site.add("/", HOME)
    found = discover(site.url("/"), "page")
    assert found.resolved["kind"] == "page"
    assert [c.title for c in found.candidates] == ["A story only on the page"]


def test_unreachable_source_raises(site: LocalSite) -> None:
    site.add("/gone", Reply(410, "gone"))
    with pytest.raises(HTTPStatusError):
        discover(site.url("/gone"), "feed")
    with pytest.raises(HTTPStatusError):
        discover(site.url("/gone"))
    with pytest.raises(NetworkError):
        discover("http://127.0.0.1:9/", "sitemap")


def test_broken_primary_feed_is_an_error_not_a_crash(site: LocalSite) -> None:
    site.add("/feed.xml", "<html>not a feed at all</html>", content_type="text/html")
    found = discover(site.url("/feed.xml"), "feed")
    assert found.candidates == [] and found.errors


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_a_listing_that_is_no_feed_or_sitemap_is_read_again_and_reported_again(
    site: LocalSite, kind: str,
) -> None:
    """A page added with the wrong kind: its ETag was kept, so every later pass got a 304
    and ended 'done, 0 discovered' with the error gone."""
    url = site.add("/world/", etagged(HOME, '"p1"', "text/html"))
    first = discover(url, kind)
    assert first.errors and url not in first.validators
    second = discover(url, kind, first.validators)
    assert not second.not_modified and second.errors == first.errors
    assert "if-none-match" not in site.hits("/world/")[1].headers
