"""Alembic environment: the target is SQLModel.metadata; the URL comes from the caller."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import newsarchive.models  # noqa: F401  (registers the tables)
from newsarchive.storage.db import make_engine

config = context.config
#: objects that migrations create by hand (full-text search) and autogenerate must not drop
MANUAL_OBJECTS = {"article_fts", "article_fts_data", "article_fts_idx", "article_fts_content",
                  "article_fts_docsize", "article_fts_config", "ix_article_search"}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if name in MANUAL_OBJECTS or (name or "").startswith("article_fts"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return True


def _url() -> str:
    return config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=SQLModel.metadata, literal_binds=True,
                      render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
