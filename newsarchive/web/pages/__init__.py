"""Server-rendered HTML pages (Jinja2). Work without JavaScript."""

from newsarchive.web.pages.routes import router

__all__ = ["router"]
