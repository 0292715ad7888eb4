"""``newsarchive``: the entry point and its global options."""

from __future__ import annotations

import os
import sys

import click

from newsarchive import __version__
from newsarchive.cli.context import CliContext


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsarchive")
@click.option("--database-url", envvar=None, help="Overrides NEWSARCHIVE_DATABASE_URL.")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="A newsarchive.toml to read (default: ./newsarchive.toml).")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, config_file: str | None) -> None:
    """newsarchive: scrape news sites on a schedule and keep a searchable archive.

    \b
    Exit codes:
      0  success
      1  a failure you can fix, one line on stderr; also when only part of the work
         failed (one source's crawl pass, one of archive's URLs, one article in
         reextract): the rest is still done first
      2  bad usage (an unknown option, a bad setting)
    """
    if config_file:
        os.environ["NEWSARCHIVE_CONFIG"] = config_file
    obj = CliContext({"database_url": database_url})
    ctx.obj = obj
    ctx.call_on_close(obj.close)


def _register() -> None:
    from newsarchive.cli import (
        archive,
        crawl,
        db,
        export,
        extract,
        reextract,
        serve,
        sources,
        worker,
    )

    for module in (archive, crawl, db, export, extract, reextract, serve, sources, worker):
        module.register(cli)


_register()


def main() -> None:
    try:
        cli.main(prog_name="newsarchive", standalone_mode=True)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(0)
