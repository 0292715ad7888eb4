"""Property tests (hypothesis) for search query handling, the one of issue #8's three that
had none (URL canonicalisation: tests/discover/test_urls.py; extraction:
tests/extract/test_never_raises.py).

For any text: ``parse_search`` returns a query, None, or raises ``InvalidQuery`` (never
anything else); the FTS5 expression built from it is always valid FTS5 syntax that SQLite
runs (user text never reaches MATCH as syntax); and parsing is idempotent: the query
written back in its own syntax parses to the same query.
"""

from __future__ import annotations

import sqlite3

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsarchive.errors import InvalidQuery
from newsarchive.storage.search import SearchQuery, exclusion_groups, parse_search, to_fts5

#: web-search syntax pieces mixed with arbitrary text, so operators meet odd neighbours
_pieces = st.sampled_from(['"', "-", "OR", "or", " ", "*", "NEAR(", ")", "(", "AND", "NOT",
                           ":", "^", "\x00", "_", "é", "日本", "😀", "'", "\\", "\t", "\n"])
queries = st.lists(st.one_of(_pieces, st.text(max_size=12)), max_size=40).map("".join)


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61')")
    conn.execute("INSERT INTO t VALUES ('river bridge', 'the old bridge over the river')")
    return conn


def _written_back(query: SearchQuery) -> str:
    """The query in its own syntax: quoted phrases, ``-`` for exclusions, OR between groups."""
    return " OR ".join(
        " ".join(("-" if p.negated else "") + '"' + " ".join(p.words) + '"' for p in group)
        for group in query.groups
    )


@settings(max_examples=300, deadline=None)
@given(queries)
@example('"unclosed phrase')
@example('-"" OR OR -')
@example("NEAR(a b) AND NOT c*")
def test_any_text_parses_or_is_refused_and_makes_valid_fts5(text: str) -> None:
    try:
        query = parse_search(text)
    except InvalidQuery as exc:
        assert exc.field == "q"
        return
    if query is None:
        return
    conn = _fts()
    for expression in (to_fts5(query), *exclusion_groups(query)):
        if expression:
            conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
    assert set(query.terms) <= {w for g in query.groups for p in g for w in p.words}
    assert all(w == w.lower() and w for w in query.terms)


@settings(max_examples=300, deadline=None)
@given(queries)
def test_parsing_is_idempotent(text: str) -> None:
    try:
        query = parse_search(text)
    except InvalidQuery:
        return
    if query is None:
        return
    again = parse_search(_written_back(query))
    assert again is not None and again.groups == query.groups


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1001, max_size=1200))
def test_overlong_text_is_refused_not_searched(text: str) -> None:
    try:
        parse_search(text)
    except InvalidQuery as exc:
        assert "1000" in exc.detail.replace(",", "")
    else:
        raise AssertionError("a query over 1,000 characters was accepted")
