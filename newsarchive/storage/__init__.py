"""Storage: the engine and sessions, queries, the frontier and search. Knows nothing of the web."""

from newsarchive.storage.db import Database

__all__ = ["Database"]
