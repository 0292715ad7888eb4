"""``newsarchive extract``: extraction only, nothing stored."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from newsarchive import eventloop
from newsarchive.cli.context import CliContext, fail, pass_ctx, user_errors
from newsarchive.extract import ExtractOptions, extract
from newsarchive.services.site_rules import SiteRulesFile


@click.command("extract")
@click.argument("target")
@click.option("--url", "page_url", help="The page's URL (resolves links, reads dates).")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "html"]), default="json",
              show_default=True)
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Per-site rules file (default: NEWSARCHIVE_SITE_RULES); the page's URL "
                   "picks its site.")
@pass_ctx
@user_errors
def extract_cmd(ctx: CliContext, target: str, page_url: str | None, fmt: str,
                rules_path: Path | None) -> None:
    """Extract the article from FILE, URL or - (stdin) and print it."""
    rules_file = SiteRulesFile(rules_path or ctx.settings.site_rules)  # checked before any fetch
    content_type = None
    if target == "-":
        data = sys.stdin.buffer.read()
    elif target.startswith(("http://", "https://")):
        from newsarchive.discover.urls import InvalidURL, canonicalize
        from newsarchive.fetch.client import Fetcher

        try:  # a malformed URL is named as such, not as its robots.txt being unreachable
            canonicalize(target)
        except InvalidURL as exc:
            fail(str(exc))

        async def get() -> tuple[bytes, str, str | None]:
            async with Fetcher(ctx.settings) as fetcher:
                result = await fetcher.fetch(target)
                return result.body, result.final_url, result.content_type

        data, final, content_type = eventloop.run(get())
        page_url = page_url or final
    else:
        try:
            data = Path(target).read_bytes()
        except FileNotFoundError:
            fail(f"no such file: {target}")
        except IsADirectoryError:
            fail(f"{target} is a directory: give one page's file")
        except OSError as exc:  # a name too long, an unreadable file: no traceback
            fail(f"cannot read {target}: {exc.strerror or exc}")
    rules = rules_file.for_url(page_url)
    if rules_path is not None and rules is None:
        click.echo(f"note: {rules_path} has no rules for "
                   f"{page_url or 'a page without a URL (give --url)'}", err=True)
    record = extract(data, page_url, ExtractOptions(content_type=content_type, rules=rules))
    if fmt == "text":
        click.echo(record.text)
    elif fmt == "html":
        click.echo(record.html)
    else:
        out = record.model_dump(mode="json")
        for key in ("id", "source_id", "fetched_at", "version", "duplicate_of"):
            out.setdefault(key, None)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    if not record.is_article:
        click.echo(f"note: not an article: {record.reason or record.page_type}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(extract_cmd)
