"""Duplicates: exact copies (same text hash) and near-copies (the same story in another
site's frame, like an aggregator's copy of a wire article) point at the original.

Near-copies are found in two steps: a 64-bit SimHash of the text's word shingles picks
candidates among recent articles (a few thousand integers compared at once in numpy on
SQLite; PostgreSQL keeps only the close ones itself), then
the share of shared word shingles confirms them, so a loose first step cannot link two
different stories. Shingles are compared as 64-bit hashes, and a stored article's are kept
in a small per-process cache keyed by its id and content hash (a new text, a new key), so a
page costs one integer query and a few set intersections, not a re-read and re-shingling of
its neighbours' texts (stories from one template are each other's neighbours). Which one is the original: a copy that carries a syndication line
(``original_source``) points at the other; otherwise the later published, then the later
captured, points at the earlier.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col

from newsarchive.models import Article
from newsarchive.storage.simhash_window import SimhashWindow
from newsarchive.storage.statements import Direct

#: words per shingle: long enough that shared shingles mean shared sentences
SHINGLE_WORDS = 4
#: candidates differ in at most this many of 64 bits; the seed's aggregator copy of an NBC
#: article differs in 7, unrelated stories in ~30, stories from one template and vocabulary
#: in ~18 (the shingle check confirms every candidate anyway)
SIMHASH_MAX_DISTANCE = 12
#: candidates whose text is compared, nearest first
MAX_CANDIDATES = 3
#: share of the shorter text's shingles found in the other that makes it a copy
CONTAINMENT_MIN = 0.8
#: texts shorter than this are too generic to call copies (briefs, captions)
MIN_WORDS = 50
#: how many recent articles a new one is compared with
RECENT_WINDOW = 5000
#: stored articles whose shingle hashes are kept in memory (~16 KB each for a long story)
SHINGLE_CACHE_SIZE = 2048

_WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


#: odd 64-bit multipliers that mix a shingle's word hashes by position (order matters)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93], dtype=np.uint64)


def _gram_hashes(words: list[str]) -> np.ndarray:
    """The sorted distinct 64-bit hashes of the word shingles (at least one word).

    Each distinct word is hashed once (blake2b, stable across processes, unlike hash());
    shingle hashes are mixed from them in numpy, so a long article costs ~1 ms."""
    vocab = {w: i for i, w in enumerate(dict.fromkeys(words))}
    word_hash = np.frombuffer(
        b"".join(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest() for w in vocab),
        dtype="<u8",
    )
    seq = word_hash[np.fromiter((vocab[w] for w in words), dtype=np.int64, count=len(words))]
    n = max(1, len(words) - SHINGLE_WORDS + 1)
    with np.errstate(over="ignore"):
        grams = np.zeros(n, dtype=np.uint64)
        for k in range(min(SHINGLE_WORDS, len(words))):
            grams = grams + seq[k : k + n] * _MIX[k]
        grams ^= grams >> np.uint64(31)  # spread the high bits down (avalanche)
        grams = grams * _MIX[0]
    return np.unique(grams)


def shingle_hashes(text: str) -> np.ndarray:
    """The text's shingles as sorted distinct 64-bit hashes (empty for a text without words)."""
    words = _WORD.findall(text.lower())
    return _gram_hashes(words) if words else np.zeros(0, dtype=np.uint64)


def simhash(text: str) -> int | None:
    """A signed 64-bit SimHash (fits a BIGINT column) of the text's shingles; None if short."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    grams = _gram_hashes(words)
    bits = np.unpackbits(grams.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(grams)
    value = sum(1 << (8 * (i // 8) + i % 8) for i in range(64) if votes[i] > 0)
    return value - (1 << 64) if value >= (1 << 63) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def containment(a: str | set[str], b: str | set[str]) -> float:
    """Share of the smaller text's shingles found in the other (texts or shingle sets)."""
    sa_ = _shingles(a) if isinstance(a, str) else a
    sb = _shingles(b) if isinstance(b, str) else b
    if not sa_ or not sb:
        return 0.0
    return len(sa_ & sb) / min(len(sa_), len(sb))


def _hashed_containment(a: np.ndarray, b: np.ndarray) -> float:
    """``containment`` of two shingle-hash arrays (sorted, distinct)."""
    if not len(a) or not len(b):
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True)
    return len(shared) / min(len(a), len(b))


_A = Article.__table__  # type: ignore[attr-defined]
#: built once (a page runs both): building a statement costs more than SQLite takes to run it;
#: run on the DB-API cursor (storage/statements.py)
_SAME_TEXT = Direct(
    sa.select(_A.c.id)
    .where(_A.c.content_hash == sa.bindparam("content_hash"), _A.c.id != sa.bindparam("id"))
    .order_by(_A.c.id).limit(1)
)
#: PostgreSQL: only the recent SimHashes within SIMHASH_MAX_DISTANCE cross the wire
#: (bit_count: PostgreSQL 14+); the window is the same as SQLite's
_PG_RECENT_CLOSE = sa.text(
    "SELECT id, simhash FROM (SELECT id, simhash FROM article WHERE simhash IS NOT NULL "
    f"AND id <> :id ORDER BY id DESC LIMIT {RECENT_WINDOW}) AS recent "
    f"WHERE bit_count((simhash # CAST(:mine AS BIGINT))::bit(64)) <= {SIMHASH_MAX_DISTANCE}"
)


