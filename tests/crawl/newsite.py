"""A small news site for crawl tests: homepage, sections, tags, a feed, a sitemap index with a
news sitemap, robots.txt, redirects, tracking parameters, ETags, a syndicated copy and an
article that changes between two passes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from tests.pages import SEED_PARAGRAPHS, SEED_TITLE, lorem_paragraphs, publisher_page, seed_page
from tests.sites import LocalSite, Reply, Request

PUBLIC = [f"/news/2024/05/0{i}/story-about-the-harbor-plan-{i}" for i in range(1, 7)]
ORIGINAL = "/news/2024/04/30/russian-convoy-stalls-outside-kyiv-original"
COPY = "/world/2024/05/02/aggregator-copy-of-the-convoy-story"
CHANGING = "/news/2024/05/07/council-budget-vote-live-story"
MOVED_OLD = "/old/2024/05/08/story-that-moved-to-a-new-home"
MOVED_NEW = "/news/2024/05/08/story-that-moved-to-a-new-home"
PRIVATE = "/private/2024/05/09/story-behind-the-robots-wall"


@dataclass
class NewsSite:
    site: LocalSite
    changed: bool = False
    bodies: dict[str, str] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        """Every public article path (one Article each)."""
        return [*PUBLIC, ORIGINAL, COPY, CHANGING, MOVED_NEW]

    def url(self, path: str) -> str:
        return self.site.url(path)

    def serve(self, path: str, body_of: object) -> None:
        """Serve a page with a strong ETag, answering If-None-Match with 304."""

        def handler(req: Request) -> Reply:
            body = body_of() if callable(body_of) else str(body_of)
            etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
            if req.headers.get("if-none-match") == etag:
                return Reply(304, b"", headers={"ETag": etag})
            return Reply(200, body, headers={"ETag": etag})

        self.site.add(path, handler)


def changing_body(site: NewsSite) -> str:
    paras = lorem_paragraphs(70)
    if site.changed:
        paras = [*paras, "Update: the council approved the budget late on Tuesday night "
                 "after a long debate about the harbor bridge and the school repairs."]
    return publisher_page("Council budget vote", paras, published="2024-05-07T09:00:00+00:00")


def build(site: LocalSite) -> NewsSite:
    ns = NewsSite(site)
    for i, path in enumerate(PUBLIC, start=1):
        ns.serve(path, publisher_page(f"Harbor plan, part {i}", lorem_paragraphs(10 + i),
                                      published=f"2024-05-0{i}T08:00:00+00:00"))
    ns.serve(ORIGINAL, publisher_page(SEED_TITLE, SEED_PARAGRAPHS, author="NBC News staff",
                                      published="2022-03-01T09:00:00+00:00", site="NBC News"))
    ns.serve(COPY, seed_page())
    ns.serve(CHANGING, lambda: changing_body(ns))
    ns.serve(MOVED_NEW, publisher_page("A story that moved", lorem_paragraphs(40)))
    site.add(MOVED_OLD, Reply(301, b"", headers={"Location": MOVED_NEW}))
    site.add(PRIVATE, publisher_page("Behind the wall", lorem_paragraphs(50)))
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")

    links = "".join(f'<li><a href="{p}">Story {i}</a></li>' for i, p in enumerate(PUBLIC[:4]))
    home = f"""<html><head><title>Example Times</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>
<nav><a href="/section/world">World</a> <a href="/section/politics">Politics</a>
<a href="/tag/harbor">Harbor</a> <a href="/author/jane-doe">Jane Doe</a>
<a href="/page/2">Older</a> <a href="https://elsewhere.example/2024/05/01/off-site-story-x">x</a></nav>
<main><ul>{links}
<li><a href="{PUBLIC[0]}?utm_source=twitter&amp;utm_medium=social#comments">Again</a></li>
<li><a href="{MOVED_OLD}">Moved</a></li><li><a href="{PRIVATE}">Private</a></li>
<li><a href="{CHANGING}">Budget</a></li></ul></main></body></html>"""
    ns.serve("/", home)
    section = "".join(f'<a href="{p}">S</a>' for p in (PUBLIC[3], PUBLIC[4], COPY))
    ns.serve("/section/world", f"<html><body>{section}</body></html>")
    ns.serve("/tag/harbor", f'<html><body><a href="{PUBLIC[5]}?fbclid=abc">T</a></body></html>')

    items = "".join(
        f"<item><title>{t}</title><link>{ns.url(p)}</link>"
        f"<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate></item>"
        for t, p in (("One", PUBLIC[0] + "?utm_campaign=rss"), ("Orig", ORIGINAL),
                     ("Copy", COPY), ("Budget", CHANGING))
    )
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Times</title>'
            f"<link>{ns.url('/')}</link>{items}</channel></rss>")

    def feed_handler(req: Request) -> Reply:
        etag = '"feed-v1"'
        if req.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers={"ETag": etag}, content_type=None)
        return Reply(200, feed, headers={"ETag": etag}, content_type="application/rss+xml")

    site.add("/feed.xml", feed_handler)
    news = "".join(
        f"<url><loc>{ns.url(p)}</loc><news:news><news:publication><news:name>Example Times"
        f"</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>2024-05-0{i}T08:00:00Z</news:publication_date>"
        f"<news:title>S{i}</news:title></news:news></url>"
        for i, p in enumerate((PUBLIC[4], PUBLIC[5], MOVED_NEW, PRIVATE), start=1)
    )
    site.add("/news-sitemap.xml",
             '<?xml version="1.0" encoding="UTF-8"?><urlset '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
             f"{news}</urlset>", content_type="application/xml")
    site.add("/sitemap_index.xml",
             '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{ns.url('/news-sitemap.xml')}</loc>"
             "<lastmod>2024-05-09T00:00:00Z</lastmod></sitemap></sitemapindex>",
             content_type="application/xml")
    return ns
