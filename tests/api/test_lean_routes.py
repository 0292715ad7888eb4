"""The lean list and article routes (web/api/lean.py) answer exactly what FastAPI's own
handlers answer: the same statuses, 422 shapes, headers and bytes, for odd inputs too,
and the OpenAPI document is the same."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.storage.db import Database
from newsarchive.web.api import lean
from newsarchive.web.api.params import ListParams
from newsarchive.web.app import create_app

LISTS = [
    "", "limit=2", "limit=0", "limit=101", "limit=abc", "limit=", "limit=5&limit=2",
    "limit=2.5", "sort=bogus", "sort=relevance", "sort=relevance&q=river", "sort=published",
    "sort=-fetched&language=de", "q=", "q=river", "q=%22river%20rose%22%20-storm",
    "q=" + "x" * 1001, "q=a%00b", "source=0", "source=x", "source=1", "source=99999999999",
    "language=", "language=" + "x" * 17, "author=Jane%20Doe", "author=" + "a" * 201,
    "since=yesterday", "since=2024-05-01", "until=2024-05-01T08:00:00Z",
    "updated_since=2024-01-01", "cursor=bad", "cursor=", "cursor=" + "A" * 201, "extra=1",
    "limit=1&sort=published&since=2024-05-01&language=en&source=1",
]
ARTICLES = ["1", "3", "0", "-1", "abc", "1.5", "99999999999", "2147483647", "%20", "1e3"]


def _answers(app_settings: Settings, db: Database) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    with TestClient(create_app(app_settings, db=db)) as client:
        for query in LISTS:
            r = client.get(f"/api/articles?{query}")
            out.append((query, r.status_code, r.content, r.headers.get("content-type")))
        first = client.get("/api/articles?limit=1").json()["next_cursor"]
        r = client.get(f"/api/articles?limit=1&cursor={first}")
        out.append(("cursor", r.status_code, r.content))
        for article_id in ARTICLES:
            r = client.get(f"/api/articles/{article_id}")
            out.append((article_id, r.status_code, r.content, r.headers.get("etag")))
        etag = client.get("/api/articles/1").headers["etag"]
        r = client.get("/api/articles/1", headers={"If-None-Match": etag})
        out.append(("304", r.status_code, r.content, r.headers.get("etag")))
        out.append(("openapi", client.get("/openapi.json").content))
    return out


def test_lean_routes_answer_as_fastapi_does(settings: Settings, filled: Database,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from newsarchive.web.api import articles

    calls: list[str] = []

    def counted(model: type[ListParams], request: Request) -> ListParams:
        calls.append("query")
        return lean.query_model(model, request)

    monkeypatch.setattr(articles, "query_model", counted)
    leaned = _answers(settings, filled)
    assert len(calls) == len(LISTS) + 2  # the lean handler served every list request
    monkeypatch.setattr(lean, "ENABLED", False)
    calls.clear()
    standard = _answers(settings, filled)
    assert calls == []  # FastAPI's own handler served them
    assert len(leaned) == len(standard)
    for ours, theirs in zip(leaned, standard, strict=True):
        assert ours == theirs
    statuses = {answer[1] for answer in leaned}
    assert {200, 304, 404, 422} <= statuses  # the inputs did reach every branch
