"""Every response carries the security headers; the docs pages get hashes, not unsafe-inline."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from tests.pages import lorem_paragraphs, publisher_page
from tests.sites import LocalSite
from tests.web.conftest import archive

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in csp.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/sources", "/crawls", "/feed.xml", "/no-such-page",
                                  "/articles/999", "/static/style.css", "/healthz",
                                  "/api/articles", "/?since=nonsense"])
def test_strict_headers_everywhere(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    csp = _directives(response.headers["content-security-policy"])
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"  # no inline script, no eval
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_raw_capture_keeps_its_sandbox(client: TestClient, db, settings,  # type: ignore[no-untyped-def]
                                       site: LocalSite) -> None:
    url = site.add("/2024/05/01/raw", publisher_page("Raw capture story", lorem_paragraphs(3)))
    article_id = archive(db, settings, url)
    response = client.get(f"/api/articles/{article_id}/raw")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["content-security-policy"].count("content-security-policy") == 0
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_docs_page_allows_exactly_its_own_inline_script(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    csp = _directives(response.headers["content-security-policy"])
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert inline, "FastAPI's docs page starts Swagger UI with an inline script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert "unsafe-inline" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
