"""Exports (API and CLI), stats, crawl runs, and the database going away."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from newsarchive.config import Settings
from newsarchive.storage.crawls import finish_run, start_run
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings


def test_export_jsonl_and_csv(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "jsonl"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert [r["version"] for r in records] == [1, 1, 2, 1, 1]
    assert records[2]["text"] == "A storm hit the harbor; the river rose fast."
    only = client.get("/api/export", params={"format": "jsonl", "language": "de"}).text
    assert len(only.splitlines()) == 1 and "Council budget vote" in only
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export?format=csv").text)))
    assert len(rows) == 5 and rows[0]["title"] == "River bridge reopens"
    assert rows[0]["authors"] == "Jane Doe"
    assert client.get("/api/export", params={"format": "pdf"}).status_code == 422
    assert client.get("/api/export", params={"since": "soon"}).status_code == 422


def test_export_warc_is_readable_by_warcio(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "warc"})
    assert response.status_code == 200
    records = list(ArchiveIterator(io.BytesIO(response.content)))
    kinds = [r.rec_type for r in records]
    assert kinds[0] == "warcinfo"
    assert kinds.count("metadata") == 5
    # article 3 has two captures (two versions); article 5 none
    assert kinds.count("response") == kinds.count("request") == 5
    responses = [r for r in ArchiveIterator(io.BytesIO(response.content))
                 if r.rec_type == "response"]
    assert responses[0].rec_headers.get_header("WARC-Target-URI") == "https://news.example/1/story"
    assert responses[0].http_headers.get_statuscode() == "200"
    for record in ArchiveIterator(io.BytesIO(response.content)):
        if record.rec_type == "response":
            body = record.content_stream().read()
            assert body.startswith(b"<html><body><h1>")
            assert record.http_headers.get_header("Content-Encoding") is None
            assert record.http_headers.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
        if record.rec_type == "metadata":
            article = json.loads(record.content_stream().read())
            assert article["canonical_url"] == record.rec_headers.get_header("WARC-Target-URI")
        if record.rec_type == "request":
            assert record.http_headers.protocol == "GET"
            assert record.rec_headers.get_header("WARC-Concurrent-To")


def test_cli_export_to_file_and_stdout(settings: Settings, filled: Database,
                                       tmp_path: Path) -> None:
    env = cli_env(settings.database_url)
    target = tmp_path / "out.warc.gz"
    result = run_cli(["export", "--format", "warc", "-o", str(target)], env)
    assert result.exit_code == 0, result.output
    with target.open("rb") as handle:
        assert sum(1 for r in ArchiveIterator(handle) if r.rec_type == "metadata") == 5
    out = run_cli(["export", "--since", "2024-05-01T10:30:00Z"], env)
    assert out.exit_code == 0
    assert [json.loads(x)["title"] for x in out.output.splitlines()] == [
        "Storm hits harbor", "Festival <script>alert(1)</script>", "No capture"]
    bad = run_cli(["export", "--since", "whenever"], env)
    assert bad.exit_code == 1 and bad.output.startswith("error: since:")


def test_stats_and_crawl_runs(client: TestClient, filled: Database) -> None:
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 5 and stats["versions"] == 6 and stats["captures"] == 5
    assert stats["languages"] == {"en": 4, "de": 1}
    assert stats["newest_published_at"].startswith("2024-05-01T13:00:00")
    with filled.write() as session:
        for _ in range(5):
            finish_run(session=session, run=start_run(session=session, source_id=None,
                                                      trigger="cli"))
    first = client.get("/api/crawls", params={"limit": 3}).json()
    second = client.get("/api/crawls", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    ids = [r["id"] for r in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert second["next_cursor"] is None
    assert client.get("/api/crawls", params={"cursor": first["next_cursor"] + "x"}
                      ).status_code == 422


def test_database_unavailable_is_503_json(tmp_path: Path) -> None:
    down = make_settings("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with TestClient(create_app(down)) as client:
        for path in ("/api/articles", "/api/articles/1", "/api/sources", "/api/crawls",
                     "/api/stats", "/api/export", "/api/articles?q=river"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/json"
            assert "unavailable" in response.json()["detail"]
            assert response.headers["retry-after"] == "5"
        assert client.get("/healthz").status_code == 200
