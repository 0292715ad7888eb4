"""``newsarchive archive URL...``: fetch and archive these URLs now."""

from __future__ import annotations

import sys

import click

from newsarchive import eventloop
from newsarchive.cli.context import CliContext, pass_ctx, user_errors
from newsarchive.errors import NewsarchiveError
from newsarchive.fetch.client import Fetcher
from newsarchive.services.archive import archive_url


@click.command("archive")
@click.argument("urls", nargs=-1, required=True)
@pass_ctx
@user_errors
def archive(ctx: CliContext, urls: tuple[str, ...]) -> None:
    """Fetch and archive article URLs now, known or not; a changed text makes a new version.

    Prints one line per URL: the article id, what happened, and its title."""
    db = ctx.database()
    settings = ctx.settings

    async def run() -> int:
        failures = 0
        async with Fetcher(settings) as fetcher:
            for url in urls:
                try:
                    outcome = await archive_url(db=db, fetcher=fetcher, url=url)
                except NewsarchiveError as exc:
                    failures += 1
                    click.echo(f"error: {exc}", err=True)
                    continue
                a = outcome.article
                click.echo(f"{a.id}\t{outcome.status}\tv{a.version}\t{a.title or ''}")
        return failures

    if eventloop.run(run()):
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(archive)
