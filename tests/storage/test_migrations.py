"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import newsarchive.models  # noqa: F401
from newsarchive.storage.db import make_engine
from newsarchive.storage.migrate import current_revision, ensure_schema, include_object, upgrade


def test_migrations_match_models(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(ctx, SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == [], diff


def test_upgrade_is_idempotent(database_url: str) -> None:
    ensure_schema(database_url)
    first = current_revision(database_url)
    ensure_schema(database_url)
    assert current_revision(database_url) == first is not None
