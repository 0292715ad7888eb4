"""full-text search and the list's sort indexes

SQLite: an FTS5 external-content table ``article_fts`` over article title,
description and text, kept in sync by triggers on insert, update of those columns
and delete (so every writer, ORM or not, keeps the index right).

PostgreSQL: a stored generated ``search_vector`` tsvector column (title weighted A,
description B, text C; config ``simple`` like FTS5's unicode61: no stemming, so
every language is treated alike) with a GIN index.

Both: expression indexes on ``(coalesce(published_at, fetched_at), id)`` and
``(fetched_at, id)`` so newest-first lists and keyset cursors walk an index and
stop after one page.

Beware (SQLite): a later migration that rebuilds the article table with
``batch_alter_table`` drops these triggers; re-run this migration's SQLite part
after it.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: characters of the body that go into the tsvector: PostgreSQL refuses a tsvector over
#: 1 MB, and 100,000 characters is 5x a very long article, so nothing real is cut
PG_TEXT_CHARS = 100_000

SQLITE_UP = [
    """CREATE VIRTUAL TABLE article_fts USING fts5(
        title, description, text,
        content='article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN
        INSERT INTO article_fts(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END""",
    """CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
    END""",
    """CREATE TRIGGER article_fts_au AFTER UPDATE OF title, description, text ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
        INSERT INTO article_fts(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END""",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS article_fts_au",
    "DROP TRIGGER IF EXISTS article_fts_ad",
    "DROP TRIGGER IF EXISTS article_fts_ai",
    "DROP TABLE IF EXISTS article_fts",
]

PG_UP = [
    f"""ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, left(coalesce(text, ''), {PG_TEXT_CHARS})), 'C')
    ) STORED""",
    "CREATE INDEX ix_article_search_vector ON article USING gin (search_vector)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS ix_article_search_vector",
    "ALTER TABLE article DROP COLUMN IF EXISTS search_vector",
]

COMMON_UP = [
    "CREATE INDEX ix_article_search_published ON article "
    "(coalesce(published_at, fetched_at), id)",
    "CREATE INDEX ix_article_search_fetched ON article (fetched_at, id)",
]
COMMON_DOWN = [
    "DROP INDEX IF EXISTS ix_article_search_fetched",
    "DROP INDEX IF EXISTS ix_article_search_published",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else PG_UP)
    _run(COMMON_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(COMMON_DOWN)
    _run(SQLITE_DOWN if dialect == "sqlite" else PG_DOWN)
