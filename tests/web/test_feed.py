"""/feed.xml: valid Atom (parsed by feedparser) with the home page's filters."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsarchive.storage.db import Database
from tests.web.conftest import store_article

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_feed_is_valid_atom_with_filters(client: TestClient, db: Database) -> None:
    first = store_article(db, "https://a.example/1", title="Bridge <reopens> & more",
                          authors=["Ana Ruiz"], description="Traffic\x0b resumes.",
                          text="The bridge reopened to traffic on Monday.", language="en",
                          published_at=datetime(2024, 5, 1, tzinfo=UTC))
    store_article(db, "https://b.example/2", title="Le pont rouvre", language="fr",
                  text="Le pont a rouvert lundi.", site_name="Le Journal")
    response = client.get("/feed.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = {e.title for e in feed.entries}
    assert titles == {"Bridge <reopens> & more", "Le pont rouvre"}
    entry = next(e for e in feed.entries if e.title.startswith("Bridge"))
    assert entry.link.endswith(f"/articles/{first}")
    assert entry.author == "Ana Ruiz" and entry.summary == "Traffic resumes."
    only_fr = feedparser.parse(client.get("/feed.xml", params={"language": "fr"}).content)
    assert [e.title for e in only_fr.entries] == ["Le pont rouvre"]
    assert only_fr.entries[0].author == "Le Journal"
    search = feedparser.parse(client.get("/feed.xml", params={"q": "bridge"}).content)
    assert [e.title for e in search.entries] == ["Bridge <reopens> & more"]
    assert "q=bridge" in search.feed.id
    index = client.get("/")
    assert 'type="application/atom+xml"' in index.text
