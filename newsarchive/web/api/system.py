"""Liveness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from sqlalchemy import func, select

from newsarchive import __version__
from newsarchive.models import Article, Source
from newsarchive.web.api.schemas import ERRORS
from newsarchive.web.deps import DbDep

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/metrics", response_class=Response, responses={
    200: {"description": "Prometheus text format", "content": {"text/plain": {}}}, **ERRORS})
def metrics(db: DbDep) -> Response:
    registry = CollectorRegistry()
    with db.read() as session:
        articles = session.execute(select(func.count()).select_from(Article)).scalar_one()
        sources = session.execute(select(func.count()).select_from(Source)).scalar_one()
    Gauge("newsarchive_articles", "Articles stored", registry=registry).set(articles)
    Gauge("newsarchive_sources", "Sources configured", registry=registry).set(sources)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
