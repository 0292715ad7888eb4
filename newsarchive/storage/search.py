"""Full-text search behind one interface: SQLite FTS5 and PostgreSQL tsvector.

Users write web-search syntax: words (all must match), ``"quoted phrases"``, ``OR``
between alternatives and ``-word`` / ``-"phrase"`` to exclude. Precedence is
PostgreSQL's ``websearch_to_tsquery``: ``a b OR c`` means ``(a AND b) OR c``.

* PostgreSQL gets the user's text through ``websearch_to_tsquery('simple', :q)``,
  which accepts any string (NUL bytes are refused earlier, by the query layer).
* SQLite never sees the user's text in ``MATCH``: :func:`parse_search` keeps only
  word characters, and :func:`to_fts5` rebuilds a MATCH expression in which every
  word sits inside double quotes, so ``*``, ``NEAR(``, ``:``, ``^`` or SQL mean
  nothing special. FTS5 has no unary NOT, so an ``OR`` alternative made only of
  exclusions (``-a``, ``budget OR -river``) becomes ``id NOT IN (matches of what it
  excludes)`` beside the MATCH of the others: both databases answer alike
  (``websearch_to_tsquery`` reads it as ``'budget' | !'river'``).

Indexes: built by migration 0002 (``article_fts`` + triggers; ``search_vector`` +
GIN).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from newsarchive.errors import InvalidQuery

#: longest query accepted; a search box query is a few words, and a longer one only
#: costs the database time
MAX_QUERY_CHARS = 1_000
#: words (or phrases) per query; past this no ranking tells documents apart anyway
MAX_QUERY_TERMS = 32
#: the text search configuration: no stemming, every language alike (as FTS5 unicode61)
PG_CONFIG = "simple"
#: column weights in bm25 (title, description, text): a word in the title counts most
FTS5_WEIGHTS = (10.0, 4.0, 1.0)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


@dataclass(frozen=True)
class Phrase:
    """One or more words that must appear together, in order."""

    words: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: OR of groups; each group is an AND of phrases (some negated)."""

    text: str
    groups: tuple[tuple[Phrase, ...], ...]

    @property
    def terms(self) -> list[str]:
        """The positive words, for highlighting matches in snippets."""
        seen = dict.fromkeys(w for g in self.groups for p in g if not p.negated for w in p.words)
        return list(seen)

    @property
    def has_positive(self) -> bool:
        return any(not p.negated for g in self.groups for p in g)


