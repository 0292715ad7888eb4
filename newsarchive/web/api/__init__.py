"""REST routers."""

from fastapi import APIRouter

from newsarchive.web.api import archive_requests, articles, crawls, export, sources, stats, system

router = APIRouter()
router.include_router(system.router)
router.include_router(articles.router)
router.include_router(archive_requests.router)
router.include_router(sources.router)
router.include_router(crawls.router)
router.include_router(stats.router)
router.include_router(export.router)

__all__ = ["router"]
