"""``newsarchive crawl``: one pass in the foreground with a progress bar."""

from __future__ import annotations

import sys

import click

from newsarchive import eventloop
from newsarchive.cli.context import SOURCE_ID, CliContext, fail, pass_ctx, user_errors
from newsarchive.errors import NewsarchiveError, PrivateAddressError
from newsarchive.fetch.client import Fetcher
from newsarchive.fetch.guard import ALLOW_SETTING
from newsarchive.models import CrawlRun
from newsarchive.services.crawl import (
    COUNTERS,
    CrawlProgress,
    crawl_source,
    default_pool_size,
    request_crawl,
)
from newsarchive.services.extraction import ExtractPool
from newsarchive.services.sources import get_source, list_sources


@click.command("crawl")
@click.option("--source", "source_id", type=SOURCE_ID, help="Crawl this source.")
@click.option("--all", "all_sources", is_flag=True, help="Crawl every enabled source.")
@click.option("--enqueue", is_flag=True,
              help="Only queue the pass for running workers and return.")
@pass_ctx
@user_errors
def crawl(ctx: CliContext, source_id: int | None, all_sources: bool, enqueue: bool) -> None:
    """Run one discovery + fetch pass now and print a summary.

    Every source asked for is crawled; the exit code is 1 when any of their passes failed
    (discovery failed, or the source went away), 0 when all of them ran. URLs that failed
    inside a pass (a 404, robots.txt) are listed in its summary, not counted as failure."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if source_id is None and not all_sources:
        raise click.UsageError("give --source ID or --all")
    if source_id is not None and all_sources:
        raise click.UsageError("give --source ID or --all, not both")
    db = ctx.database()
    if source_id is not None:  # a mistyped id is one line, before any progress bar
        get_source(db=db, source_id=source_id)
    ids = [source_id] if source_id is not None else [
        s.id for s in list_sources(db=db) if s.enabled and s.id is not None
    ]
    if not ids:
        fail("no enabled sources: newsarchive sources add URL")
    if enqueue:
        refused = 0
        for sid in ids:
            try:
                request_crawl(db=db, source_id=sid)
            except NewsarchiveError as exc:  # removed since listed: queue the others
                click.echo(f"source {sid}: error: {exc}", err=True)
                refused += 1
                continue
            click.echo(f"source {sid}: queued for the workers")
        if refused:
            sys.exit(1)
        return
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[counts]}"), console=console, transient=False,
                  disable=not console.is_terminal) as bar:

        async def one(sid: int, fetcher: Fetcher, pool: ExtractPool) -> CrawlRun:
            task = bar.add_task(f"source {sid}", total=None, counts="")

            def show(p: CrawlProgress) -> None:
                done = p.counts["archived"] + p.counts["unchanged"] + p.counts["failed"]
                bar.update(task, total=p.total or None, completed=done,
                           counts=" ".join(f"{k} {v}" for k, v in p.counts.items()))

            return await crawl_source(db=db, settings=ctx.settings, source_id=sid,
                                      trigger="cli", on_progress=show, fetcher=fetcher,
                                      pool=pool)

        async def passes() -> int:
            failed_runs = 0
            # one client and one extraction pool for all the passes of this command
            pool = ExtractPool(default_pool_size())
            try:
                async with Fetcher(ctx.settings) as fetcher:
                    for sid in ids:
                        try:
                            run = await one(sid, fetcher, pool)
                        except NewsarchiveError as exc:  # removed since listed: go on
                            click.echo(f"source {sid}: error: {exc}", err=True)
                            failed_runs += 1
                            continue
                        summary = ", ".join(f"{getattr(run, k)} {k}" for k in COUNTERS)
                        click.echo(f"source {sid}: run {run.id} {run.status}: {summary}")
                        _print_failures(run.failures or {})
                        if run.error:
                            click.echo(f"  error: {run.error}", err=True)
                            failed_runs += 1
            finally:
                pool.close()
            return failed_runs

        failed_runs = eventloop.run(passes())
    if failed_runs:
        sys.exit(1)


def _print_failures(failures: dict[str, int]) -> None:
    """A pass's failed URLs by reason; the ones this deployment's policy refused on a line
    of their own with the setting that lifts it, so they do not read as a failing site."""
    refused = failures.get(PrivateAddressError.reason, 0)
    others = {k: v for k, v in failures.items() if k != PrivateAddressError.reason}
    if others:
        click.echo("  failures: " + ", ".join(f"{k} {v}" for k, v in others.items()))
    if refused:
        click.echo(f"  refused by this deployment's address policy: {refused} "
                   f"URL{'' if refused == 1 else 's'} (private address; "
                   f"set {ALLOW_SETTING}=true to fetch them)")


def register(cli: click.Group) -> None:
    cli.add_command(crawl)
