"""/openapi.json describes the whole API: every response, its error shape and examples."""

from __future__ import annotations

from fastapi.testclient import TestClient

from newsarchive.web.app import create_app
from tests.conftest import make_settings

PATHS = {"/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/versions",
         "/api/articles/{article_id}/versions/{number}", "/api/articles/{article_id}/raw",
         "/api/sources", "/api/sources/{source_id}", "/api/sources/{source_id}/crawl",
         "/api/crawls", "/api/stats", "/api/export"}


def test_openapi_is_complete(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        spec = client.get("/openapi.json").json()
    assert PATHS <= set(spec["paths"])
    error = "#/components/schemas/ErrorDetail"
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            responses = op["responses"]
            where = f"{method.upper()} {path}"
            for code in ("422", "503", "413"):
                schema = responses[code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": error}, (where, code)
            success = [c for c in responses if c.startswith("2")]
            assert success, where
            for code in success:
                if code == "204":
                    continue
                content = responses[code]["content"]
                assert all("schema" in media or "example" in media for media in content.values())
            if method in ("post", "patch", "delete"):
                assert {"401", "403"} <= set(responses), where
            for code, response in responses.items():
                if code.startswith(("4", "5")) and code != "422":
                    assert "example" in response["content"]["application/json"] or code == "409"
    listed = spec["paths"]["/api/articles"]["get"]
    assert {p["name"] for p in listed["parameters"]} == {
        "q", "source", "author", "language", "since", "until", "updated_since", "sort", "limit",
        "cursor"}
    example = listed["responses"]["200"]["content"]["application/json"]["example"]
    assert "<mark>" in example["items"][0]["snippet"]