def parse_search(text: str) -> SearchQuery | None:
    """Parse web-search syntax; None when nothing searchable is left (e.g. only ``"*"``)."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidQuery("q", f"longer than {MAX_QUERY_CHARS} characters")
    if "\x00" in text:
        raise InvalidQuery("q", "contains a NUL byte")
    groups: list[list[Phrase]] = [[]]
    pending_or = False
    count = 0
    for token in _TOKEN.findall(text):
        if token.lower() == "or":
            pending_or = bool(groups[-1])
            continue
        negated = token.startswith("-") and len(token) > 1
        words = tuple(w.lower() for w in _WORD.findall(token))
        if not words:
            continue
        count += 1
        if count > MAX_QUERY_TERMS:
            raise InvalidQuery("q", f"more than {MAX_QUERY_TERMS} words or phrases")
        if pending_or:
            groups.append([])
            pending_or = False
        groups[-1].append(Phrase(words, negated))
    kept = tuple(tuple(g) for g in groups if g)
    if not kept:
        return None
    return SearchQuery(text=text, groups=kept)


def _fts5_phrase(phrase: Phrase) -> str:
    # Words hold only letters and digits, so a double quote never needs escaping.
    return '"' + " ".join(phrase.words) + '"'


def _fts5_group(group: tuple[Phrase, ...]) -> str | None:
    positive = [_fts5_phrase(p) for p in group if not p.negated]
    negative = [_fts5_phrase(p) for p in group if p.negated]
    if not positive:
        return None
    expr = "(" + " AND ".join(positive) + ")"
    if negative:
        expr += " NOT (" + " OR ".join(negative) + ")"
    return "(" + expr + ")"


def to_fts5(query: SearchQuery) -> str | None:
    """A safe FTS5 MATCH expression for the positive part; None when there is none."""
    parts = [g for g in (_fts5_group(group) for group in query.groups) if g]
    return " OR ".join(parts) if parts else None


def exclusion_groups(query: SearchQuery) -> list[str]:
    """Per ``OR`` alternative made only of exclusions, an FTS5 expression of what it
    excludes (the alternative matches every article but those)."""
    return [" OR ".join(_fts5_phrase(p) for p in group) for group in query.groups
            if all(p.negated for p in group)]


def _fts_rowids(expression: str) -> sa.Select[tuple[int]]:
    return (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table("article_fts"))
        .where(sa.literal_column("article_fts").op("MATCH")(expression))
    )


def _pg_tsquery(query: SearchQuery) -> ColumnElement[object]:
    return sa.func.websearch_to_tsquery(sa.text(f"'{PG_CONFIG}'::regconfig"), query.text)


#: with at least this many matches a query is "dense": newest-first walks the sort index
#: and tests each article, stopping after one page (a common word: ~5 ms instead of
#: collecting and sorting every match, 120 ms at 20k articles on SQLite); a sparser one
#: collects its matches from the full-text index first (PostgreSQL's planner otherwise
#: guesses 500 matches for any rare word and walks 100k rows: 150-280 ms)
DENSE_MATCHES = 2_000
#: PostgreSQL tests @@ on a stored tsvector per row (~4 us each, measured): counting
#: 2,000 matches of a common word cost more than the walk it saves, 500 is the balance
PG_DENSE_MATCHES = 500


def _pg_matches(query: SearchQuery) -> sa.Select[tuple[int]]:
    article = sa.table("article", sa.column("id"), sa.column("search_vector"))
    return sa.select(article.c.id).where(article.c.search_vector.op("@@")(_pg_tsquery(query)))


#: SQLite, below DENSE_MATCHES: with at least this many matches a newest-first page walks
#: the sort index and looks each article up in the match list SQLite materialises once
#: (an IN list), instead of reading and sorting every match; measured at 100k articles:
#: 1,899 matches 11.6 ms collected and sorted / 2.3 ms walked, 280 matches 0.7 / 2.6 ms,
#: 3 matches 0.3 / 23 ms (the walk goes to the end of the index)
SQLITE_WALK_MATCHES = 600


def match_count(conn: sa.Connection, query: SearchQuery) -> int:
    """How many articles a query matches, counted up to the dense threshold (a query
    with an alternative of exclusions only counts as dense: nearly everything matches)."""
    threshold = dense_threshold(conn.dialect.name)
    if conn.dialect.name == "postgresql":
        capped = _pg_matches(query).limit(threshold).subquery()
    else:
        expression = to_fts5(query)
        if expression is None or exclusion_groups(query):
            return threshold
        capped = _fts_rowids(expression).limit(threshold).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())


def dense_threshold(dialect: str) -> int:
    return PG_DENSE_MATCHES if dialect == "postgresql" else DENSE_MATCHES


def is_dense(conn: sa.Connection, query: SearchQuery) -> bool:
    """Whether a query matches many articles (counts at most the threshold of them)."""
    return match_count(conn, query) >= dense_threshold(conn.dialect.name)


def page_plan(conn: sa.Connection, query: SearchQuery) -> tuple[bool, bool]:
    """(dense, walk) for :func:`match_filter`, from the query's capped match count."""
    count = match_count(conn, query)
    dense = count >= dense_threshold(conn.dialect.name)
    return dense, not dense and conn.dialect.name == "sqlite" and count >= SQLITE_WALK_MATCHES


def newest_match_window(conn: sa.Connection, query: SearchQuery,
                        count: int) -> tuple[int | None, int | None] | None:
    """SQLite: (lowest, highest) rowid of the ``count`` newest matches, read from FTS5 in
    rowid order (0.3 ms for a common word where walking the article table took 50 ms);
    None when an alternative is made of exclusions only (FTS5 cannot list its matches)."""
    expression = to_fts5(query)
    if expression is None or exclusion_groups(query):
        return None
    newest = (_fts_rowids(expression).order_by(sa.literal_column("rowid").desc())
              .limit(count).subquery())
    rowid = newest.c.rowid
    floor, ceil = conn.execute(sa.select(sa.func.min(rowid), sa.func.max(rowid))).one()
    return floor, ceil


