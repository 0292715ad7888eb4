"""The HTML pages over a real database: lists, search, reader, diff, crawls, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.models import CrawlRun
from newsarchive.services.sources import add_source
from newsarchive.storage.db import Database
from tests.pages import lorem_paragraphs, publisher_page, seed_page
from tests.sites import LocalSite
from tests.web.conftest import archive, store_article


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/articles/\d+">([^<]*)</a></h3>', html)


def test_index_lists_search_and_filters(client: TestClient, db: Database, settings: Settings,
                                        site: LocalSite) -> None:
    source = add_source(db=db, url=site.url("/news/"), name="Example Times")
    archive(db, settings, site.add("/2024/05/01/harbor", publisher_page(
        "Harbor storm closes the bridge", lorem_paragraphs(1),
        published="2024-05-01T08:00:00+00:00")), source_id=source.id)
    store_article(db, "https://example.de/2024/05/03/haushalt", language="de",
                  title="Council passes the school budget", site_name="Beispiel Zeitung",
                  text="Der Rat hat den Haushalt für die Schulen beschlossen.",
                  published_at=datetime(2024, 5, 3, 8, tzinfo=UTC))
    page = client.get("/")
    assert page.status_code == 200
    assert _titles(page.text) == ["Council passes the school budget",
                                  "Harbor storm closes the bridge"]
    assert "Example Times" in page.text and "Jane Doe" in page.text

    found = client.get("/", params={"q": "harbor"})
    assert _titles(found.text) == ["Harbor storm closes the bridge"]
    assert re.search(r"<mark>harbor</mark>", found.text, re.I)
    assert 'value="harbor"' in found.text  # the search box keeps what was typed

    assert _titles(client.get("/", params={"source": source.id}).text) == [
        "Harbor storm closes the bridge"]
    assert _titles(client.get("/", params={"language": "de"}).text) == [
        "Council passes the school budget"]
    assert _titles(client.get("/", params={"since": "2024-05-02"}).text) == [
        "Council passes the school budget"]
    assert _titles(client.get("/", params={"until": "2024-05-01"}).text) == [
        "Harbor storm closes the bridge"]
    nothing = client.get("/", params={"q": "zeppelin"})
    assert nothing.status_code == 200 and "Nothing matches" in nothing.text


def test_pagination_walks_every_article_once(client: TestClient, db: Database) -> None:
    for i in range(23):
        store_article(db, f"https://example.com/story-{i}", title=f"Story number {i}",
                      text=" ".join(lorem_paragraphs(i, 1)))
    seen: list[str] = []
    url = "/"
    for _ in range(5):
        page = client.get(url)
        seen += _titles(page.text)
        nxt = re.search(r'<a rel="next" href="([^"]+)"', page.text)
        if not nxt:
            break
        url = nxt.group(1).replace("&amp;", "&")
    assert sorted(seen) == sorted(f"Story number {i}" for i in range(23))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("query", [
    {"source": "abc"}, {"source": "-1"}, {"since": "yesterday"}, {"until": "2024-13-45"},
    {"cursor": "not-a-cursor"}, {"q": "x" * 600}, {"language": "x" * 300},
    {"since": "2024-05-02", "until": "2024-05-01\x00"},
])
def test_nonsense_parameters_get_a_readable_400(client: TestClient, query: dict[str, str]) -> None:
    page = client.get("/", params=query)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "That search cannot run." in page.text
    feed = client.get("/feed.xml", params=query)
    assert feed.status_code == 400 and feed.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/articles/999", "/articles/abc", "/articles/1/diff",
                                  "/articles/%00", "/sources/9/edit", "/sources/x/edit",
                                  "/no/such/page"])
def test_unknown_pages_are_html_404(client: TestClient, path: str) -> None:
    page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1" in page.text and "Not found" in page.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_errors_stay_json(client: TestClient) -> None:
    response = client.get("/api/no-such-thing", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_reader_view(client: TestClient, db: Database, settings: Settings,
                     site: LocalSite) -> None:
    first = archive(db, settings, site.add("/2022/03/01/convoy", seed_page()))
    copy = archive(db, settings, site.add("/2022/03/01/convoy-copy", seed_page(
        site="Another Aggregator")))
    page = client.get(f"/articles/{copy}")
    assert page.status_code == 200
    text = page.text
    assert "Russian convoy stalls outside Kyiv" in text
    assert "Satellite images captured by an American firm" in text  # the body
    assert re.search(r"Originally from <strong>[^<]*NBC|Originally from <strong>[^<]*Nbc", text,
                     re.I)
    assert f'This is a copy of <a href="/articles/{first}">' in text
    for label in ("Published", "Fetched", "Original"):
        assert f"<dt>{label}</dt>" in text
    assert f'href="/api/articles/{copy}/raw"' in text
    assert f'href="/api/articles/{copy}"' in text
    assert 'rel="noopener noreferrer nofollow"' in text


def test_versions_and_diff(client: TestClient, db: Database, settings: Settings,
                           site: LocalSite) -> None:
    paras = lorem_paragraphs(5, 4)
    url = site.add("/2024/06/01/update", publisher_page("Storm update", paras))
    article_id = archive(db, settings, url)
    changed = [paras[0], paras[1].replace("reviewed again", "approved on Friday"), paras[3],
               "A new closing paragraph was added after the vote."]
    site.add("/2024/06/01/update", publisher_page("Storm update: plan approved", changed))
    assert archive(db, settings, url) == article_id
    page = client.get(f"/articles/{article_id}")
    assert "v2" in page.text and f"/articles/{article_id}/diff?a=1&amp;b=2" in page.text
    diff = client.get(f"/articles/{article_id}/diff", params={"a": 1, "b": 2})
    assert diff.status_code == 200
    assert "<ins>A new closing paragraph was added after the vote.</ins>" in diff.text
    assert re.search(r"<del>[^<]*reviewed again[^<]*</del>", diff.text)
    assert re.search(r"<ins>[^<]*approved on Friday[^<]*</ins>", diff.text)
    assert "Story 5 paragraph 2" in re.search(r'<p class="removed"><del>([^<]*)', diff.text
                                              ).group(1)  # type: ignore[union-attr]
    assert "<ins>Storm update: plan approved</ins>" in diff.text
    for bad, status in (({"a": "x"}, 400), ({"a": 7}, 404), ({"b": "1;drop"}, 400)):
        assert client.get(f"/articles/{article_id}/diff", params=bad).status_code == status


def test_crawls_page(client: TestClient, db: Database, site: LocalSite) -> None:
    source = add_source(db=db, url=site.url("/feed/"), name="Night desk")
    with db.write() as session:
        session.add(CrawlRun(source_id=source.id, trigger="scheduler", status="done",
                             discovered=12, fetched=9, archived=7, unchanged=1, skipped=3,
                             failed=2, failures={"timeout": 1, "robots": 1}))
        session.add(CrawlRun(source_id=source.id, status="failed", error="feed unreachable"))
    page = client.get("/crawls")
    assert page.status_code == 200
    assert "Night desk" in page.text and "feed unreachable" in page.text
    assert "timeout: 1" in page.text and "robots: 1" in page.text
    assert re.search(r'data-label="archived">7<', page.text)
    assert client.get("/crawls", params={"source": "zz"}).status_code == 400
    filtered = client.get("/crawls", params={"source": source.id + 1})
    assert "No crawl has run yet." in filtered.text


def test_a_flagged_source_says_why_on_the_sources_page(client: TestClient, db: Database) -> None:
    """A source whose fetches mostly fail is flagged, and /sources shows the reason in words."""
    from newsarchive.models import FrontierURL

    source = add_source(db=db, url="http://flaky.example/news/", name="Flaky Times")
    healthy = client.get("/sources")
    assert "Flaky Times" in healthy.text and "Needs attention" not in healthy.text
    with db.write() as session:
        for i in range(10):
            session.add(FrontierURL(url=f"http://flaky.example/{i}", host="flaky.example",
                                    source_id=source.id, state="failed" if i < 8 else "done",
                                    last_reason="http_403" if i < 8 else None))
    flagged = client.get("/sources")
    assert flagged.status_code == 200
    assert re.search(r"Needs attention: [^<]*http_403", flagged.text), flagged.text[-2000:]
