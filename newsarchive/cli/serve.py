"""``newsarchive serve``: REST + HTML, with the scheduler and crawl in-process."""

from __future__ import annotations

import click

from newsarchive.cli.context import CliContext, pass_ctx, user_errors


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-crawl", is_flag=True, help="Only serve; crawls are left to workers.")
@pass_ctx
@user_errors
def serve(ctx: CliContext, host: str, port: int, no_crawl: bool) -> None:
    """Upgrade the database, serve the API and HTML index, run the scheduler."""
    import uvicorn

    from newsarchive.web.app import create_app

    db = ctx.database()
    app = create_app(ctx.settings, db=db, run_scheduler=not no_crawl,
                     crawl_in_process=not no_crawl)
    click.echo(f"newsarchive serving on http://{host}:{port} "
               f"({'scheduler off' if no_crawl else 'scheduler on'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level=ctx.settings.log_level.lower(),
                proxy_headers=False)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
