"""``newsarchive serve``: REST + HTML, with the scheduler and crawl in-process."""

from __future__ import annotations

import socket

import click

from newsarchive.cli.context import CliContext, pass_ctx, user_errors
from newsarchive.errors import ConfigError


def check_listen(host: str, port: int) -> None:
    """Bind once before starting: uvicorn reports a taken port or an unknown host only in a
    log line after we announced the address, and exits 3, outside the README's exit codes."""
    try:
        family, _, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # as uvicorn binds: a port left in TIME_WAIT by a stopped server is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:  # socket.gaierror included
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


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

    check_listen(host, port)
    db = ctx.database()
    app = create_app(ctx.settings, db=db, run_scheduler=not no_crawl,
                     crawl_in_process=not no_crawl)
    click.echo(f"newsarchive serving on http://{host}:{port} "
               f"({'scheduler off' if no_crawl else 'scheduler on'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level=ctx.settings.log_level.lower(),
                proxy_headers=False)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