def match_filter(dialect: str, article_id: ColumnElement[int], query: SearchQuery, *,
                 dense: bool = False, walk: bool = False) -> ColumnElement[bool]:
    """A WHERE clause: the article matches ``query``. ``dense``: a test per article, for
    walking an index in sort order and stopping early; ``walk`` (SQLite): the same walk,
    testing each article against the match list read once; otherwise the matches are
    collected from the full-text index first."""
    if dialect == "postgresql":
        if dense:
            return sa.literal_column("article.search_vector").op("@@")(_pg_tsquery(query))
        # OFFSET 0 keeps the planner from flattening the subquery back into a filter
        return article_id.in_(_pg_matches(query).offset(0))
    expression = to_fts5(query)
    clauses: list[ColumnElement[bool]] = [article_id.not_in(_fts_rowids(excluded))
                                          for excluded in exclusion_groups(query)]
    if expression is not None and walk and not dense:
        # ``id + 0`` is no longer the rowid, so SQLite cannot drive the page from the
        # list and walks the sort index instead, testing ids against the list
        clauses.insert(0, (article_id + 0).in_(_fts_rowids(expression)))
    elif expression is not None:
        clauses.insert(0, sa.exists(_fts_rowids(expression).where(
            sa.literal_column("article_fts.rowid") == article_id)) if dense
            else article_id.in_(_fts_rowids(expression)))
    return clauses[0] if len(clauses) == 1 else sa.or_(*clauses)


def pg_rank(query: SearchQuery) -> ColumnElement[float]:
    """PostgreSQL's score of the current article row for ``query`` (higher is better)."""
    vector: ColumnElement[object] = sa.literal_column("article.search_vector")
    return sa.cast(sa.func.ts_rank_cd(vector, _pg_tsquery(query)), sa.Float)


def ranked_matches(dialect: str, query: SearchQuery, *, floor_id: int,
                   ceil_id: int) -> sa.Subquery:
    """(id, score) of matching articles with ids in [floor_id, ceil_id]; higher score is better.

    The id window bounds the work: ranking scores every row it is given, so callers
    give it the newest few hundred matches, not all of them.
    """
    if dialect == "postgresql":
        article = sa.table("article", sa.column("id"), sa.column("search_vector"))
        score = sa.func.ts_rank_cd(article.c.search_vector, _pg_tsquery(query))
        return (
            sa.select(article.c.id.label("id"), sa.cast(score, sa.Float).label("score"))
            .where(article.c.search_vector.op("@@")(_pg_tsquery(query)),
                   article.c.id.between(floor_id, ceil_id))
            .subquery("ranked")
        )
    expression = to_fts5(query)
    rowid: ColumnElement[int] = sa.literal_column("rowid")
    excluded = exclusion_groups(query)
    scored = None
    if expression is not None:
        bm25 = sa.func.bm25(sa.literal_column("article_fts"), *FTS5_WEIGHTS)
        scored = (sa.select(rowid.label("id"), sa.cast(-bm25, sa.Float).label("score"))
                  .select_from(sa.table("article_fts"))
                  .where(sa.literal_column("article_fts").op("MATCH")(expression),
                         rowid.between(floor_id, ceil_id)))
        if not excluded:
            return scored.subquery("ranked")
    # an alternative of exclusions only: the articles it lets through score 0 (bm25 has
    # nothing to count), below every article that matched a positive alternative
    article = sa.table("article", sa.column("id"))
    matched = [article.c.id.not_in(_fts_rowids(e)) for e in excluded]
    stmt = sa.select(article.c.id.label("id"), sa.literal(0.0, sa.Float).label("score"))
    if scored is not None:
        positive = scored.subquery("scored")
        stmt = (sa.select(article.c.id.label("id"),
                          sa.func.coalesce(positive.c.score, 0.0).label("score"))
                .select_from(article.outerjoin(positive, positive.c.id == article.c.id)))
        matched.append(positive.c.id.is_not(None))
    return (stmt.where(article.c.id.between(floor_id, ceil_id), sa.or_(*matched))
            .subquery("ranked"))


# --- snippets -----------------------------------------------------------------------------

#: characters of context shown around the first match
SNIPPET_CHARS = 240


def snippet(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> str:
    """A short HTML-safe extract around the first match, matched words in ``<mark>``.

    Everything but the ``<mark>`` tags is HTML-escaped, so the snippet can be put in a
    page as is. Matching is on whole words, case-insensitively.
    """
    if not text:
        return ""
    if not terms:
        return html.escape(" ".join(_cut(text, 0, width).split()))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)",
                         re.IGNORECASE)
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start  # type: ignore[union-attr]
    raw = _cut(text, start, width)
    more = start + len(raw) < len(text.rstrip())
    window = " ".join(raw.split())
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(window):
        out.append(html.escape(window[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(window[pos:]))
    prefix = "…" if start else ""
    suffix = "…" if more else ""
    return prefix + "".join(out) + suffix


def _cut(text: str, start: int, width: int) -> str:
    """``width`` characters from ``start``, ending on a word boundary when possible."""
    window = text[start:start + width]
    if start + width < len(text):
        space = window.rfind(" ")
        if space > width // 2:
            window = window[:space]
    return window
