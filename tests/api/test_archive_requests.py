"""Archive requests answered with 202 are stored: any web process answers for them, and a
restart turns a pending one into a failed one ("interrupted by a restart"), never a
request pending for ever."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.models import ArchiveRequestRow
from newsarchive.services import archive_requests as service
from newsarchive.storage import archive_requests as store
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite, Reply

#: seconds a test waits for an archive of a local page before giving up
PATIENCE = 30.0


@pytest.fixture
def other_db(settings: Settings, db: Database) -> Iterator[Database]:
    """A second engine over the same database: what another web process holds."""
    other = Database(settings.database_url)
    yield other
    other.dispose()


def _slow(site: LocalSite, path: str, delay: float) -> str:
    return site.add(path, Reply(body=publisher_page("A slow story", lorem_paragraphs(6)),
                                delay=delay))


def _poll(client: TestClient, location: str) -> dict[str, object]:
    deadline = time.monotonic() + PATIENCE
    while True:
        status: dict[str, object] = client.get(location).json()
        if status["status"] != "pending" or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_another_process_answers_for_a_request(settings: Settings, db: Database,
                                               other_db: Database, site: LocalSite) -> None:
    url = _slow(site, "/2024/05/02/slow/", 1.0)
    patient = settings.model_copy(update={"archive_wait": 0.1})
    with TestClient(create_app(patient, db=db)) as taker, \
            TestClient(create_app(patient, db=other_db)) as other:
        accepted = taker.post("/api/articles", json={"url": url})
        assert accepted.status_code == 202, accepted.text
        location = accepted.headers["Location"]
        seen = other.get(location).json()
        assert seen["status"] == "pending" and seen["url"] == url
        assert seen["created_at"] == accepted.json()["created_at"]
        status = _poll(other, location)
        assert status["status"] == "archived", status
        assert status["finished_at"] is not None
        assert other.get(str(status["article"])).json()["title"] == "A slow story"


def test_a_request_cut_by_a_restart_is_failed_not_pending(
        settings: Settings, db: Database, other_db: Database, site: LocalSite) -> None:
    url = _slow(site, "/2024/05/03/slower/", 20.0)
    patient = settings.model_copy(update={"archive_wait": 0.1})
    with TestClient(create_app(patient, db=db)) as before:
        accepted = before.post("/api/articles", json={"url": url})
        assert accepted.status_code == 202, accepted.text
        assert before.get(accepted.headers["Location"]).json()["status"] == "pending"
    # the server stopped (its lifespan ended) long before the page came: after the restart
    with TestClient(create_app(patient, db=other_db)) as after:
        status = after.get(accepted.headers["Location"]).json()
    assert status["status"] == "failed", status
    assert str(status["detail"]).startswith("interrupted by a restart")
    assert status["article"] is None and status["finished_at"] is not None


def test_a_pending_request_whose_process_died_is_reported_failed(
        settings: Settings, db: Database) -> None:
    """A killed process cannot mark its requests: its heartbeat stops, and past
    STALE_SECONDS the request is answered (and stored) as interrupted; one whose process
    still beats stays pending."""
    now = datetime.now(UTC)
    with db.write() as session:
        store.create(session=session, request_id="d" * 32, url="https://a.example/dead",
                     now=now - timedelta(seconds=service.STALE_SECONDS + 5))
        store.create(session=session, request_id="a" * 32, url="https://a.example/alive",
                     now=now - timedelta(seconds=service.STALE_SECONDS + 5))
        store.heartbeat(session=session, request_ids=["a" * 32], now=now)
    with TestClient(create_app(settings, db=db)) as client:
        dead = client.get(f"/api/archive-requests/{'d' * 32}").json()
        alive = client.get(f"/api/archive-requests/{'a' * 32}").json()
    assert dead["status"] == "failed" and dead["detail"] == service.INTERRUPTED, dead
    assert alive["status"] == "pending", alive
    with db.read() as session:
        stored = session.get(ArchiveRequestRow, "d" * 32)
    assert stored is not None and stored.status == "failed" and stored.finished_at is not None


def test_a_running_request_keeps_beating(settings: Settings, db: Database, site: LocalSite,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The process at work renews the heartbeat, so a slow archive is not mistaken for a
    dead one; and when it finishes, it is archived."""
    monkeypatch.setattr(service, "HEARTBEAT_SECONDS", 0.1)
    monkeypatch.setattr(service, "STALE_SECONDS", 0.6)
    url = _slow(site, "/2024/05/04/slowest/", 2.0)
    patient = settings.model_copy(update={"archive_wait": 0.1})
    with TestClient(create_app(patient, db=db)) as client:
        location = client.post("/api/articles", json={"url": url}).headers["Location"]
        time.sleep(1.2)  # twice STALE_SECONDS: without heartbeats it would read as dead
        assert client.get(location).json()["status"] == "pending"
        status = _poll(client, location)
    assert status["status"] == "archived", status


def test_finished_requests_are_forgotten_after_a_week(db: Database) -> None:
    now = datetime.now(UTC)
    old = now - timedelta(seconds=service.KEEP_SECONDS + 60)
    with db.write() as session:
        for request_id in ("o" * 32, "p" * 32, "n" * 32):
            store.create(session=session, request_id=request_id, url="https://a.example/x",
                         now=old if request_id != "n" * 32 else now)
        store.finish(session=session, request_id="o" * 32, now=old, article_id=None,
                     detail="gone")
        store.finish(session=session, request_id="n" * 32, now=now, article_id=None,
                     detail="gone")
        assert store.prune(session=session, created_before=now - timedelta(
            seconds=service.KEEP_SECONDS)) == 1
    with db.read() as session:
        assert store.get(session, "o" * 32) is None  # old and finished: forgotten
        assert store.get(session, "p" * 32) is not None  # still pending: kept
        assert store.get(session, "n" * 32) is not None  # recent: kept
