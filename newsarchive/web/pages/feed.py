"""/feed.xml: an Atom feed of newly archived articles, with the home page's filters."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsarchive.web.deps import DbDep
from newsarchive.web.pages.filters import BadFilter, parse_filters
from newsarchive.web.pages.listing import find_articles
from newsarchive.web.pages.render import TEMPLATES, error_page

router = APIRouter(include_in_schema=False)
#: entries per feed: what a reader polling every half hour needs, small enough to serve fast
FEED_ENTRIES = 50
ATOM = "application/atom+xml; charset=utf-8"
_XML_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


def xml_text(value: object) -> str:
    """Text safe inside XML 1.0 (control characters are not allowed, even escaped)."""
    return str(value or "").translate(_XML_ILLEGAL)


TEMPLATES.env.filters["xml_text"] = xml_text


@router.get("/feed.xml")
def feed(request: Request, db: DbDep) -> Response:
    try:
        filters = parse_filters(request.query_params)
        articles, _ = find_articles(db, filters, limit=FEED_ENTRIES, sort="-fetched")
    except BadFilter as exc:
        return error_page(request, 400, str(exc))
    base = str(request.base_url).rstrip("/")
    query = filters.query_string()
    updated = max((a.fetched_at for a in articles if a.fetched_at), default=datetime.now(UTC))
    body = TEMPLATES.get_template("feed.xml").render(
        articles=articles, base=base, query=query, updated=updated, filters=filters)
    return Response(body, media_type=ATOM)
