"""``newsarchive sources``: add, list, remove."""

from __future__ import annotations

import click

from newsarchive.cli.context import SOURCE_ID, CliContext, pass_ctx, user_errors
from newsarchive.models import SOURCE_KINDS
from newsarchive.services import sources as service


@click.group("sources")
def sources_group() -> None:
    """Sources crawled on a schedule."""


@sources_group.command("add")
@click.argument("url")
@click.option("--name", help="A display name.")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="auto", show_default=True)
@click.option("--every", help="Interval, e.g. 30m, 2h, 1d (default 30m).")
@click.option("--cron", help='A cron expression, e.g. "*/30 * * * *".')
@pass_ctx
@user_errors
def add(ctx: CliContext, url: str, name: str | None, kind: str, every: str | None,
        cron: str | None) -> None:
    """Add a source; prints its id."""
    source = service.add_source(db=ctx.database(), url=url, name=name, kind=kind, every=every,
                                cron=cron, default_every=ctx.settings.default_every)
    click.echo(source.id)


@sources_group.command("list")
@pass_ctx
@user_errors
def list_(ctx: CliContext) -> None:
    """List sources."""
    rows = service.list_sources(db=ctx.database())
    if not rows:
        click.echo("no sources yet: newsarchive sources add URL")
        return
    for s in rows:
        schedule = (f"cron {s.cron}" if s.cron else
                    f"every {service.every_text(s.every_seconds)}" if s.every_seconds else "-")
        state = "enabled" if s.enabled else "paused"
        last = s.last_crawl_at.isoformat(timespec="seconds") if s.last_crawl_at else "never"
        click.echo(f"{s.id}\t{s.kind}\t{schedule}\t{state}\tlast crawl {last}\t{s.name or ''}\t{s.url}")


@sources_group.command("remove")
@click.argument("source_id", type=SOURCE_ID)
@pass_ctx
@user_errors
def remove(ctx: CliContext, source_id: int) -> None:
    """Remove a source (its articles stay)."""
    service.remove_source(db=ctx.database(), source_id=source_id)
    click.echo(f"removed source {source_id}")


def register(cli: click.Group) -> None:
    cli.add_command(sources_group)
