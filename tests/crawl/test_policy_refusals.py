"""A URL refused by this deployment's address policy says so and what to set; it is not
taken for a failing site, and a later pass tries it again (the setting may have changed)."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from newsarchive.fetch.client import Fetcher
from newsarchive.models import CrawlRun, FrontierURL
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import crawl_source
from newsarchive.services.extraction import ExtractPool
from newsarchive.services.worker import Worker
from newsarchive.storage.db import Database
from newsarchive.storage.health import source_health
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite

#: the site itself (127.0.0.1) is allowed; its stories linked on 127.0.0.2 are not
ALLOW_THE_SITE = {"NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS": "false",
                  "NEWSARCHIVE_PRIVATE_NETWORK_ALLOWLIST": '["127.0.0.1/32"]'}
REFUSED = 5


def _feed(site: LocalSite) -> tuple[str, list[str]]:
    story = site.add("/news/2024/05/01/harbor-story-one",
                     publisher_page("Harbor story one", lorem_paragraphs(5)))
    elsewhere = [story.replace("127.0.0.1", "127.0.0.2").replace("one", f"elsewhere-{i}")
                 for i in range(REFUSED)]
    return _rss(site, [story, *elsewhere]), elsewhere


def _rss(site: LocalSite, links: list[str]) -> str:
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    return site.add("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel>'
                    f"<title>t</title>{items}</channel></rss>",
                    content_type="application/rss+xml")


def _rows(db: Database, urls: list[str]) -> list[FrontierURL]:
    with db.read() as s:
        return list(s.exec(sa.select(FrontierURL).where(
            FrontierURL.url.in_(urls))).scalars().all())  # type: ignore[attr-defined]


def test_a_refused_private_address_says_what_to_set_and_is_no_site_failure(
    db: Database, site: LocalSite,
) -> None:
    feed, elsewhere = _feed(site)
    env = cli_env(db.url, **ALLOW_THE_SITE)
    assert run_cli(["sources", "add", feed, "--kind", "feed"], env).exit_code == 0
    result = run_cli(["crawl", "--all"], env)
    assert result.exit_code == 0, result.output  # the source was crawled; policy said no
    assert "1 archived" in result.output
    assert (f"  refused by this deployment's address policy: {REFUSED} URLs (private address; "
            "set NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS=true to fetch them)") in result.output
    rows = _rows(db, elsewhere)
    assert len(rows) == REFUSED
    for row in rows:
        assert (row.state, row.last_reason) == ("failed", "private_address")
        assert row.last_error is not None
        assert row.last_error.startswith("refused: private address 127.0.0.2;")
        assert "set NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS=true" in row.last_error
    with db.read() as s:
        health = source_health(s, 1)
    assert health["failures"] == {"private_address": REFUSED}
    assert health["failing_share"] == 0.0 and not health["flagged"], health

    # the next pass tries them again (the setting may have changed since), not a day later
    again = run_cli(["crawl", "--all"], env)
    assert again.exit_code == 0, again.output
    with db.read() as s:
        second = s.exec(sa.select(CrawlRun).order_by(CrawlRun.id.desc())).scalars().first()  # type: ignore[attr-defined]
    assert second is not None
    assert (second.skipped, second.failures) == (1, {"private_address": REFUSED})


def test_a_foreground_pass_is_fetched_by_its_own_process_not_by_other_workers(
    db: Database, site: LocalSite,
) -> None:
    # serve's workers refuse private addresses; `crawl` in the foreground allows them: the
    # pass is the foreground process's to fetch, so nothing of it is refused
    stories = [site.add(f"/news/2024/05/0{i}/harbor-story-{i}",
                        publisher_page(f"Harbor story {i}", lorem_paragraphs(4 + i)))
               for i in range(1, 7)]
    sid = source_service.add_source(db=db, url=_rss(site, stories), kind="feed").id
    refusing = make_settings(db.url, allow_private_networks=False, host_delay=0.0)
    allowing = make_settings(db.url, allow_private_networks=True, host_delay=0.0)

    async def both() -> CrawlRun:
        pool = ExtractPool(1)
        async with Fetcher(refusing) as fetcher:
            other = Worker(db=db, settings=refusing, fetcher=fetcher, pool=pool,
                           concurrency=4)
            serving = asyncio.create_task(other.run())
            try:
                return await crawl_source(db=db, settings=allowing, source_id=sid)
            finally:
                other.stop()
                await serving
                pool.close()

    run = asyncio.run(both())
    assert run.failures == {}, run.failures
    assert (run.archived, run.status) == (len(stories), "done")
