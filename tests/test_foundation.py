"""The walking skeleton end to end: archive a page, see it in the API and the HTML index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import sqlalchemy as sa
from fastapi.testclient import TestClient

from newsarchive.web.app import create_app
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings
from tests.pages import SEED_BOILERPLATE, SEED_PARAGRAPHS, SEED_TITLE, seed_page
from tests.sites import LocalSite, Reply


def _count(database_url: str, table: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
    finally:
        engine.dispose()


def test_archive_then_api_and_html_show_it(database_url: str, site: LocalSite) -> None:
    url = site.add("/2022/03/01/russian-convoy-stalls-outside-kyiv/", seed_page())
    result = run_cli(["archive", url], cli_env(database_url))
    assert result.exit_code == 0, result.output
    article_id, status, version, title = result.output.strip().split("\t")
    assert status == "archived" and version == "v1"
    assert title == SEED_TITLE

    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        listing = client.get("/api/articles").json()
        assert [item["id"] for item in listing["items"]] == [int(article_id)]
        assert listing["next_cursor"] is None
        assert "text" not in listing["items"][0]
        record = client.get(f"/api/articles/{article_id}").json()
        assert record["title"] == SEED_TITLE
        assert record["canonical_url"] == url
        assert record["version"] == 1
        assert SEED_PARAGRAPHS[0] in record["text"]
        assert record["original_source"] == "Nbcnews.com"
        for phrase in SEED_BOILERPLATE:
            assert phrase not in record["text"], phrase
        for key in ("id", "url", "canonical_url", "source_id", "site_name", "title",
                    "description", "authors", "published_at", "modified_at", "language",
                    "text", "html", "top_image", "tags", "word_count", "original_source",
                    "content_hash", "duplicate_of", "access", "fetched_at", "updated_at",
                    "version", "extractor_version"):
            assert key in record, key
        home = client.get("/")
        assert home.status_code == 200 and SEED_TITLE in home.text
        page = client.get(f"/articles/{article_id}")
        assert page.status_code == 200 and "Maxar Technologies" in page.text
        raw = client.get(f"/api/articles/{article_id}/raw")
        assert raw.headers["content-type"].startswith("text/plain")
        assert b"commentform" in raw.content  # the original response, unmodified
        assert client.get("/healthz").json()["status"] == "ok"
    assert _count(database_url, "capture") == 1
    assert _count(database_url, "article_version") == 1


def test_archiving_again_unchanged_stores_nothing_new(database_url: str, site: LocalSite) -> None:
    url = site.add("/2022/03/01/russian-convoy-stalls-outside-kyiv/", seed_page())
    env = cli_env(database_url)
    assert run_cli(["archive", url], env).exit_code == 0
    again = run_cli(["archive", url + "?utm_source=x&fbclid=y"], env)
    assert again.exit_code == 0
    assert "\tunchanged\t" in again.output
    assert _count(database_url, "article") == 1
    assert _count(database_url, "capture") == 1


def test_private_address_refused_without_setting(sqlite_url: str, site: LocalSite) -> None:
    url = site.add("/2022/03/01/story-on-loopback/", seed_page())
    env = cli_env(sqlite_url, NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS="false")
    result = run_cli(["archive", url], env)
    assert result.exit_code == 1
    assert "refused: private address 127.0.0.1;" in result.output
    assert "NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS" in result.output
    assert site.requests == []  # refused before any request was made
    assert _count(sqlite_url, "article") == 0


def test_bad_input_gives_one_line_and_exit_1(database_url: str, site: LocalSite) -> None:
    env = cli_env(database_url)
    site.add("/feed.json", Reply(body=b'{"a": 1}', content_type="application/json"))
    site.add("/empty/", "<html><head><title>Home</title></head><body><nav>Home</nav></body></html>")
    cases = {
        site.url("/missing/"): "HTTP 404",
        site.url("/feed.json"): "not an HTML page",
        site.url("/empty/"): "not an article",
        "http://127.0.0.1:9/closed-port/": "cannot fetch",
        "not a url": "not an absolute http(s) URL",
        "file:///etc/passwd": "not an absolute http(s) URL",
    }
    for url, expected in cases.items():
        result = run_cli(["archive", url], env)
        assert result.exit_code == 1, (url, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), (url, result.output)
        assert expected in lines[0], (url, lines[0])
        assert "Traceback" not in result.output
    assert _count(database_url, "article") == 0
    assert _count(database_url, "capture") == 0


def test_extract_prints_article_json_without_storing(tmp_path, sqlite_url: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(seed_page(), encoding="utf-8")
    url = "https://worldnews.example/2022/03/01/russian-convoy-stalls-outside-kyiv/"
    result = run_cli(["extract", str(page), "--url", url], cli_env(sqlite_url))
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"] == SEED_TITLE
    assert record["id"] is None and record["version"] is None and record["duplicate_of"] is None
    text = run_cli(["extract", str(page), "--url", url, "--format", "text"], cli_env(sqlite_url))
    assert SEED_PARAGRAPHS[1] in text.output
    assert not os.path.exists(sqlite_url.removeprefix("sqlite:///"))


def test_console_script_runs_as_module(tmp_path) -> None:
    """`python -m newsarchive` is the same CLI, with exit code 2 on bad usage."""
    env = dict(os.environ, NEWSARCHIVE_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    ok = subprocess.run([sys.executable, "-m", "newsarchive", "--version"], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "newsarchive" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "newsarchive", "sources", "add"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
