"""Per-site rules end to end: a crawl of a local site stores the rule-shaped article,
reextract applies a changed rules file, ``extract --rules`` prints it, and a broken file
stops a command before it does anything."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from newsarchive.models import Article
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import crawl_source
from newsarchive.storage.db import Database
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings
from tests.extract.test_siterules import ASIDE, PROMO, STORY, ruled_page
from tests.sites import LocalSite

RULES = """
["127.0.0.1"]
body = "div.story"
drop = ".coda"
title = "h2.headline"
authors = ".writers a"
"""


def write_rules(path: Path, text: str, bump: int = 0) -> Path:
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + bump * 1_000_000_000  # a new mtime even within a tick
    os.utime(path, ns=(stamp, stamp))
    return path


def test_a_crawl_stores_the_rule_shaped_article_and_reextract_follows_the_file(
        db: Database, site: LocalSite, tmp_path: Path) -> None:
    rules = write_rules(tmp_path / "rules.toml", RULES)
    paths = [f"/news/2024/05/0{i}/harbour-plan-{i}" for i in (1, 2)]
    for path in paths:
        site.add(path, ruled_page())
    site.add("/", "".join(f'<a href="{p}">Harbour plan approved after a long debate</a>'
                          for p in paths))
    sid = source_service.add_source(db=db, url=site.url("/"), kind="page").id
    assert sid is not None
    settings = make_settings(db.url, site_rules=rules)
    run = asyncio.run(crawl_source(db=db, settings=settings, source_id=sid))
    assert run.archived == 2, run
    with db.read() as session:
        stored = session.query(Article).all()
    for article in stored:
        assert article.title == "Harbour plan approved after a long debate"
        assert article.authors == ["Jane Doe", "John Roe"]
        assert article.text.split("\n\n") == STORY
        assert PROMO not in article.html and ASIDE[0] not in article.html
        assert article.meta["site_rules"]["body"] == "matched"
    # the rules change: reextract applies them to the stored captures
    write_rules(rules, RULES.replace('title = "h2.headline"', 'title = "h1.kicker"'), bump=5)
    env = cli_env(db.url, NEWSARCHIVE_SITE_RULES=str(rules))
    result = run_cli(["reextract"], env)
    assert "2 checked, 2 updated, 0 unchanged, 0 failed" in result.output, result.output
    with db.read() as session:
        assert {a.title for a in session.query(Article)} == {"Local News"}
        assert {a.version for a in session.query(Article)} == {2}


def test_archive_uses_the_rules(db: Database, site: LocalSite, tmp_path: Path) -> None:
    rules = write_rules(tmp_path / "rules.toml", RULES)
    url = site.add("/news/2024/05/01/harbour-plan", ruled_page())
    result = run_cli(["archive", url], cli_env(db.url, NEWSARCHIVE_SITE_RULES=str(rules)))
    assert result.exit_code == 0, result.output
    with db.read() as session:
        article = session.query(Article).one()
    assert (article.title, article.authors) == ("Harbour plan approved after a long debate",
                                                ["Jane Doe", "John Roe"])
    assert article.text.split("\n\n") == STORY


def test_extract_rules_prints_the_rule_shaped_article(tmp_path: Path) -> None:
    rules = write_rules(tmp_path / "rules.toml", RULES.replace("127.0.0.1", "harbour.example"))
    page = tmp_path / "page.html"
    page.write_text(ruled_page(), encoding="utf-8")
    env = cli_env(f"sqlite:///{tmp_path / 'x.db'}")
    url = "https://www.harbour.example/2024/05/01/harbour-plan"
    result = run_cli(["extract", str(page), "--url", url, "--rules", str(rules)], env)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "Harbour plan approved after a long debate"
    assert record["authors"] == ["Jane Doe", "John Roe"]
    assert record["text"].split("\n\n") == STORY
    text = run_cli(["extract", str(page), "--url", url, "--format", "text"],
                   cli_env(f"sqlite:///{tmp_path / 'x.db'}",
                           NEWSARCHIVE_SITE_RULES=str(rules)))  # the setting is the default
    assert text.stdout.strip().split("\n\n") == STORY
    plain = run_cli(["extract", str(page), "--url", url, "--format", "text"], env)
    assert PROMO in plain.stdout  # without rules the house line stays
    elsewhere = run_cli(["extract", str(page), "--url", "https://other.example/a",
                         "--rules", str(rules), "--format", "text"], env)
    assert elsewhere.stdout == plain.stdout
    assert f"note: {rules} has no rules for https://other.example/a" in elsewhere.stderr


def test_a_broken_rules_file_stops_commands_before_they_start(tmp_path: Path) -> None:
    rules = write_rules(tmp_path / "rules.toml", '["a.example"]\nbody = "div["')
    env = cli_env(f"sqlite:///{tmp_path / 'x.db'}", NEWSARCHIVE_SITE_RULES=str(rules))
    for args in (["crawl", "--all"], ["extract", "-"], ["reextract"]):
        result = run_cli(args, env, input=b"<p>x</p>")
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.strip() == (f"error: {rules}: site 'a.example', key 'body': "
                                         "'div[' is not a valid CSS selector"), args
    missing = run_cli(["extract", "-", "--rules", str(tmp_path / "none.toml")],
                      cli_env(f"sqlite:///{tmp_path / 'x.db'}"), input=b"<p>x</p>")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"error: {tmp_path / 'none.toml'}: no such site rules file"


def test_an_edited_file_is_read_again_and_a_broken_edit_keeps_the_old_rules(
        tmp_path: Path) -> None:
    from newsarchive.services.site_rules import SiteRulesFile

    path = write_rules(tmp_path / "rules.toml", '["a.example"]\nbody = "main"')
    rules = SiteRulesFile(path)
    assert rules.for_url("https://a.example/x").body == ("main",)  # type: ignore[union-attr]
    write_rules(path, '["a.example"]\nbody = "article"', bump=5)
    assert rules.for_url("https://a.example/x").body == ("article",)  # type: ignore[union-attr]
    write_rules(path, '["a.example"]\nbody = "article["', bump=10)
    assert rules.for_url("https://a.example/x").body == ("article",)  # type: ignore[union-attr]
    assert SiteRulesFile(None).for_url("https://a.example/x") is None
