"""Every article a query selects, read in keyset batches: exports stream the whole archive
with flat memory and no transaction held open."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import col, select

from newsarchive.models import Article
from newsarchive.storage.article_query import ArticleQuery, article_filters
from newsarchive.storage.db import Database

#: articles read per query while exporting: large enough to amortise the round trip,
#: small enough that memory stays flat whatever the archive's size
EXPORT_BATCH = 200


def iter_articles(db: Database, query: ArticleQuery, *,
                  batch: int = EXPORT_BATCH) -> Iterator[Article]:
    """Every article the query's filters select, oldest id first, read in keyset batches
    (each batch in its own short session, so a long export holds no transaction open)."""
    last_id = 0
    while True:
        with db.read() as session:
            dialect = session.connection().dialect.name
            rows = list(session.exec(
                select(Article).where(*article_filters(query, dialect),
                                      col(Article.id) > last_id)
                .order_by(col(Article.id)).limit(batch)))
            for row in rows:
                session.expunge(row)
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1].id or last_id
