"""/sources: every source with its schedule and health, and the forms that change them.

Every POST passes two gates before anything changes: the CSRF token (pages/csrf.py)
and the API's write rule (loopback, or the API key via the browser sign-in). Invalid
input re-renders the form with the values typed and the reason next to the field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from newsarchive.errors import NotFound
from newsarchive.models import SOURCE_KINDS, Source
from newsarchive.services import sources as service
from newsarchive.services.crawl import start_crawl
from newsarchive.storage import stats
from newsarchive.storage.db import Database
from newsarchive.storage.health import source_health
from newsarchive.web.deps import DbDep, SettingsDep
from newsarchive.web.pages import csrf
from newsarchive.web.pages.articles import parse_id
from newsarchive.web.pages.render import error_page, render

router = APIRouter(include_in_schema=False)

#: what the page says after a successful POST (?done=...); fixed texts, never echoed input
NOTICES = {
    "added": "Source added. Its first crawl is due now.",
    "saved": "Source saved.",
    "paused": "Source paused: it will not be crawled until resumed.",
    "resumed": "Source resumed.",
    "deleted": "Source deleted. Its articles stay in the archive.",
    "crawling": "Crawl started. Its run appears on the Crawls page.",
    "queued": "Crawl queued: the next worker to look will crawl it.",
    "signed-in": "Signed in.",
    "signed-out": "Signed out.",
}
#: longest form field accepted (URLs included); longer input is refused, not truncated
MAX_FIELD_CHARS = 4096


def _health(db: Database, sources: list[Source]) -> dict[int, dict[str, Any]]:
    """Per source: the query layer's overview (articles, queued URLs, latest run), plus the
    crawl service's health facts (failing share, missing fields, flagged and why)."""
    ids = [s.id for s in sources if s.id is not None]
    with db.read() as session:
        out = stats.source_overview(session, ids)
        for source_id in ids:
            out[source_id].update(source_health(session, source_id))
    return out


def _page(request: Request, db: Database, settings: Any, *, status_code: int = 200,
          error: str | None = None, error_field: str | None = None,
          values: dict[str, str] | None = None) -> HTMLResponse:
    sources = service.list_sources(db=db)
    allowed, _, _ = csrf.can_write(request, settings)
    return render(request, "sources.html", {
        "sources": sources, "health": _health(db, sources), "can_write": allowed,
        "needs_login": bool(settings.api_key) and not allowed, "kinds": SOURCE_KINDS,
        "notice": NOTICES.get(request.query_params.get("done", "")), "error": error,
        "error_field": error_field, "values": values or {},
        "signed_in": bool(request.cookies.get(csrf.AUTH_COOKIE)),
    }, status_code=status_code, forms=True)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    return _page(request, db, settings)


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > MAX_FIELD_CHARS:
        raise service.InvalidSource(f"{name} is longer than {MAX_FIELD_CHARS} characters",
                                    field=name)
    return value or None


async def _checked_form(request: Request) -> tuple[FormData | None, Response | None]:
    """The form when its CSRF token is good, else the error page refusing it."""
    try:
        form = await request.form(max_files=0, max_fields=20)
    except Exception:  # noqa: BLE001 (multipart parser errors are the client's mistake)
        return None, error_page(request, 400, "The form could not be read.")
    token = form.get(csrf.TOKEN_FIELD)
    try:
        csrf.verify(request, token if isinstance(token, str) else None)
    except csrf.CsrfError as exc:
        return None, error_page(request, 403, str(exc))
    return form, None


async def _guard(request: Request, settings: Any) -> tuple[FormData | None, Response | None]:
    """The form, or the error page refusing it (bad CSRF token, no write access)."""
    form, refusal = await _checked_form(request)
    if form is None:
        return None, refusal
    allowed, status, detail = csrf.can_write(request, settings)
    if not allowed:
        return None, error_page(request, status, detail)
    return form, None


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/sources?done={what}", status_code=303)


def _schedule(form: FormData) -> dict[str, str | None]:
    return {"every": _field(form, "every"), "cron": _field(form, "cron")}


