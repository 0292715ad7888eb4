"""A partial failure is a failure: a script reading the exit code must be able to tell that
some of what it asked for did not happen, while the rest still ran (README's exit codes)."""

from __future__ import annotations

import sqlalchemy as sa

from newsarchive.models import Capture, CrawlRun
from newsarchive.storage.db import Database
from tests.cli_helpers import cli_env, run_cli
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite

#: nothing listens on the discard port: this source's discovery fails
DEAD_SOURCE = "http://127.0.0.1:9/news/"


def _feed(site: LocalSite) -> str:
    story = site.add("/news/2024/05/01/harbor-story-one",
                     publisher_page("Harbor story one", lorem_paragraphs(5)))
    return site.add("/feed.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>Harbor story one</title><link>{story}</link></item>"
        "</channel></rss>"), content_type="application/rss+xml")


def test_crawl_all_exits_1_when_one_source_failed_after_crawling_every_source(
    db: Database, site: LocalSite,
) -> None:
    env = cli_env(db.url)
    assert run_cli(["sources", "add", DEAD_SOURCE, "--kind", "page"], env).exit_code == 0
    assert run_cli(["sources", "add", _feed(site), "--kind", "feed"], env).exit_code == 0
    result = run_cli(["crawl", "--all"], env)
    assert result.exit_code == 1, result.output
    assert "source 1: run 1 failed" in result.output
    assert "source 2: run 2 done: 1 discovered, 1 fetched, 1 archived" in result.output
    with db.read() as s:
        runs = s.exec(sa.select(CrawlRun).order_by(CrawlRun.id)).scalars().all()
    assert [(r.source_id, r.status) for r in runs] == [(1, "failed"), (2, "done")]


def test_crawl_all_exits_0_when_every_source_crawled(db: Database, site: LocalSite) -> None:
    env = cli_env(db.url)
    assert run_cli(["sources", "add", _feed(site), "--kind", "feed"], env).exit_code == 0
    result = run_cli(["crawl", "--all"], env)
    assert result.exit_code == 0, result.output


def test_reextract_exits_1_when_an_article_failed(db: Database, site: LocalSite) -> None:
    env = cli_env(db.url)
    urls = [site.add(f"/news/2024/05/0{i}/story-to-read-again-{i}",
                     publisher_page(f"Story {i}", lorem_paragraphs(i + 3))) for i in range(2)]
    assert run_cli(["archive", *urls], env).exit_code == 0
    with db.write() as s:  # one stored capture is no longer an article page
        first = s.exec(sa.select(Capture).order_by(Capture.id)).scalars().first()
        assert first is not None
        first.body, first.body_encoding = b"<html><body><p>gone</p></body></html>", "identity"
        s.add(first)
    result = run_cli(["reextract"], env)
    assert result.exit_code == 1, result.output
    assert "2 checked, 0 updated, 1 unchanged, 1 failed" in result.output
    assert "no longer read as an article" in result.output
