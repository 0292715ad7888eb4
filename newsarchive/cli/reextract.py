"""``newsarchive reextract``: run the current extractor over stored captures again."""

from __future__ import annotations

import asyncio
from datetime import datetime

import click

from newsarchive.cli.context import CliContext, pass_ctx, user_errors
from newsarchive.services.crawl import default_pool_size
from newsarchive.services.extraction import ExtractPool
from newsarchive.services.reextract import reextract
from newsarchive.services.sources import get_source


@click.command("reextract")
@click.option("--source", "source_id", type=int, help="Only this source's articles.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only articles captured since this date (YYYY-MM-DD).")
@pass_ctx
@user_errors
def reextract_cmd(ctx: CliContext, source_id: int | None, since: datetime | None) -> None:
    """Re-extract stored raw captures; a new version only where the result changed."""
    from datetime import UTC

    db = ctx.database()
    if source_id is not None:  # a mistyped id is an error, not "0 checked"
        get_source(db=db, source_id=source_id)
    pool = ExtractPool(default_pool_size())
    try:
        report = asyncio.run(reextract(db=db, pool=pool, source_id=source_id,
                                       since=since.replace(tzinfo=UTC) if since else None))
    finally:
        pool.close()
    click.echo(f"{report.checked} checked, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.failed} failed")
    for article_id, error in list(report.errors.items())[:20]:
        click.echo(f"  article {article_id}: {error}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(reextract_cmd)
