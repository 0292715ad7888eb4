"""``newsarchive export``: stream the archive out as JSON Lines, CSV or WARC."""

from __future__ import annotations

import os
import sys

import click

from newsarchive.cli.context import SOURCE_ID, CliContext, pass_ctx, user_errors
from newsarchive.services.export import FORMATS, export
from newsarchive.services.sources import get_source
from newsarchive.storage.article_query import ArticleQuery


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="jsonl",
              show_default=True)
@click.option("--source", "source_id", type=SOURCE_ID, help="Only this source's articles.")
@click.option("--since", help="Published (else captured) on or after this ISO 8601 date.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here instead of standard output.")
@pass_ctx
@user_errors
def export_command(ctx: CliContext, fmt: str, source_id: int | None, since: str | None,
                   output: str | None) -> None:
    """Stream the archive out: JSON Lines of Articles, CSV of the main fields, or WARC 1.1
    with the archived request/response records and a metadata record per article."""
    if output is None and fmt == "warc" and sys.stdout.isatty():
        # gzip bytes on a terminal are garbage and can leave it in a strange state
        raise click.UsageError("WARC is gzip-compressed binary: give -o FILE or pipe it")
    db = ctx.database()
    if source_id is not None:  # a mistyped id is an error, not an empty export
        get_source(db=db, source_id=source_id)
    query = ArticleQuery(source_id=source_id, since=since)
    chunks = export(db, query, fmt)
    if output is None:
        out = sys.stdout.buffer
        try:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): it has what it asked for, so not a failure
            # (click would exit 1). Standard output now goes nowhere, so the flush at exit
            # cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        with open(output, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc


def register(cli: click.Group) -> None:
    cli.add_command(export_command)