@router.post("/sources", response_class=HTMLResponse)
async def add_source(request: Request, db: DbDep, settings: SettingsDep) -> Response:
    form, refusal = await _guard(request, settings)
    if form is None:
        assert refusal is not None
        return refusal
    values = {k: str(form.get(k) or "")[:MAX_FIELD_CHARS]
              for k in ("url", "name", "kind", "every", "cron")}
    try:
        await run_in_threadpool(
            service.add_source, db=db, url=_field(form, "url") or "", name=_field(form, "name"),
            kind=_field(form, "kind") or "auto", default_every=settings.default_every,
            **_schedule(form),
        )
    except service.InvalidSource as exc:
        status = 409 if isinstance(exc, service.DuplicateSource) else 422
        return await run_in_threadpool(_page, request, db, settings, status_code=status,
                                       error=str(exc), error_field=exc.field, values=values)
    return _done("added")


def _source_or_404(request: Request, db: Database, source_id: str) -> Source | HTMLResponse:
    number = parse_id(source_id)
    try:
        if number is None:
            raise NotFound(f"no source {source_id[:40]!r}")
        return service.get_source(db=db, source_id=number)
    except NotFound as exc:
        return error_page(request, 404, f"There is {exc}.")


@router.get("/sources/{source_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, db: DbDep, settings: SettingsDep,
              source_id: str) -> HTMLResponse:
    found = _source_or_404(request, db, source_id)
    if isinstance(found, HTMLResponse):
        return found
    allowed, status, detail = csrf.can_write(request, settings)
    if not allowed:
        return error_page(request, status, detail)
    return render(request, "source_edit.html",
                  {"source": found, "kinds": SOURCE_KINDS, "error": None, "error_field": None,
                   "values": {}}, forms=True)


@router.post("/sources/{source_id}/{action}", response_class=HTMLResponse)
async def source_action(request: Request, db: DbDep, settings: SettingsDep, source_id: str,
                        action: str) -> Response:
    if action not in ("edit", "pause", "resume", "delete", "crawl"):
        return error_page(request, 404, f"There is no action {action[:40]!r}.")
    form, refusal = await _guard(request, settings)
    if form is None:
        assert refusal is not None
        return refusal
    found = await run_in_threadpool(_source_or_404, request, db, source_id)
    if isinstance(found, HTMLResponse):
        return found
    assert found.id is not None
    try:
        if action == "delete":
            await run_in_threadpool(service.remove_source, db=db, source_id=found.id)
            return _done("deleted")
        if action in ("pause", "resume"):
            await run_in_threadpool(service.change_source, db=db, source_id=found.id,
                                    changes={"enabled": action == "resume"})
            return _done("paused" if action == "pause" else "resumed")
        if action == "crawl":
            mode = await start_crawl(
                db=db, settings=settings, source_id=found.id, trigger="web",
                in_process=getattr(request.app.state, "crawl_in_process", True))
            return _done("crawling" if mode == "started" else mode)
        changes: dict[str, Any] = {"name": _field(form, "name"), "url": _field(form, "url"),
                                   "kind": _field(form, "kind")}
        changes.update({k: v for k, v in _schedule(form).items() if v})
        await run_in_threadpool(service.change_source, db=db, source_id=found.id,
                                changes={k: v for k, v in changes.items()
                                         if v is not None or k == "name"})
    except service.InvalidSource as exc:
        status = 409 if isinstance(exc, service.DuplicateSource) else 422
        values = {k: str(form.get(k) or "")[:MAX_FIELD_CHARS]
                  for k in ("url", "name", "kind", "every", "cron")}
        return render(request, "source_edit.html",
                      {"source": found, "kinds": SOURCE_KINDS, "error": str(exc),
                       "error_field": exc.field, "values": values},
                      status_code=status, forms=True)
    except NotFound as exc:
        return error_page(request, 404, f"There is {exc}.")
    return _done("saved")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(request, "login.html", {"key_set": bool(settings.api_key), "error": None},
                  forms=True)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, settings: SettingsDep) -> Response:
    form, refusal = await _checked_form(request)
    if form is None:
        assert refusal is not None
        return refusal
    key = form.get("key")
    if not settings.api_key or not isinstance(key, str) or not csrf.key_matches(settings, key):
        message = ("No API key is set: writes are open to this machine only."
                   if not settings.api_key else "That key is not the API key.")
        return render(request, "login.html", {"key_set": bool(settings.api_key),
                                              "error": message}, status_code=403, forms=True)
    response = _done("signed-in")
    csrf.set_login_cookie(response, request, settings)
    return response


@router.post("/logout", response_class=HTMLResponse)
async def logout(request: Request) -> Response:
    _form, refusal = await _checked_form(request)
    if refusal is not None:
        return refusal
    response = _done("signed-out")
    response.delete_cookie(csrf.AUTH_COOKIE, path="/")
    return response
