"""What every command shares: settings read once, the database opened (and migrated) on use,
and the mapping of our exceptions to exit codes."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import click
import sqlalchemy as sa
from pydantic import ValidationError

from newsarchive.config import Settings, load_settings
from newsarchive.errors import ConfigError, NewsarchiveError
from newsarchive.services.site_rules import read_rules
from newsarchive.storage.db import Database
from newsarchive.storage.paging import MAX_ID

P = ParamSpec("P")
R = TypeVar("R")


class CliContext:
    def __init__(self, overrides: dict[str, Any]) -> None:
        self._overrides = overrides
        self._settings: Settings | None = None
        self._db: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(**self._overrides)
            except ValidationError as exc:  # one line per bad value, not pydantic's essay
                raise click.UsageError("invalid settings: " + "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e['input']!r})"
                    for e in exc.errors())) from exc
            except Exception as exc:  # ConfigError, a TOML syntax error and friends
                raise click.UsageError(f"invalid settings: {exc}") from exc
            if self._settings.site_rules is not None:  # a broken file stops the command now,
                read_rules(self._settings.site_rules)  # not a crawl half-way (SiteRulesError)
            level = getattr(logging, self._settings.log_level.upper(), logging.INFO)
            logging.basicConfig(level=level,
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
            # httpx logs every request at INFO: a line per page drowned `crawl`'s progress
            # bar and `extract URL`'s output. Still shown when debugging.
            logging.getLogger("httpx").setLevel(
                level if level <= logging.DEBUG else logging.WARNING)
            # Migration chatter is not news to a user running a command.
            logging.getLogger("alembic").setLevel(logging.WARNING)
            # APScheduler logs every run of every job at INFO: noise for an operator.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
        return self._settings

    def database(self, *, migrate: bool = True) -> Database:
        if self._db is None:
            _refuse_in_memory(self.settings.database_url)
            if migrate:
                from newsarchive.storage.migrate import ensure_schema

                ensure_schema(self.settings.database_url)
            self._db = Database(self.settings.database_url)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def _refuse_in_memory(database_url: str) -> None:
    """Each command is a process of its own: an in-memory SQLite database would be gone
    before the next command, and is not even shared by one command's connections."""
    try:
        url = sa.engine.make_url(database_url)
    except sa.exc.ArgumentError:
        return  # unreadable: opening it says so
    if url.get_backend_name() == "sqlite" and (
            url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"):
        raise ConfigError(f"an in-memory SQLite database does not outlive a command: give a "
                          f"file, e.g. sqlite:///./data/newsarchive.db (got {database_url!r})")


pass_ctx = click.make_pass_decorator(CliContext)

#: a source id as the API takes it: an id past PostgreSQL's integer is bad usage, not a
#: database error with a traceback
SOURCE_ID = click.IntRange(1, MAX_ID)


def fail(message: str) -> None:
    """A failure the user can fix: one line on stderr, exit code 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn our named exceptions into a readable line and exit code 1, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except NewsarchiveError as exc:
            fail(str(exc))
        except sa.exc.SQLAlchemyError as exc:  # the database failed under a command
            fail(f"database error: {str(exc).splitlines()[0]}")
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        raise AssertionError("unreachable")

    return wrapper
