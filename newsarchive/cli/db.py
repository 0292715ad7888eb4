"""``newsarchive db``: migrations."""

from __future__ import annotations

import click

from newsarchive.cli.context import CliContext, pass_ctx, user_errors


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@pass_ctx
@user_errors
def upgrade(ctx: CliContext) -> None:
    """Run Alembic migrations to head."""
    from newsarchive.storage.migrate import current_revision, ensure_schema

    ensure_schema(ctx.settings.database_url)
    click.echo(f"database at revision {current_revision(ctx.settings.database_url)}")


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
