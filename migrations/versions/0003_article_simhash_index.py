"""a covering index for the near-duplicate check's recent SimHashes

The check reads the ids and SimHashes of the latest articles for every stored page. Read
from the table, each row's simhash sits behind its text and HTML (SQLite follows the
overflow pages of a long row to reach it: ~4 ms for 200 articles); read from this index,
the rows are a few integers each.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_article_id_simhash", "article", ["id", "simhash"])


def downgrade() -> None:
    op.drop_index("ix_article_id_simhash", table_name="article")
