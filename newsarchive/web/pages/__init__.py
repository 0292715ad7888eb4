"""Server-rendered HTML pages (Jinja2). They work without JavaScript.

    articles  /  (newest, search, filters)  /articles/{id}  /articles/{id}/diff
    sources   /sources and its forms, /login, /logout
    crawls    /crawls
    feed      /feed.xml
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsarchive.web.pages import articles, crawls, feed, sources

router = APIRouter(include_in_schema=False)
for _module in (articles, sources, crawls, feed):
    router.include_router(_module.router)

#: paths that answer JSON errors whatever the client accepts
JSON_PREFIXES = ("/api/", "/healthz", "/metrics", "/openapi.json")


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(JSON_PREFIXES) or path == "/api":
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "*/*" in accept or not accept


def install(app: FastAPI) -> None:
    """HTML error pages for the HTML side (unknown pages get a 404 page, not JSON) and the
    CSRF secret the forms sign with."""
    from newsarchive.web.pages import csrf
    from newsarchive.web.pages.render import error_page

    csrf.install_secret(app, app.state.settings)

    async def _http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not wants_html(request):
            return await http_exception_handler(request, exc)
        message = exc.detail if isinstance(exc.detail, str) else "That did not work."
        if exc.status_code == 404:
            message = "There is no page at this address."
        response = error_page(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    app.add_exception_handler(StarletteHTTPException, _http_error)


__all__ = ["install", "router"]
