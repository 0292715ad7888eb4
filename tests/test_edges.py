"""Tests that guard the edges: every setting documented, compose agrees with the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml

from newsarchive.cli.main import cli
from newsarchive.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"NEWSARCHIVE_{name.upper()}" in readme, name


def _command(args: list[str]) -> click.Command:
    """Resolve ``newsarchive sub sub`` to its click command, parsing its options."""
    assert args[0] == "newsarchive", args
    group: click.Command = cli
    rest = args[1:]
    while isinstance(group, click.Group) and rest and rest[0] in group.commands:
        group = group.commands[rest.pop(0)]
    ctx = group.make_context("newsarchive", list(rest), resilient_parsing=False)
    assert ctx is not None
    return group


def test_compose_services_agree_with_cli_and_settings() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "web", "worker"} <= set(services)
    assert services["web"]["command"][:2] == ["newsarchive", "serve"]
    assert services["worker"]["command"][:2] == ["newsarchive", "worker"]
    for name in ("web", "worker"):
        service = services[name]
        assert _command(service["command"]).name == service["command"][1]
        env = service["environment"]
        for key in env:
            assert key.startswith("NEWSARCHIVE_"), key
            assert key.removeprefix("NEWSARCHIVE_").lower() in Settings.model_fields, key
        assert env["NEWSARCHIVE_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@db:5432/" in env["NEWSARCHIVE_DATABASE_URL"]
        assert "healthcheck" in service or name == "worker"
    assert "healthcheck" in services["db"]
    assert any("pgdata" in v for v in services["db"]["volumes"])
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r'CMD \["newsarchive", "serve"', dockerfile)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert "make serve" in readme
