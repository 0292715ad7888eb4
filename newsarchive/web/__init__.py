"""The web shell: FastAPI app factory, REST routers under api/, HTML pages under pages/."""

from newsarchive.web.app import create_app

__all__ = ["create_app"]
