"""Faults: a full disk and a read-only database file. A clear error (the CLI exits 1 with
one readable line, the API answers 503 JSON), no retries that cannot help, nothing
corrupted or half-written (``PRAGMA integrity_check`` is ``ok`` and the counts are those
from before), and reads still served.

How the faults are made, honestly and without privileges the tests do not have:
- full: SQLite's own ``PRAGMA max_page_count``, set on every connection to the test's
  file to the pages it already has, makes the next write that needs a page fail with
  SQLITE_FULL ("database or disk is full"), the same error a full disk gives;
- read-only: the tests run as root, whom ``chmod 0444`` does not stop, so the file is made
  immutable with ``chattr +i`` (ext4, CAP_LINUX_IMMUTABLE); SQLite then opens it read-only
  and a write fails with SQLITE_READONLY. Skipped where chattr is refused.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from newsarchive.web.app import create_app
from tests.api.helpers import add_article
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite

STORY = "/2024/05/01/a-long-story-that-needs-pages"
#: a failed write must be reported at once, not after the retry loop (~15 s)
PROMPT_SECONDS = 5.0


def _counts(path: Path) -> dict[str, Any]:
    with sqlite3.connect(path) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in ("article", "article_version", "capture", "source", "frontier_url")}
        counts["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return counts


@pytest.fixture
def archive(tmp_path: Path, site: LocalSite) -> Iterator[tuple[Path, str]]:
    """A SQLite archive with a source and three articles, and a local page to archive."""
    path = tmp_path / "archive.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    for n in range(1, 4):
        add_article(db, n, f"Story {n}", " ".join(lorem_paragraphs(n, 3)))
    db.dispose()
    assert run_cli(["sources", "add", site.url("/feed.xml")], cli_env(url)).exit_code == 0
    site.add(STORY, publisher_page("A long story", lorem_paragraphs(7, n=60)))
    yield path, url


def _one_line_error(args: list[str], url: str, expected: str) -> None:
    started = time.monotonic()
    result = run_cli(args, cli_env(url))
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert expected in lines[0] and "Traceback" not in result.output
    assert elapsed < PROMPT_SECONDS, f"{args[0]} took {elapsed:.1f} s to give up"


def _api_refuses_writes_serves_reads(url: str, site: LocalSite, *, small: bool) -> None:
    writes: list[tuple[str, str, dict[str, str]]] = [
        ("POST", "/api/articles", {"url": site.url(STORY)})]
    if small:
        writes += [("POST", "/api/sources", {"url": site.url("/other-feed.xml")}),
                   ("PATCH", "/api/sources/1", {"name": "Renamed"})]
    with TestClient(create_app(make_settings(url))) as client:
        for method, path, body in writes:
            response = client.request(method, path, json=body)
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.headers["content-type"] == "application/json"
            assert "unavailable" in response.json()["detail"]
        listing = client.get("/api/articles")
        assert listing.status_code == 200 and len(listing.json()["items"]) == 3


def _check_writes_fail_cleanly(path: Path, url: str, site: LocalSite, expected: str, *,
                               small: bool) -> None:
    """Writes fail; ``small`` ones too (a full database still takes a row that fits in a
    page it already has, as a full disk would)."""
    before = _counts(path)
    _one_line_error(["archive", site.url(STORY)], url, expected)
    if small:
        _one_line_error(["sources", "add", site.url("/second-feed.xml")], url, expected)
    _api_refuses_writes_serves_reads(url, site, small=small)
    assert _counts(path) == before


def test_a_full_database_fails_clearly_and_loses_nothing(
        archive: tuple[Path, str], site: LocalSite) -> None:
    path, url = archive
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # fill the free pages so the next row needs a new page
        conn.execute("VACUUM")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]

    def full(dbapi_conn: Any, _record: Any) -> None:
        file = dbapi_conn.execute("PRAGMA database_list").fetchone()[2]
        if Path(file) == path:
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    event.listen(Engine, "connect", full)
    try:
        _check_writes_fail_cleanly(path, url, site, "database or disk is full", small=False)
    finally:
        event.remove(Engine, "connect", full)
    # space again: the same write goes through, nothing was left half-done
    assert run_cli(["archive", site.url(STORY)], cli_env(url)).exit_code == 0
    after = _counts(path)
    assert after["integrity"] == "ok" and after["article"] == 4 and after["capture"] == 4


def test_a_read_only_database_file_fails_clearly_and_loses_nothing(
        archive: tuple[Path, str], site: LocalSite) -> None:
    path, url = archive
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i refused here: {made.stderr.strip()}")
    try:
        _check_writes_fail_cleanly(path, url, site, "readonly database", small=True)
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    assert run_cli(["archive", site.url(STORY)], cli_env(url)).exit_code == 0
    after = _counts(path)
    assert after["integrity"] == "ok" and after["article"] == 4
