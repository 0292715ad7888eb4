"""The HTML index: the newest articles and a reader view."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsarchive.storage import articles as store
from newsarchive.web.deps import DbDep

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        articles = [store.to_public(a) for a in store.list_articles(session, limit=50)]
    return TEMPLATES.TemplateResponse(request, "index.html", {"articles": articles})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, db: DbDep, article_id: int) -> HTMLResponse:
    with db.read() as session:
        article = store.get_article(session, article_id)
        if article is None:
            raise HTTPException(404, detail=f"no article {article_id}")
        public = store.to_public(article)
    return TEMPLATES.TemplateResponse(request, "article.html", {"article": public})
