"""Templates and the small helpers every page shares: rendering, error pages, dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from newsarchive import __version__
from newsarchive.services.sources import every_text
from newsarchive.web.pages import csrf
from newsarchive.web.sanitize import safe_url, sanitize_snippet

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = Jinja2Templates(directory=str(TEMPLATE_DIR))
# Jinja2Templates autoescapes .html; .xml (the Atom feed) must be escaped too.
TEMPLATES.env.autoescape = True


def _date(value: datetime | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def _datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _snippet(value: str | None) -> Markup:
    """Search snippets arrive as escaped text with <mark>; keep only the marks."""
    return Markup(sanitize_snippet(value or ""))


def _duration(seconds: int | None) -> str:
    return every_text(seconds, spaced=True) if seconds else ""


def _host(url: str | None) -> str:
    try:
        return urlsplit(url or "").hostname or (url or "")
    except ValueError:
        return url or ""


TEMPLATES.env.filters.update(date=_date, datetime=_datetime, iso=_iso, snippet=_snippet,
                             duration=_duration, host=_host, safe_url=safe_url)
TEMPLATES.env.globals["version"] = __version__


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, forms: bool = False) -> HTMLResponse:
    """Render a page; ``forms`` pages get a CSRF token (and the session cookie it needs)."""
    ctx = dict(context or {})
    new_session = None
    if forms:
        ctx["csrf_token"], new_session = csrf.issue(request)
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
    if new_session:
        csrf.set_session_cookie(response, request, new_session)
    return response


def error_page(request: Request, status_code: int, message: str,
               title: str | None = None) -> HTMLResponse:
    """An HTML error page: HTML routes never answer with JSON or a bare 500."""
    titles = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed",
              404: "Not found", 405: "Method not allowed", 409: "Conflict",
              422: "Cannot use that input", 503: "Unavailable"}
    return render(request, "error.html",
                  {"status": status_code, "title": title or titles.get(status_code, "Error"),
                   "message": message}, status_code=status_code)
