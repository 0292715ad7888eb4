"""Writes: who may write, what a write answers, sources and crawls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite

WRITES = [("post", "/api/articles", {"url": "http://127.0.0.1:9/x"}),
          ("post", "/api/sources", {"url": "http://127.0.0.1:9/news/"}),
          ("patch", "/api/sources/1", {"name": "x"}), ("delete", "/api/sources/1", None),
          ("post", "/api/sources/1/crawl", None)]


def _call(client: TestClient, method: str, path: str, body: object,
          headers: dict[str, str] | None = None) -> int:
    kwargs: dict[str, object] = {"headers": headers or {}}
    if body is not None:
        kwargs["json"] = body
    response = client.request(method.upper(), path, **kwargs)  # type: ignore[arg-type]
    if response.status_code in (401, 403):
        assert isinstance(response.json()["detail"], str)
    return response.status_code


def test_with_a_key_every_write_needs_it(settings: Settings, db: Database) -> None:
    keyed = settings.model_copy(update={"api_key": "s3cret"})
    with TestClient(create_app(keyed, db=db)) as client:
        for method, path, body in WRITES:
            assert _call(client, method, path, body) == 401, path
            assert _call(client, method, path, body, {"Authorization": "Bearer nope"}) == 403
            assert _call(client, method, path, body, {"Authorization": "Basic s3cret"}) == 401
        ok = client.post("/api/sources", json={"url": "http://127.0.0.1:9/news/"},
                         headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 201
        assert client.get("/api/sources").status_code == 200  # reads need no key


def test_without_a_key_only_loopback_writes(settings: Settings, db: Database) -> None:
    app = create_app(settings, db=db)
    with TestClient(app, client=("203.0.113.9", 5000)) as remote:
        for method, path, body in WRITES:
            assert _call(remote, method, path, body) == 403, path
        assert remote.get("/api/articles").status_code == 200
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        assert local.post("/api/sources", json={"url": "http://127.0.0.1:9/a/"}).status_code == 201


def test_oversized_bodies_get_413(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings, db=db)) as client:
        big = {"url": "http://example.com/" + "a" * 70_000}
        response = client.post("/api/articles", json=big)
        assert response.status_code == 413 and "detail" in response.json()

        def chunks():  # no Content-Length: counted while streaming
            for _ in range(100):
                yield b"x" * 1024

        streamed = client.post("/api/sources", content=chunks(),
                               headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert client.get("/api/sources").json()["items"] == []  # nothing was written


def test_sources_crud_and_health(client: TestClient) -> None:
    created = client.post("/api/sources", json={"url": "http://127.0.0.1:9/news/",
                                                "name": "Local", "every": "2h"})
    assert created.status_code == 201, created.text
    source = created.json()
    assert source["every_seconds"] == 7200
    dup = client.post("/api/sources", json={"url": "http://127.0.0.1:9/news/"})
    assert dup.status_code == 409
    bad = client.post("/api/sources", json={"url": "ftp://x", "every": "1s"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "url"]
    nul = client.post("/api/sources", json={"url": "http://a.example/", "name": "a\u0000b"})
    assert nul.status_code == 422 and nul.json()["detail"][0]["loc"] == ["body", "name"]
    one = client.get(f"/api/sources/{source['id']}").json()
    assert one["articles"] == 0 and one["last_run"] is None
    assert one["health"]["source_id"] == source["id"]  # the crawl service's health facts
    assert one["health"]["counts"]["articles"] == 0
    patched = client.patch(f"/api/sources/{source['id']}", json={"enabled": False,
                                                                  "cron": "*/15 * * * *"})
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    assert patched.json()["cron"] == "*/15 * * * *"
    assert client.patch(f"/api/sources/{source['id']}",
                        json={"every": "soon"}).json()["detail"][0]["loc"] == ["body", "every"]
    for n in range(3):
        client.post("/api/sources", json={"url": f"http://127.0.0.1:9/s{n}/"})
    page = client.get("/api/sources", params={"limit": 2}).json()
    rest = client.get("/api/sources", params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert client.delete(f"/api/sources/{source['id']}").status_code == 204
    assert client.get(f"/api/sources/{source['id']}").status_code == 404
    assert client.delete(f"/api/sources/{source['id']}").status_code == 404


def test_post_article_archives_or_says_why(client: TestClient, site: LocalSite) -> None:
    url = site.add("/2024/05/01/story/", publisher_page("A fine story", lorem_paragraphs(7)))
    response = client.post("/api/articles", json={"url": url})
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "A fine story" and response.json()["version"] == 1
    for bad, reason in ((site.url("/missing/"), "404"), ("not a url", "http"),
                        ("http://127.0.0.1:9/closed/", "cannot")):
        refused = client.post("/api/articles", json={"url": bad})
        assert refused.status_code == 422, bad
        assert reason in refused.json()["detail"], refused.json()


def test_crawl_now_runs_the_crawl_service(settings: Settings, filled: Database,
                                          site: LocalSite) -> None:
    links = "".join(f'<a href="/2024/05/0{n}/story-{n}/">Story {n}</a>' for n in (1, 2))
    site.add("/news/", f"<html><body><h1>News</h1>{links}</body></html>")
    for n in (1, 2):
        site.add(f"/2024/05/0{n}/story-{n}/", publisher_page(f"Story {n}", lorem_paragraphs(n)))
    with TestClient(create_app(settings, db=filled)) as client:
        source = client.post("/api/sources", json={"url": site.url("/news/"),
                                                   "kind": "page"}).json()
        accepted = client.post(f"/api/sources/{source['id']}/crawl")
        assert accepted.status_code == 202 and accepted.json()["mode"] == "started"
        assert client.post("/api/sources/4242/crawl").status_code == 404
        import time

        deadline = time.monotonic() + 60
        runs: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            runs = client.get("/api/crawls", params={"source": source["id"]}).json()["items"]
            if runs and runs[0]["status"] != "running":
                break
            time.sleep(0.2)
        assert runs and runs[0]["status"] == "done", (runs[0].get("error"), runs[0].get("failures"))
        assert runs[0]["trigger"] == "api"  # the same crawl service, started by the API
        assert runs[0]["discovered"] == 2 and runs[0]["archived"] == 2, runs[0]
        titles = {a["title"] for a in client.get("/api/articles").json()["items"]}
        assert {"Story 1", "Story 2"} <= titles
        health = client.get(f"/api/sources/{source['id']}").json()
        assert health["last_run"]["id"] == runs[0]["id"]
        assert health["health"]["last_run"]["id"] == runs[0]["id"]
        assert health["last_crawl_at"] is not None


def test_crawl_request_is_queued_when_the_server_does_not_crawl(settings: Settings,
                                                                db: Database) -> None:
    with TestClient(create_app(settings, db=db, crawl_in_process=False)) as client:
        source = client.post("/api/sources", json={"url": "http://127.0.0.1:9/n/",
                                                   "every": "1d"}).json()
        with db.write() as session:  # as after a crawl: next due in a day
            session.execute(sa.text("UPDATE source SET next_due_at = :t"),
                            {"t": (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None)})
        before = datetime.now(UTC)
        accepted = client.post(f"/api/sources/{source['id']}/crawl")
        due = datetime.fromisoformat(
            client.get(f"/api/sources/{source['id']}").json()["next_due_at"])
        assert accepted.status_code == 202 and accepted.json()["mode"] == "queued"
        assert due <= before + timedelta(seconds=5)  # due now, not in a day
        assert client.get("/api/crawls").json()["items"] == []  # nothing ran here


def test_post_article_answers_202_when_the_fetch_outlasts_the_wait(
        settings: Settings, db: Database, site: LocalSite) -> None:
    """Past NEWSARCHIVE_ARCHIVE_WAIT the archive goes on and the answer says where to
    look; that place says pending, then archived with the article's path (or why not)."""
    import time

    from tests.sites import Reply

    slow = site.add("/2024/05/02/slow/", Reply(body=publisher_page("A slow story",
                                                                   lorem_paragraphs(6)),
                                               delay=1.5))
    patient = settings.model_copy(update={"archive_wait": 0.2})
    with TestClient(create_app(patient, db=db)) as client:
        accepted = client.post("/api/articles", json={"url": slow})
        assert accepted.status_code == 202, accepted.text
        status = accepted.json()
        assert status["status"] == "pending" and status["url"] == slow
        assert accepted.headers["Location"] == status["location"]
        assert status["location"] == f"/api/archive-requests/{status['id']}"
        deadline = time.monotonic() + 30
        while status["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get(accepted.headers["Location"]).json()
        assert status["status"] == "archived", status
        article = client.get(status["article"]).json()
        assert article["id"] == status["article_id"] and article["title"] == "A slow story"

        broken = site.add("/2024/05/03/broken/", Reply(status=404, body=b"gone", delay=0.5))
        failing = client.post("/api/articles", json={"url": broken})
        assert failing.status_code == 202
        while (status := client.get(failing.headers["Location"]).json())["status"] == "pending":
            time.sleep(0.1)
        assert status["status"] == "failed" and "404" in status["detail"], status
        assert client.get("/api/archive-requests/nope").status_code == 404
