"""Duplicates: exact and near copies point at the original, whichever is stored first."""

from __future__ import annotations

from datetime import UTC, datetime

from newsarchive.extract import ExtractOptions, extract
from newsarchive.fetch.client import FetchResult
from newsarchive.models import Article
from newsarchive.services.archive import store_fetched
from newsarchive.services.dedup import containment, distance, simhash
from newsarchive.storage.db import Database
from tests.pages import SEED_BULLETS, SEED_PARAGRAPHS, lorem_paragraphs, publisher_page


def _store(db: Database, url: str, html: str) -> Article:
    result = FetchResult(url=url, final_url=url, status=200, headers=[], body=html.encode(),
                         fetched_at=datetime.now(UTC), content_type="text/html")
    extracted = extract(result.body, url, ExtractOptions())
    return store_fetched(db=db, result=result, extracted=extracted, recheck_hours=[1.0]).article


def _get(db: Database, article_id: int | None) -> Article:
    with db.read() as s:
        found = s.get(Article, article_id)
        assert found is not None
        return found


def test_simhash_separates_copies_from_other_stories() -> None:
    original = "\n\n".join(SEED_PARAGRAPHS)
    framed = "Latest updates:\n\n" + "\n\n".join(SEED_BULLETS) + "\n\n" + original
    other = "\n\n".join(lorem_paragraphs(5))
    a, b, c = simhash(original), simhash(framed), simhash(other)
    assert a is not None and b is not None and c is not None
    assert distance(a, b) <= 12 < distance(a, c)
    assert containment(original, framed) == 1.0 and containment(original, other) < 0.2
    assert simhash("too short to judge") is None


def test_the_later_published_copy_points_at_the_earlier(db: Database) -> None:
    paras = lorem_paragraphs(9, n=8)
    late = _store(db, "http://b.test/news/2024/05/02/the-story-again",
                  publisher_page("Story", paras, published="2024-05-02T08:00:00+00:00",
                                 site="B"))
    early = _store(db, "http://a.test/news/2024/05/01/the-story",
                   publisher_page("Story", paras, published="2024-05-01T08:00:00+00:00",
                                  site="A"))
    # stored second, published first: the original; the first one stored is the copy
    assert _get(db, late.id).duplicate_of == early.id
    assert _get(db, early.id).duplicate_of is None
    third = _store(db, "http://c.test/news/2024/05/03/the-story-once-more",
                   publisher_page("Story", [*paras, "Copyright C, all rights reserved in "
                                            "every country of the world, 2024."],
                                  published="2024-05-03T08:00:00+00:00", site="C"))
    assert _get(db, third.id).duplicate_of == early.id  # a near copy, linked to the root
    unrelated = _store(db, "http://a.test/news/2024/05/04/another-story",
                       publisher_page("Other", lorem_paragraphs(77, n=8)))
    assert _get(db, unrelated.id).duplicate_of is None