def _recent_simhashes(session: Session, article_id: int, value: int) -> np.ndarray:
    """(id, SimHash) rows, as an n x 2 int64 array, of the RECENT_WINDOW latest other
    articles (on PostgreSQL, only those close to ``value``)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        rows = conn.execute(_PG_RECENT_CLOSE, {"id": article_id, "mine": value}).all()
        return np.array([tuple(r) for r in rows], dtype=np.int64).reshape(-1, 2)
    # SQLite: kept in memory and followed (storage/simhash_window.py), through the DB-API
    # cursor (SQLAlchemy's rows cost ~2.5x as much CPU)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return _sqlite_window.pairs(cursor, str(conn.engine.url), article_id)
    finally:
        cursor.close()


#: this process's window of recent SimHashes on SQLite (one database at a time)
_sqlite_window = SimhashWindow(RECENT_WINDOW)
_shingle_cache: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()


def _remember(key: tuple[int, str], hashes: np.ndarray) -> None:
    _shingle_cache[key] = hashes
    _shingle_cache.move_to_end(key)
    while len(_shingle_cache) > SHINGLE_CACHE_SIZE:
        _shingle_cache.popitem(last=False)


def _stored_shingles(session: Session, ids: list[int]) -> dict[int, np.ndarray]:
    """Shingle hashes of stored articles: from the cache when their text is the one cached
    (same content hash), else read and hashed once."""
    hashes = dict(session.execute(
        sa.select(col(Article.id), col(Article.content_hash)).where(col(Article.id).in_(ids))
    ).all())
    found: dict[int, np.ndarray] = {}
    missing = []
    for i in ids:
        cached = _shingle_cache.get((i, hashes.get(i) or ""))
        if cached is not None and hashes.get(i):
            _shingle_cache.move_to_end((i, hashes[i]))
            found[i] = cached
        elif i in hashes:
            missing.append(i)
    if missing:
        for i, content_hash, text in session.execute(
            sa.select(col(Article.id), col(Article.content_hash), col(Article.text))
            .where(col(Article.id).in_(missing))
        ):
            found[i] = shingle_hashes(text or "")
            if content_hash:
                _remember((i, content_hash), found[i])
    return found


def _order_key(a: Article) -> tuple[datetime, datetime, int]:
    far = datetime.max.replace(tzinfo=UTC)
    return (a.published_at or far, a.fetched_at or far, a.id or 0)


def copy_and_original(a: Article, b: Article) -> tuple[Article, Article]:
    """(the copy, the original) of two articles with the same story."""
    if bool(a.original_source) != bool(b.original_source):
        return (a, b) if a.original_source else (b, a)
    return (a, b) if _order_key(a) > _order_key(b) else (b, a)


def _root(session: Session, article: Article) -> Article:
    seen = {article.id}
    while article.duplicate_of is not None:
        parent = session.get(Article, article.duplicate_of)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        article = parent
    return article


def _find_match(session: Session, article: Article) -> Article | None:
    found = _find_match_id(session, article)
    return session.get(Article, found) if found is not None else None


def _find_match_id(session: Session, article: Article) -> int | None:
    """The id of the stored article this one copies (same text, or a near copy), if any.
    Reads ids and SimHashes only: the ORM loads an article only when there is a match."""
    if article.content_hash:
        same = _SAME_TEXT.scalar(session.connection(),
                                 {"content_hash": article.content_hash, "id": article.id})
        if same is not None:
            return int(same)
    if article.simhash is None:
        return None
    pairs = _recent_simhashes(session, article.id or 0, article.simhash)
    if not len(pairs):
        return None
    ids, values = pairs[:, 0], pairs[:, 1]
    # unsigned: numpy counts the bits of a signed integer's absolute value
    mine_hash = np.uint64(article.simhash & 0xFFFFFFFFFFFFFFFF)
    dist = np.bitwise_count(values.view(np.uint64) ^ mine_hash)
    close = np.flatnonzero(dist <= SIMHASH_MAX_DISTANCE)
    if not len(close):
        return None
    nearest = close[np.lexsort((ids[close], dist[close]))][:MAX_CANDIDATES]  # nearest, oldest
    others = _stored_shingles(session, [int(ids[k]) for k in nearest])
    mine = shingle_hashes(article.text)
    if article.id is not None and article.content_hash:
        _remember((article.id, article.content_hash), mine)
    for k in nearest:
        other_id = int(ids[k])
        theirs = others.get(other_id)
        if theirs is not None and _hashed_containment(mine, theirs) >= CONTAINMENT_MIN:
            return other_id
    return None


def link_duplicates(session: Session, article: Article, *, simhash_value: int | None) -> None:
    """Record the article's SimHash and link it with the story it copies (or that copies it).
    Runs in the transaction that stores the article."""
    article.simhash = simhash_value
    session.add(article)
    session.flush()
    match = _find_match(session, article)
    if match is None:
        if article.duplicate_of is not None and article.content_hash:
            article.duplicate_of = None  # a new version that no longer copies anything
            session.add(article)
        return
    _link(session, article, match)


def link_new_article(session: Session, article: Article) -> Article:
    """``link_duplicates`` for an article just inserted with its SimHash by Core statements
    and held outside the session (storage.articles.insert_new_article): nothing to undo, and
    the ORM is used only when it copies something. Returns the article as it now stands."""
    match_id = _find_match_id(session, article)
    if match_id is None:
        return article
    stored = session.get(Article, article.id)
    match = session.get(Article, match_id)
    if stored is None or match is None:
        return article
    _link(session, stored, match)
    return stored


def _link(session: Session, article: Article, match: Article) -> None:
    """Point the copy of the two (by ``copy_and_original``) at the other's root."""
    other = _root(session, match)
    if other.id == article.id:
        return
    copy, original = copy_and_original(article, other)
    copy.duplicate_of = original.id
    original.duplicate_of = None
    session.add_all([copy, original])
    # whatever pointed at the copy now points at the original: one level, never a chain
    session.execute(
        sa.update(Article).where(col(Article.duplicate_of) == copy.id)
        .values(duplicate_of=original.id)
    )
    session.flush()
