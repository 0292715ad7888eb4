"""durable archive requests

``POST /api/articles`` answers 202 when the archive outlasts NEWSARCHIVE_ARCHIVE_WAIT; the
request it points to was held in the serving process's memory, lost on a restart and
invisible to other web processes. This table holds them.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import newsarchive.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_request",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", newsarchive.models.UTCDateTime(), nullable=False),
        sa.Column("finished_at", newsarchive.models.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", newsarchive.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("archive_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_request_created_at"), ["created_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("archive_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_request_created_at"))
    op.drop_table("archive_request")
