"""The article lists of the HTML index and the feed, through the API's query layer.

One query layer serves the REST API, the pages and the feed (storage/queries.py);
this module only turns the page's Filters into its ArticleQuery.
"""

from __future__ import annotations

from newsarchive.models import ArticleSummary
from newsarchive.storage import articles as store
from newsarchive.storage.db import Database
from newsarchive.web.pages.filters import BadFilter, Filters


def find_articles(db: Database, filters: Filters, *, limit: int,
                  sort: str | None = None) -> tuple[list[ArticleSummary], str | None]:
    """A page of article summaries and the next page's cursor; BadFilter on bad input."""
    try:
        from newsarchive.storage import queries
    except ImportError:  # the query layer has not landed yet: newest first, no filters
        offset = int(filters.cursor) if filters.cursor and filters.cursor.isdigit() else 0
        with db.read() as session:
            rows = store.list_articles(session, limit=limit + 1, offset=offset)
        items = [ArticleSummary.model_validate(store.to_public(a).model_dump())
                 for a in rows[:limit]]
        return items, (str(offset + limit) if len(rows) > limit else None)
    query = queries.ArticleQuery(
        q=filters.q or None, source_id=filters.source_id, language=filters.language,
        since=filters.since, until=filters.until, limit=limit, cursor=filters.cursor,
        sort=sort or ("relevance" if filters.q else "-published"),
    )
    try:
        with db.read() as session:
            return queries.list_article_summaries(session, query)
    except queries.InvalidQuery as exc:
        raise BadFilter(str(exc)) from exc
