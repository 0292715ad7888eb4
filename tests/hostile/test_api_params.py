"""A battery of hostile parameters against every read of the API: zero 5xx, on SQLite and
PostgreSQL (which refuses NUL bytes in text, so they must be stopped before SQL)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from newsarchive.config import Settings
from newsarchive.storage.db import Database
from newsarchive.web.app import create_app
from tests.api.helpers import add_article

VALUES = ["", "\x00", "a\x00b", "%00", "'", '"', "\\", "' OR 1=1 --", "1; DROP TABLE article",
          "*", "NEAR(", "a NOT", "-", "--", "((((", "\u202e", "\ud7ff", "\U0001f600", "😀" * 50,
          "x" * 10_000, "-1", "0", "99999999999999999999", "1e309", "NaN", "null", "[]", "{}",
          "2024-13-45", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
          "\r\nX-Injected: 1", "<script>alert(1)</script>", "../../etc/passwd"]
PARAMS = ["q", "source", "author", "language", "since", "until", "updated_since", "sort",
          "limit", "cursor", "format"]
PATHS = ["/api/articles", "/api/sources", "/api/crawls", "/api/export"]
ID_PATHS = ["/api/articles/{}", "/api/articles/{}/versions", "/api/articles/{}/versions/{}",
            "/api/articles/{}/raw", "/api/sources/{}"]


def test_no_parameter_yields_a_server_error(settings: Settings, db: Database) -> None:
    for n in range(1, 4):
        add_article(db, n, f"River story {n}", f"The river rose {n} metres.")
    tried = 0
    with TestClient(create_app(settings, db=db), raise_server_exceptions=False) as client:
        for path in PATHS:
            for name in PARAMS:
                for value in VALUES:
                    response = client.get(f"{path}?{name}={quote(value, safe='')}")
                    tried += 1
                    assert response.status_code < 500, (path, name, value, response.text)
                    assert response.status_code in (200, 422), (path, name, value)
                    assert response.headers["content-type"].split(";")[0] != "text/html"
        for template in ID_PATHS:
            for value in VALUES:
                path = template.replace("{}", quote(value, safe="") or "x")
                response = client.get(path)
                tried += 1
                assert response.status_code < 500, (path, response.text)
    assert tried > 1500


def test_raw_capture_is_never_served_as_html(settings: Settings, db: Database) -> None:
    article_id = add_article(db, 1, "Hostile page", "<script>document.cookie</script>")
    with TestClient(create_app(settings, db=db)) as client:
        for params in ({}, {"download": "true"}, {"download": "false"}):
            raw = client.get(f"/api/articles/{article_id}/raw", params=params,
                             headers={"Accept": "text/html"})
            assert raw.status_code == 200
            assert "html" not in raw.headers["content-type"]
            assert raw.headers["x-content-type-options"] == "nosniff"
            assert "sandbox" in raw.headers["content-security-policy"]
