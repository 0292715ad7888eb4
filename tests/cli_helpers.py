"""Running the real CLI in-process (click's runner) with a given environment."""

from __future__ import annotations

from click.testing import CliRunner, Result

from newsarchive.cli.main import cli


def run_cli(args: list[str], env: dict[str, str], input: str | bytes | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(cli, args, env=env, input=input, catch_exceptions=False)


def cli_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        "NEWSARCHIVE_DATABASE_URL": database_url,
        "NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSARCHIVE_HOST_DELAY": "0",
    }
    env.update(extra)
    return env
