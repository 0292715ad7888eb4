"""The index (newest articles, search, filters) and the reader view with its versions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from newsarchive.errors import NotFound
from newsarchive.services import sources as sources_service
from newsarchive.services.diff import paragraphs, version_diff
from newsarchive.storage import articles as store
from newsarchive.web.deps import DbDep
from newsarchive.web.pages.filters import PAGE_SIZE, BadFilter, as_typed, parse_filters
from newsarchive.web.pages.listing import find_articles
from newsarchive.web.pages.render import error_page, render
from newsarchive.web.sanitize import sanitize_html

router = APIRouter(include_in_schema=False)


def parse_id(value: str) -> int | None:
    """A path id as typed by a person: digits only, else None (the page answers 404)."""
    return int(value) if value.isdigit() and len(value) <= 12 else None


@router.get("/", response_class=HTMLResponse)
def index(request: Request, db: DbDep) -> HTMLResponse:
    sources = sources_service.list_sources(db=db)
    try:
        filters = parse_filters(request.query_params)
        articles, next_cursor = find_articles(db, filters, limit=PAGE_SIZE)
    except BadFilter as exc:
        return render(request, "index.html",
                      {"articles": [], "filters": as_typed(request.query_params), "sources": sources,
                       "error": str(exc), "next_cursor": None}, status_code=400)
    names = {s.id: s.name or s.url for s in sources}
    return render(request, "index.html", {
        "articles": articles, "filters": filters, "sources": sources, "source_names": names,
        "next_cursor": next_cursor, "error": None,
    })


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, db: DbDep, article_id: str) -> HTMLResponse:
    number = parse_id(article_id)
    with db.read() as session:
        article = store.get_article(session, number) if number is not None else None
        if article is None:
            return error_page(request, 404, f"There is no article {article_id[:40]!r}.")
        public = store.to_public(article)
        versions = store.list_versions(session, number or 0)
        duplicate = (store.get_article(session, public.duplicate_of)
                     if public.duplicate_of else None)
    source = None
    if public.source_id is not None:
        try:
            source = sources_service.get_source(db=db, source_id=public.source_id)
        except NotFound:
            source = None
    body = sanitize_html(public.html, base_url=public.url) if public.html else ""
    return render(request, "article.html", {
        "article": public, "body": Markup(body), "paragraphs": paragraphs(public.text),
        "versions": versions, "duplicate": duplicate, "source": source,
    })


@router.get("/articles/{article_id}/diff", response_class=HTMLResponse)
def diff_page(request: Request, db: DbDep, article_id: str) -> HTMLResponse:
    number = parse_id(article_id)
    if number is None:
        return error_page(request, 404, f"There is no article {article_id[:40]!r}.")
    picked: dict[str, int | None] = {}
    for key in ("a", "b"):
        value = (request.query_params.get(key) or "").strip()
        if value and (not value.isdigit() or len(value) > 9):
            return error_page(request, 400, f"{key}: {value[:40]!r} is not a version number.")
        picked[key] = int(value) if value else None
    try:
        diff = version_diff(db=db, article_id=number, a=picked["a"], b=picked["b"])
    except NotFound as exc:
        return error_page(request, 404, str(exc) + ".")
    with db.read() as session:
        article = store.get_article(session, number)
    return render(request, "diff.html", {"diff": diff, "article": article})
