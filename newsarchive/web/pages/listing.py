"""The article lists of the HTML index and the feed, through the API's query layer.

One query layer serves the REST API, the pages and the feed (storage/article_lists.py);
this module only turns the page's Filters into its ArticleQuery and runs it.
"""

from __future__ import annotations

from newsarchive.errors import InvalidQuery
from newsarchive.models import ArticleSummary
from newsarchive.storage.article_lists import list_article_summaries
from newsarchive.storage.db import Database
from newsarchive.web.pages.filters import BadFilter, Filters


def find_articles(db: Database, filters: Filters, *, limit: int,
                  sort: str | None = None) -> tuple[list[ArticleSummary], str | None]:
    """A page of article summaries and the next page's cursor; BadFilter on bad input."""
    query = filters.to_query(limit=limit, sort=sort)
    try:
        return list_article_summaries(db, query)
    except InvalidQuery as exc:
        raise BadFilter(str(exc)) from exc
