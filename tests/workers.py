"""The environment of a `newsarchive worker` subprocess started by a test."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker_env(database_url: str, **settings: str) -> dict[str, str]:
    """This process's environment without any NEWSARCHIVE_ setting of the developer's, plus
    the shared database, private addresses allowed (the test sites are on 127.0.0.1), no
    config file, and ``settings`` as NEWSARCHIVE_<NAME> variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    env.update({
        "NEWSARCHIVE_DATABASE_URL": database_url,
        "NEWSARCHIVE_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSARCHIVE_CONFIG": str(ROOT / "no-such-newsarchive.toml"),
    })
    env.update({f"NEWSARCHIVE_{name.upper()}": value for name, value in settings.items()})
    return env
