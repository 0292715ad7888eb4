"""crawl_run.heartbeat_at

A pass its own process drives (``crawl`` in the foreground, serve's "crawl now") keeps its
URLs from other processes' workers; the driver renews this column while it lives, and the
workers' reaper hands the pass of a dead driver to everyone (its URLs were stranded before).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import newsarchive.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", newsarchive.models.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
