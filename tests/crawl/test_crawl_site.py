"""Crawling a whole local news site through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsarchive.config import Settings
from newsarchive.discover.urls import canonicalize
from newsarchive.models import Article, ArticleVersion, Capture, CrawlRun, FrontierURL
from newsarchive.services import sources as source_service
from newsarchive.services.crawl import crawl_source
from newsarchive.storage.db import Database
from newsarchive.storage.frontier import Candidate, Policy, claim, enqueue
from tests.cli_helpers import cli_env, run_cli
from tests.conftest import make_settings
from tests.crawl.newsite import CHANGING, COPY, MOVED_OLD, ORIGINAL, PRIVATE, PUBLIC, build
from tests.sites import LocalSite, Reply, Request

LISTINGS = ("/", "/section/world", "/tag/harbor")


@pytest.fixture
def newsite(site: LocalSite) -> Iterator:
    yield build(site)


def _add_sources(db: Database, ns) -> list[int]:
    ids = [source_service.add_source(db=db, url=ns.url(p), kind="page").id for p in LISTINGS]
    ids.append(source_service.add_source(db=db, url=ns.url("/feed.xml"), kind="feed").id)
    ids.append(source_service.add_source(db=db, url=ns.url("/sitemap_index.xml"),
                                         kind="sitemap").id)
    return ids


def _articles(db: Database) -> dict[str, Article]:
    with db.read() as s:
        return {a.canonical_url: a for a in s.query(Article).all()}


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.query(model).count()


def test_a_site_is_archived_once_politely_and_rechecked(
    db: Database, settings: Settings, newsite, site: LocalSite,
) -> None:
    _add_sources(db, newsite)
    env = cli_env(settings.database_url)
    first = run_cli(["crawl", "--all"], env)
    assert first.exit_code == 0, first.output
    assert "source 1: run" in first.output and "archived" in first.output

    # every public article once, under its canonical URL; nothing behind robots.txt fetched
    articles = _articles(db)
    assert sorted(articles) == sorted(canonicalize(newsite.url(p)) for p in newsite.articles)
    assert _count(db, Capture) == len(newsite.articles)
    assert site.hits(PRIVATE) == []
    assert len(site.hits(MOVED_OLD)) == 1  # the redirect was followed and recorded
    moved = articles[canonicalize(newsite.url(newsite.articles[-1]))]
    with db.read() as s:
        cap = s.exec(sa.select(Capture).where(Capture.article_id == moved.id)).scalars().one()
        assert cap.redirects and cap.redirects[0][0] == 301
        blocked = s.exec(sa.select(FrontierURL).where(
            FrontierURL.url == canonicalize(newsite.url(PRIVATE)))).scalars().one()
        assert (blocked.state, blocked.last_reason) == ("failed", "robots")
        runs = s.query(CrawlRun).order_by(CrawlRun.id).all()
    assert all(r.status == "done" for r in runs)
    assert sum(r.archived for r in runs) == len(newsite.articles)
    assert sum(r.failures.get("robots", 0) for r in runs) == 1

    # the syndicated copy points at the original it names
    copy = articles[canonicalize(newsite.url(COPY))]
    original = articles[canonicalize(newsite.url(ORIGINAL))]
    assert copy.duplicate_of == original.id and original.duplicate_of is None

    # a second pass right away fetches nothing again: no recheck is due
    before = len(site.requests)
    assert run_cli(["crawl", "--all"], env).exit_code == 0
    assert not [r for r in site.requests[before:] if r.path.split("?")[0] in newsite.articles]

    # an hour later every article is due: conditional GETs; 304s store nothing,
    # the article that changed gets a second version, the first one kept
    newsite.changed = True
    with db.write() as s:
        s.execute(sa.update(Article).values(
            recheck_at=datetime.now(UTC) - timedelta(seconds=1)))
    before = len(site.requests)
    third = run_cli(["crawl", "--all"], env)
    assert third.exit_code == 0, third.output
    rechecks = [r for r in site.requests[before:] if r.path.split("?")[0] in newsite.articles]
    assert len(rechecks) == len(newsite.articles)
    assert all("if-none-match" in r.headers for r in rechecks)
    assert _count(db, Capture) == len(newsite.articles) + 1
    changed = _articles(db)[canonicalize(newsite.url(CHANGING))]
    with db.read() as s:
        versions = s.exec(sa.select(ArticleVersion).where(
            ArticleVersion.article_id == changed.id).order_by(ArticleVersion.version)
        ).scalars().all()
        assert [v.version for v in versions] == [1, 2] and changed.version == 2
        assert "approved the budget" in versions[1].text
        assert "approved the budget" not in versions[0].text
        others = s.query(Article).filter(Article.id != changed.id).all()
        assert {a.version for a in others} == {1}
        # the schedule moved on to the next step (6 h after first seen)
        assert all(a.rechecks == 1 and a.recheck_at > datetime.now(UTC) for a in others)
        last = s.query(CrawlRun).order_by(CrawlRun.id.desc()).limit(5).all()
    assert sum(r.unchanged for r in last) == len(newsite.articles) - 1
    assert sum(r.archived for r in last) == 1


def test_retry_after_is_respected(db: Database, settings: Settings, site: LocalSite) -> None:
    from tests.pages import lorem_paragraphs, publisher_page

    path = "/news/2024/05/01/story-behind-a-busy-server"
    answers = iter([Reply(503, "busy", headers={"Retry-After": "1"}),
                    Reply(429, "slow down", headers={"Retry-After": "1"})])

    def busy(_req: Request) -> Reply:
        return next(answers, Reply(200, publisher_page("Busy", lorem_paragraphs(3))))

    site.add(path, busy)
    site.add("/", f'<html><body><a href="{path}">x</a></body></html>')
    sid = source_service.add_source(db=db, url=site.url("/"), kind="page").id
    run = asyncio.run(crawl_source(db=db, settings=settings, source_id=sid))
    hits = site.hits(path)
    assert [run.archived, run.failed, len(hits)] == [1, 0, 3]
    assert hits[1].at - hits[0].at >= 0.95 and hits[2].at - hits[1].at >= 0.95


def test_client_errors_fail_once_with_a_reason(db: Database, site: LocalSite) -> None:
    settings = make_settings(db.url, max_attempts=2)
    site.add("/", '<html><body><a href="/news/2024/05/01/a-story-that-is-gone">x</a>'
                  '<a href="/news/2024/05/01/a-story-that-errs-always">y</a></body></html>')
    site.add("/news/2024/05/01/a-story-that-errs-always", Reply(500, "oops"))
    sid = source_service.add_source(db=db, url=site.url("/"), kind="page").id
    run = asyncio.run(crawl_source(db=db, settings=settings, source_id=sid))
    assert run.failed == 2 and run.failures == {"http_404": 1, "http_500": 1}
    assert len(site.hits("/news/2024/05/01/a-story-that-is-gone")) == 1
    assert len(site.hits("/news/2024/05/01/a-story-that-errs-always")) == settings.max_attempts


def test_a_killed_workers_urls_are_retried(db: Database, newsite, site: LocalSite) -> None:
    settings = make_settings(db.url, lease_seconds=5)
    sid = source_service.add_source(db=db, url=newsite.url("/"), kind="page").id
    with db.write() as s:
        run = CrawlRun(source_id=sid, trigger="scheduler", status="queued")  # for the workers
        s.add(run)
        s.flush()
        urls = [canonicalize(newsite.url(p)) for p in PUBLIC[:4]]
        enqueue(s, candidates=[Candidate(u) for u in urls], source_id=sid, run_id=run.id,
                now=datetime.now(UTC) - timedelta(seconds=10))
    # a worker claimed them ten seconds ago and died: its leases have run out
    with db.write() as s:
        dead = claim(s, worker="dead", policy=Policy(lease_seconds=5, host_delay=0,
                                                     host_concurrency=10),
                     limit=10, now=datetime.now(UTC) - timedelta(seconds=10))
    assert len(dead) == 4
    run = asyncio.run(crawl_source(db=db, settings=settings, source_id=sid))
    assert set(urls) <= set(_articles(db))
    assert _count(db, Capture) == len(_articles(db))
    for path in PUBLIC[:4]:
        assert len(site.hits(path)) == 1
    with db.read() as s:
        rows = s.exec(sa.select(FrontierURL).where(FrontierURL.url.in_(urls))).scalars().all()
        assert {(r.state, r.attempts) for r in rows} == {("done", 2)}
