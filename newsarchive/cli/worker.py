"""``newsarchive worker``: crawl workers only (scale-out: many, on many machines)."""

from __future__ import annotations

import asyncio
import signal

import click

from newsarchive import eventloop
from newsarchive.cli.context import CliContext, pass_ctx, user_errors
from newsarchive.services.crawl import work
from newsarchive.services.worker import Worker


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1, 1000),
              help="URLs in flight in this process (default: NEWSARCHIVE_CONCURRENCY).")
@click.option("--until-idle", is_flag=True,
              help="Exit once nothing is queued (batch jobs, tests) instead of waiting.")
@pass_ctx
@user_errors
def worker(ctx: CliContext, concurrency: int | None, until_idle: bool) -> None:
    """Claim URLs from the frontier and due sources, fetch, extract, store; SIGTERM finishes
    or returns the URLs in flight before exiting."""
    db = ctx.database()

    def wire(w: Worker) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, w.stop)
        click.echo(f"worker {w.name} started (concurrency {w.concurrency})", err=True)

    eventloop.run(work(db=db, settings=ctx.settings, concurrency=concurrency,
                       until_idle=until_idle, ready=wire))
    click.echo("worker stopped", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(worker)
