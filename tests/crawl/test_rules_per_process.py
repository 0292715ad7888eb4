"""A long-lived process keeps one rules object per file: ``archive_url`` reads the file
again when it changed on disk, and only then."""

from __future__ import annotations

import asyncio
from pathlib import Path

from newsarchive.config import Settings
from newsarchive.fetch.client import Fetcher
from newsarchive.services.archive import archive_url
from newsarchive.services.site_rules import rules_file
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from tests.conftest import make_settings
from tests.crawl.test_site_rules import RULES, write_rules
from tests.extract.test_siterules import ruled_page
from tests.sites import LocalSite


async def archive_title(settings: Settings, db: Database, url: str) -> str:
    async with Fetcher(settings) as fetcher:
        outcome = await archive_url(db=db, fetcher=fetcher, url=url)
    return outcome.article.title or ""


def test_archive_url_reads_a_changed_rules_file_and_not_an_unchanged_one(
        sqlite_url: str, site: LocalSite, tmp_path: Path) -> None:
    path = write_rules(tmp_path / "rules.toml", RULES)
    pages = [site.add(f"/news/2024/05/0{i}/harbour-plan-{i}", ruled_page()) for i in (1, 2, 3)]
    settings = make_settings(sqlite_url, site_rules=path)
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    try:
        assert asyncio.run(archive_title(settings, db, pages[0])) == (
            "Harbour plan approved after a long debate")
        assert asyncio.run(archive_title(settings, db, pages[1])) == (
            "Harbour plan approved after a long debate")
        kept = rules_file(path)
        assert kept.reads == 1  # two requests, one parse
        write_rules(path, RULES.replace('title = "h2.headline"', 'title = "h1.kicker"'), bump=5)
        assert asyncio.run(archive_title(settings, db, pages[2])) == "Local News"
        assert rules_file(path) is kept and kept.reads == 2
    finally:
        db.dispose()


def test_one_object_per_path_and_a_file_missing_at_first_is_tried_again(
        tmp_path: Path) -> None:
    from newsarchive.extract.siterules import SiteRulesError

    path = tmp_path / "later.toml"
    try:
        rules_file(path)
    except SiteRulesError as exc:
        assert "no such site rules file" in str(exc)
    else:
        raise AssertionError("a missing file was accepted")
    write_rules(path, '["a.example"]\nbody = "main"')
    first = rules_file(path)
    assert rules_file(str(path)) is first and rules_file(path).reads == 1
    assert first.for_url("https://a.example/x").body == ("main",)  # type: ignore[union-attr]
    assert rules_file(None).for_url("https://a.example/x") is None
