"""An app over a small real archive (SQLite file or PostgreSQL) and a client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.api.helpers import add_article


@pytest.fixture
def filled(db: Database) -> Database:
    """Five articles, one with two versions, two authors, two languages."""
    add_article(db, 1, "River bridge reopens", "The old bridge over the river reopened today.",
                authors=["Jane Doe"])
    add_article(db, 2, "Council budget vote", "The council voted on the budget for schools.",
                authors=["Max Mustermann"], language="de")
    add_article(db, 3, "Storm hits harbor", "A storm hit the harbor and the river rose.")
    add_article(db, 3, "Storm hits harbor", "A storm hit the harbor; the river rose fast.")
    add_article(db, 4, "Festival <script>alert(1)</script>", "Museum festival & crowds.")
    add_article(db, 5, "No capture", "Stored without a raw capture.", with_capture=False)
    return db


@pytest.fixture
def client(settings: Settings, filled: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db=filled)) as c:
        yield c
