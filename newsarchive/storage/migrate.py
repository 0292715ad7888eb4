"""Alembic, driven from code: ``upgrade(url)`` brings any database to head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from newsarchive.storage.db import make_engine

#: migrations/ sits beside the package in the repository (and in the Docker image).
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """What autogenerate compares: not the full-text objects migrations make by hand."""
    if (name or "").startswith(("article_fts", "ix_article_search")):
        return False
    return not (type_ == "column" and name == "search_vector")


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Run every migration up to ``revision``; idempotent."""
    make_engine(database_url).dispose()  # creates a SQLite file's folder
    command.upgrade(alembic_config(database_url), revision)


def current_revision(database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def ensure_schema(database_url: str) -> None:
    """Upgrade only when the database is behind head (cheap on every command)."""
    from alembic.script import ScriptDirectory

    from newsarchive.errors import StorageError

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    try:
        if current_revision(database_url) == head:
            return
        upgrade(database_url)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            raise StorageError(f"cannot open the database {_safe(database_url)}: "
                               f"{str(exc).splitlines()[0]}") from exc
        if isinstance(exc, ImportError):  # a dialect whose driver is not installed (mysql://)
            raise StorageError(f"cannot open the database {_safe(database_url)}: its driver "
                               f"is not installed ({exc}); newsarchive ships SQLite and "
                               "PostgreSQL (postgresql+psycopg://)") from exc
        raise


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "(unreadable URL)"
