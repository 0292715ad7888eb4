"""``newsarchive reextract``: run the current extractor over stored captures again."""

from __future__ import annotations

import sys

import click

from newsarchive import eventloop
from newsarchive.cli.context import SOURCE_ID, CliContext, pass_ctx, user_errors
from newsarchive.services.crawl import default_pool_size
from newsarchive.services.extraction import ExtractPool
from newsarchive.services.reextract import reextract
from newsarchive.services.site_rules import SiteRulesFile
from newsarchive.services.sources import get_source
from newsarchive.storage.article_query import parse_instant


@click.command("reextract")
@click.option("--source", "source_id", type=SOURCE_ID, help="Only this source's articles.")
@click.option("--since", help="Only articles captured on or after this ISO 8601 date "
                              "(as export's --since: 2024-05-01 or 2024-05-01T08:00:00Z).")
@pass_ctx
@user_errors
def reextract_cmd(ctx: CliContext, source_id: int | None, since: str | None) -> None:
    """Re-extract stored raw captures; a new version only where the result changed.

    Exit code 1 when any article failed (listed on stderr), after all were tried."""
    since_at = parse_instant(since, "since")
    db = ctx.database()
    if source_id is not None:  # a mistyped id is an error, not "0 checked"
        get_source(db=db, source_id=source_id)
    rules = SiteRulesFile(ctx.settings.site_rules)
    pool = ExtractPool(default_pool_size())
    try:
        report = eventloop.run(reextract(db=db, pool=pool, source_id=source_id,
                                           since=since_at, rules=rules))
    finally:
        pool.close()
    click.echo(f"{report.checked} checked, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.failed} failed")
    for article_id, error in list(report.errors.items())[:20]:
        click.echo(f"  article {article_id}: {error}", err=True)
    if report.failed:
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(reextract_cmd)
