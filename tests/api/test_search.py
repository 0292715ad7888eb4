"""Search and lists at the storage layer, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsarchive.errors import InvalidQuery
from newsarchive.storage.article_lists import list_article_summaries
from newsarchive.storage.article_query import ArticleQuery
from newsarchive.storage.db import Database
from newsarchive.storage.search import parse_search, snippet, to_fts5
from tests.api.helpers import add_article

HOSTILE = [
    '"', '""', '"unclosed phrase', "*", "river*", "NEAR(river bridge)", "NEAR(", "river NOT",
    "AND OR NOT", "title:river", "^river", "river)", "((((", "'; DROP TABLE article; --",
    "1' OR '1'='1", "river -", "- -", "-", "OR", "or or river", "{river}", "\\", "%", "_",
    "\u202e\u0301", "ünïcödé", "x" * 999, "river " * 32,
]


def _titles(db: Database, **kwargs: object) -> list[str | None]:
    items, _ = list_article_summaries(db, ArticleQuery(**kwargs))  # type: ignore[arg-type]
    return [i.title for i in items]


@pytest.fixture
def archive(db: Database) -> Database:
    add_article(db, 1, "River bridge reopens", "The old bridge over the river reopened today.")
    add_article(db, 2, "Council budget vote", "The council voted on the budget for schools.")
    add_article(db, 3, "Storm hits harbor", "A storm hit the harbor and the river rose fast.")
    add_article(db, 4, "Festival of lights", "The museum festival drew crowds despite rain.",
                description="Crowds at the museum")
    return db


def test_words_phrases_or_and_exclusion(archive: Database) -> None:
    assert _titles(archive, q="river") == ["Storm hits harbor", "River bridge reopens"]
    assert _titles(archive, q="river storm") == ["Storm hits harbor"]
    assert _titles(archive, q='"river rose"') == ["Storm hits harbor"]
    assert _titles(archive, q='"rose river"') == []
    assert _titles(archive, q="budget OR festival") == ["Festival of lights",
                                                        "Council budget vote"]
    assert _titles(archive, q="river -storm") == ["River bridge reopens"]
    assert _titles(archive, q='river -"river rose"') == ["River bridge reopens"]
    assert _titles(archive, q="RIVER", sort="published") == ["River bridge reopens",
                                                             "Storm hits harbor"]
    # description is searched too
    assert _titles(archive, q="crowds museum") == ["Festival of lights"]


def test_only_exclusions_match_everything_else(archive: Database) -> None:
    assert sorted(_titles(archive, q="-river")) == ["Council budget vote", "Festival of lights"]


@pytest.mark.parametrize("sort", ["-published", "published", "relevance"])
def test_an_or_alternative_of_exclusions_only_is_kept(archive: Database, sort: str) -> None:
    """``budget OR -river`` is ``'budget' | !'river'`` (websearch_to_tsquery): the budget
    article, and every article without "river"; SQLite once dropped that alternative."""
    everything_but_river = {"Council budget vote", "Festival of lights"}
    assert set(_titles(archive, q="budget OR -river", sort=sort)) == everything_but_river
    assert set(_titles(archive, q="bridge OR -river", sort=sort)) == {
        "River bridge reopens", *everything_but_river}
    assert set(_titles(archive, q="-river OR -festival", sort=sort)) == {
        "River bridge reopens", "Storm hits harbor", *everything_but_river}
    assert set(_titles(archive, q="-river -festival OR storm", sort=sort)) == {
        "Council budget vote", "Storm hits harbor"}
    if sort == "relevance":  # an article a positive alternative matched ranks first
        assert _titles(archive, q="bridge OR -river", sort=sort)[0] == "River bridge reopens"
    else:  # and pages walk every match once
        first, cursor = list_article_summaries(
            archive, ArticleQuery(q="bridge OR -river", sort=sort, limit=2))
        rest, end = list_article_summaries(
            archive, ArticleQuery(q="bridge OR -river", sort=sort, limit=2, cursor=cursor))
        assert end is None and len({i.id for i in first + rest}) == 3


def test_index_follows_inserts_new_versions_and_deletes(archive: Database) -> None:
    assert _titles(archive, q="tramway") == []
    new_id = add_article(archive, 9, "Tramway plans", "The city unveiled tramway plans.")
    assert _titles(archive, q="tramway") == ["Tramway plans"]
    # a new version (same URL, changed text) replaces the old words in the index
    same = add_article(archive, 9, "Tramway plans dropped", "The city dropped the plans.")
    assert same == new_id
    assert _titles(archive, q="unveiled") == []
    assert _titles(archive, q="dropped") == ["Tramway plans dropped"]
    with archive.write() as session:
        session.execute(sa.text("DELETE FROM article_version WHERE article_id = :i"),
                        {"i": new_id})
        session.execute(sa.text("UPDATE capture SET article_id = NULL WHERE article_id = :i"),
                        {"i": new_id})
        session.execute(sa.text("DELETE FROM article WHERE id = :i"), {"i": new_id})
    assert _titles(archive, q="dropped") == []
    assert _titles(archive, q="plans") == []


@pytest.mark.parametrize("q", HOSTILE)
def test_any_string_gives_results_or_invalid_query(archive: Database, q: str) -> None:
    for sort in ("-published", "relevance"):
        try:
            items, _ = list_article_summaries(archive, ArticleQuery(q=q, sort=sort))
        except InvalidQuery as exc:
            assert exc.field == "q"
            continue
        for item in items:
            assert item.snippet is not None and "<script" not in item.snippet


def test_nul_and_oversized_queries_are_invalid(archive: Database) -> None:
    for q in ("river\x00", "x" * 10_000, "w " * 40):
        with pytest.raises(InvalidQuery) as info:
            list_article_summaries(archive, ArticleQuery(q=q))
        assert info.value.field == "q"


def test_fts5_expression_never_carries_operators() -> None:
    parsed = parse_search('NEAR(a b) "x* y" OR c:d -e^ \'; DROP')
    assert parsed is not None
    expression = to_fts5(parsed)
    assert expression == '(("near a" AND "b" AND "x y")) OR (("c d" AND "drop") NOT ("e"))'
    for token in expression.replace("(", " ").replace(")", " ").split():
        assert token in ("AND", "OR", "NOT") or (token.startswith('"') or token.endswith('"'))


def test_snippet_marks_matches_and_escapes_html() -> None:
    text = "Intro words. " * 30 + "The <b>river</b> & the River bank flooded." + " Tail." * 40
    out = snippet(text, ["river"])
    assert out.count("<mark>") == 2
    assert "<mark>river</mark>" in out and "<mark>River</mark>" in out
    assert "&lt;b&gt;" in out and "&amp;" in out and "<b>" not in out
    assert out.startswith("…") and out.endswith("…")
    assert snippet("Plain <i>text</i>", []) == "Plain &lt;i&gt;text&lt;/i&gt;"


def test_list_items_have_snippets_only_when_searching(archive: Database) -> None:
    items, _ = list_article_summaries(archive, ArticleQuery(q="harbor"))
    assert items[0].snippet is not None and "<mark>harbor</mark>" in items[0].snippet
    items, _ = list_article_summaries(archive, ArticleQuery())
    assert all(i.snippet is None for i in items)


def test_relevance_prefers_title_matches(archive: Database) -> None:
    add_article(archive, 5, "Bridge news", "Nothing about water here.")
    add_article(archive, 6, "Weather", "A bridge is mentioned once in passing in the text.")
    items, _ = list_article_summaries(archive, ArticleQuery(q="bridge", sort="relevance"))
    assert items[0].title in ("Bridge news", "River bridge reopens")
    assert items[-1].title == "Weather"


def test_keyset_pages_are_stable_while_articles_arrive(db: Database) -> None:
    for n in range(1, 12):
        add_article(db, n, f"Story {n}", f"Common words and story number {n}.")
    seen: list[str | None] = []
    cursor = None
    for page in range(6):
        items, cursor = list_article_summaries(db, ArticleQuery(limit=3, cursor=cursor))
        seen += [i.title for i in items]
        if page == 0:  # a newer article arrives between two pages: no shift, no repeat
            add_article(db, 50, "Breaking late story", "Common words, arriving late.")
        if cursor is None:
            break
    assert seen == [f"Story {n}" for n in range(11, 0, -1)]
    for sort in ("published", "-fetched", "relevance"):
        titles: list[str | None] = []
        cursor = None
        while True:
            items, cursor = list_article_summaries(
                db, ArticleQuery(q="common" if sort == "relevance" else None, sort=sort,
                                 limit=4, cursor=cursor))
            titles += [i.title for i in items]
            if cursor is None:
                break
        assert len(titles) == len(set(titles)) == 12, (sort, titles)


def test_filters(db: Database) -> None:
    add_article(db, 1, "English piece", "Text one.", authors=["Jane Doe", "Max Mustermann"])
    add_article(db, 2, "Deutsches Stück", "Text zwei.", language="de", authors=["Max Mustermann"])
    add_article(db, 3, "Undated", "Text three.", published_at=None)
    assert _titles(db, author="jane doe") == ["English piece"]
    assert _titles(db, author="Max Mustermann") == ["Deutsches Stück", "English piece"]
    assert _titles(db, language="DE") == ["Deutsches Stück"]
    assert _titles(db, since="2024-05-01T09:30:00Z", until="2024-05-01T10:30:00+00:00") == [
        "Deutsches Stück"]
    assert _titles(db, until="2024-05-01") == ["Deutsches Stück", "English piece"]
    # no published date: the capture date counts (2024-05-31)
    assert _titles(db, since="2024-05-20") == ["Undated"]
    assert _titles(db, updated_since="2024-05-31T08:01:30Z") == ["Undated", "Deutsches Stück"]
    assert _titles(db, source_id=77) == []


@pytest.mark.parametrize("kwargs,field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"sort": "title"}, "sort"),
    ({"sort": "relevance"}, "sort"), ({"cursor": "garbage!"}, "cursor"),
    ({"cursor": "WzEsIi1wdWJsaXNoZWQiXQ"}, "cursor"), ({"since": "yesterday"}, "since"),
    ({"until": "0001-01-01T00:00:00+05:00"}, "until"), ({"source_id": 2**40}, "source"),
    ({"author": "a\x00b"}, "author"), ({"language": "x" * 300}, "language"),
])
def test_invalid_parameters_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidQuery) as info:
        ArticleQuery(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def _walk_pages(db: Database, q: str) -> list[list[int]]:
    """The ids of every page of one item, newest and oldest first."""
    pages = []
    for sort in ("-published", "published"):
        cursor = None
        while True:
            items, cursor = list_article_summaries(db, ArticleQuery(q=q, sort=sort, limit=1,
                                                                    cursor=cursor))
            pages.append([i.id for i in items])
            if cursor is None:
                break
    return pages


def test_dense_plans_give_the_same_answers(archive: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Common words take another plan (walk the sort index, test each article): the same
    results. The thresholds drop to 1 so this small archive counts as dense."""
    from newsarchive.storage import search

    sparse = {q: _titles(archive, q=q) for q in ("river", "river -storm", '"river rose"',
                                                 "budget OR festival", "-river")}
    ranked = _titles(archive, q="river", sort="relevance")
    paged = _walk_pages(archive, "river OR festival OR budget")
    monkeypatch.setattr(search, "SQLITE_WALK_MATCHES", 1)  # SQLite: the middle plan
    with archive.read() as session:
        parsed = parse_search("river")
        assert parsed is not None
        assert search.page_plan(session.connection(), parsed) == (False, archive.is_sqlite)
    assert {q: _titles(archive, q=q) for q in sparse} == sparse
    assert _walk_pages(archive, "river OR festival OR budget") == paged
    monkeypatch.setattr(search, "DENSE_MATCHES", 1)
    monkeypatch.setattr(search, "PG_DENSE_MATCHES", 1)
    with archive.read() as session:
        parsed = parse_search("river")
        assert parsed is not None and search.is_dense(session.connection(), parsed)
    assert {q: _titles(archive, q=q) for q in sparse} == sparse
    assert _walk_pages(archive, "river OR festival OR budget") == paged
    assert _titles(archive, q="river", sort="relevance") == ranked
    assert _titles(archive, q="river", sort="relevance", language="en") == ranked
