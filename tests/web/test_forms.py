"""The /sources forms: CSRF on every POST, the API's write rule, errors that lose nothing."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from newsarchive.services.sources import add_source, get_source, list_sources
from newsarchive.storage.crawls import recent_runs
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.conftest import make_settings
from tests.sites import LocalSite
from tests.web.conftest import csrf_token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_add_source_from_the_form(client: TestClient, db: Database) -> None:
    token = csrf_token(client)
    response = client.post("/sources", data={
        "csrf_token": token, "url": "https://example.com/news/", "name": "Example",
        "kind": "feed", "every": "2h"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sources?done=added"
    [source] = list_sources(db=db)
    assert (source.url, source.name, source.kind, source.every_seconds) == (
        "https://example.com/news/", "Example", "feed", 7200)
    page = client.get("/sources?done=added")
    assert "Source added." in page.text and "every 2 h" in page.text


def test_post_without_csrf_token_is_refused(client: TestClient, db: Database) -> None:
    csrf_token(client)  # the session cookie exists, but no token is sent
    response = client.post("/sources", data={"url": "https://example.com/a/"})
    assert response.status_code == 403 and "security token" in response.text
    assert response.headers["content-type"].startswith("text/html")
    forged = client.post("/sources", data={"url": "https://example.com/a/",
                                           "csrf_token": "0" * 64})
    assert forged.status_code == 403
    client.cookies.clear()
    no_cookie = client.post("/sources", data={"url": "https://example.com/a/",
                                              "csrf_token": "0" * 64})
    assert no_cookie.status_code == 403
    assert list_sources(db=db) == []


def test_token_is_bound_to_the_session(client: TestClient, db: Database,
                                       settings) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    with TestClient(create_app(settings, db=db)) as other:
        csrf_token(other)  # another browser, another session
        response = other.post("/sources", data={"url": "https://example.com/b/",
                                                "csrf_token": token})
        assert response.status_code == 403
    cross = client.post("/sources", data={"url": "https://example.com/b/", "csrf_token": token},
                        headers={"origin": "https://evil.example"})
    assert cross.status_code == 403 and "another site" in cross.text
    assert list_sources(db=db) == []


def test_invalid_input_keeps_what_was_typed(client: TestClient, db: Database) -> None:
    token = csrf_token(client)
    bad = client.post("/sources", data={"csrf_token": token, "url": "ftp://nope",
                                        "name": "My <b>name</b>", "every": "5m"})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="url-error"' in bad.text
    assert 'value="ftp://nope"' in bad.text and 'value="My &lt;b&gt;name&lt;/b&gt;"' in bad.text
    too_often = client.post("/sources", data={"csrf_token": token, "url": "https://a.example/",
                                              "every": "5s"})
    assert too_often.status_code == 422 and 'id="every-error"' in too_often.text
    both = client.post("/sources", data={"csrf_token": token, "url": "https://a.example/",
                                         "every": "1h", "cron": "0 * * * *"})
    assert both.status_code == 422
    add_source(db=db, url="https://dup.example/")
    dup = client.post("/sources", data={"csrf_token": token, "url": "https://dup.example/"})
    assert dup.status_code == 409 and "exists already" in dup.text
    assert [s.url for s in list_sources(db=db)] == ["https://dup.example/"]


def test_pause_resume_edit_delete(client: TestClient, db: Database) -> None:
    source = add_source(db=db, url="https://a.example/news/", name="A")
    token = csrf_token(client)
    assert client.post(f"/sources/{source.id}/pause", data={"csrf_token": token}).status_code == 200
    assert get_source(db=db, source_id=source.id or 0).enabled is False
    assert "paused" in client.get("/sources").text
    client.post(f"/sources/{source.id}/resume", data={"csrf_token": token})
    assert get_source(db=db, source_id=source.id or 0).enabled is True

    edit = client.get(f"/sources/{source.id}/edit")
    assert edit.status_code == 200 and 'value="https://a.example/news/"' in edit.text
    saved = client.post(f"/sources/{source.id}/edit", data={
        "csrf_token": token, "url": "https://a.example/world/", "name": "A world",
        "kind": "page", "cron": "*/15 * * * *"}, follow_redirects=False)
    assert saved.status_code == 303
    changed = get_source(db=db, source_id=source.id or 0)
    assert (changed.url, changed.name, changed.kind, changed.cron) == (
        "https://a.example/world/", "A world", "page", "*/15 * * * *")
    bad = client.post(f"/sources/{source.id}/edit", data={"csrf_token": token,
                                                          "url": "https://a.example/world/",
                                                          "cron": "every tuesday"})
    assert bad.status_code == 422 and 'value="every tuesday"' in bad.text

    assert client.post(f"/sources/{source.id}/delete", data={}).status_code == 403
    assert client.post(f"/sources/{source.id}/delete", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert list_sources(db=db) == []
    assert client.post(f"/sources/{source.id}/delete",
                       data={"csrf_token": token}).status_code == 404
    assert client.post("/sources/1/explode", data={"csrf_token": token}).status_code == 404


def test_crawl_now_runs_the_crawl_service(client: TestClient, db: Database,
                                          site: LocalSite) -> None:
    site.add("/news/", "<html><body><p>No links today.</p></body></html>")
    source = add_source(db=db, url=site.url("/news/"))
    token = csrf_token(client)
    response = client.post(f"/sources/{source.id}/crawl", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("crawling")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with db.read() as session:
            runs = [r for r in recent_runs(session, source_id=source.id) if r.finished_at]
        if runs:
            break
        time.sleep(0.1)
    assert runs and runs[0].trigger == "web"
    assert site.hits("/news/"), "the crawl fetched the source page"
    health = client.get("/sources").text
    assert "0 archived" in health and "last run: 0 new, 0 failed" in health
    assert "last crawl" in health and "never crawled" not in health


def test_api_key_needs_a_browser_sign_in(tmp_path, db: Database) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(db.url, api_key="s3cret-key")
    with TestClient(create_app(settings, db=db)) as browser:
        page = browser.get("/sources")
        assert "sign in with the API key" in page.text and 'action="/sources"' not in page.text
        token = csrf_token(browser, "/login")
        refused = browser.post("/sources", data={"csrf_token": token,
                                                 "url": "https://k.example/"})
        assert refused.status_code == 401
        wrong = browser.post("/login", data={"csrf_token": token, "key": "guess"})
        assert wrong.status_code == 403 and "not the API key" in wrong.text
        assert browser.post("/login", data={"key": "s3cret-key"}).status_code == 403  # no CSRF
        signed = browser.post("/login", data={"csrf_token": token, "key": "s3cret-key"},
                              follow_redirects=False)
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert "s3cret-key" not in cookie
        added = browser.post("/sources", data={"csrf_token": token,
                                               "url": "https://k.example/"},
                             follow_redirects=False)
        assert added.status_code == 303
        assert [s.url for s in list_sources(db=db)] == ["https://k.example/"]
        browser.post("/logout", data={"csrf_token": token})
        again = browser.post("/sources", data={"csrf_token": token,
                                               "url": "https://k2.example/"})
        assert again.status_code == 401
