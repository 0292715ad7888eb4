"""``newsarchive reextract``: new versions only where the extractor's result changed."""

from __future__ import annotations

import sqlalchemy as sa

from newsarchive.models import Article, ArticleVersion
from newsarchive.storage.db import Database
from tests.cli_helpers import cli_env, run_cli
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite


def test_reextract_makes_versions_only_where_the_result_changed(
    db: Database, site: LocalSite,
) -> None:
    env = cli_env(db.url)
    urls = [site.add(f"/news/2024/05/0{i}/story-to-read-again-{i}",
                     publisher_page(f"Story {i}", lorem_paragraphs(i + 3))) for i in range(3)]
    assert run_cli(["archive", *urls], env).exit_code == 0
    first = run_cli(["reextract"], env)
    assert first.exit_code == 0, first.output
    assert "3 checked, 0 updated, 3 unchanged, 0 failed" in first.output
    with db.write() as s:  # as an older extractor had read it
        s.execute(sa.update(Article).where(Article.title == "Story 1")
                  .values(title="Story 1 | Example Times", content_hash="old"))
    second = run_cli(["reextract", "--since", "2000-01-01"], env)
    assert "3 checked, 1 updated, 2 unchanged" in second.output, second.output
    with db.read() as s:
        article = s.exec(sa.select(Article).where(Article.title == "Story 1")).scalars().one()
        versions = s.exec(sa.select(ArticleVersion).where(
            ArticleVersion.article_id == article.id).order_by(ArticleVersion.version)
        ).scalars().all()
    assert article.version == 2 and [v.version for v in versions] == [1, 2]
    assert versions[1].capture_id == versions[0].capture_id is not None
    unknown = run_cli(["reextract", "--source", "999"], env)
    assert unknown.exit_code == 1 and "no source 999" in unknown.output


def test_a_sources_profile_is_learnt_from_its_captures(db: Database, site: LocalSite) -> None:
    import asyncio

    from newsarchive.services import sources as source_service
    from newsarchive.services.crawl import crawl_source
    from newsarchive.services.extraction import SiteProfiles
    from tests.conftest import make_settings

    paths = [f"/news/2024/05/0{i}/story-with-a-shared-frame-{i}" for i in range(1, 5)]
    for i, path in enumerate(paths):
        site.add(path, publisher_page(f"Story {i}", lorem_paragraphs(i + 20)))
    site.add("/", "".join(f'<a href="{p}">s</a>' for p in paths))
    sid = source_service.add_source(db=db, url=site.url("/"), kind="page").id
    assert asyncio.run(SiteProfiles(db).get(sid)) is None  # nothing captured yet
    run = asyncio.run(crawl_source(db=db, settings=make_settings(db.url), source_id=sid))
    assert run.archived == 4
    profile = asyncio.run(SiteProfiles(db).get(sid))
    assert profile is not None and profile.pages == 4
    # the frame every page repeats is learnt, no story paragraph is
    from newsarchive.extract.profile import fingerprint

    story = {fingerprint(p) for i in range(4) for p in lorem_paragraphs(i + 20)}
    assert profile.fingerprints and not (profile.fingerprints & story)
