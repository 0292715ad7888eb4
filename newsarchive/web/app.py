"""The app factory: ``create_app(settings)`` builds everything; nothing at import time."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from newsarchive import __version__
from newsarchive.config import Settings
from newsarchive.errors import InvalidQuery, NotFound, StorageError
from newsarchive.storage.db import Database

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    settings: Settings, *, db: Database | None = None, run_scheduler: bool = False,
    crawl_in_process: bool = True,
) -> FastAPI:
    """Build the app. ``run_scheduler`` starts the source scheduler with the app (``serve``);
    ``crawl_in_process`` False (``serve --no-crawl``) leaves API-requested crawls to workers."""
    database = db or Database(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = None
        if run_scheduler:
            from newsarchive.jobs.scheduler import SourceScheduler

            scheduler = SourceScheduler(db=database, settings=settings)
            scheduler.start()
        if not database.is_sqlite:  # the hot path's reads on this loop (storage/async_reads)
            from newsarchive.storage.async_reads import AsyncReader

            app.state.reader = AsyncReader(database)
            await app.state.reader.open()
        try:
            yield
        finally:
            await app.state.archive_requests.aclose()
            if app.state.reader is not None:
                await app.state.reader.close()
                app.state.reader = None
            if scheduler is not None:
                await scheduler.aclose()  # in-flight crawl URLs finish or are released
            if db is None:
                database.dispose()

    app = FastAPI(
        title="newsarchive",
        version=__version__,
        description="A searchable archive of news articles, scraped on a schedule.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.crawl_in_process = crawl_in_process
    app.state.reader = None  # set while the app runs, on PostgreSQL
    from newsarchive.services.archive_requests import ArchiveRequests

    # POST /api/articles past its wait
    app.state.archive_requests = ArchiveRequests(db=database, settings=settings)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(StorageError)
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def _unavailable(_request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse({"detail": "the database is unavailable; try again shortly"},
                            status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(InvalidQuery)
    async def _bad_query(_request: Request, exc: InvalidQuery) -> JSONResponse:
        return JSONResponse({"detail": [{"loc": ["query", exc.field], "msg": exc.detail,
                                         "type": exc.reason}]}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    from newsarchive.web.api import router as api_router
    from newsarchive.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    from newsarchive.web import pages, security

    pages.install(app)  # HTML error pages, CSRF secret
    security.install(app)  # CSP, nosniff, Referrer-Policy, frame-ancestors on every response
    from newsarchive.web.api.limits import BodyLimit

    app.add_middleware(BodyLimit)  # 413 for request bodies over the limit
    return app
