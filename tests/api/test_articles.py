"""GET /api/articles and the article's own endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _ids(client: TestClient, **params: object) -> list[int]:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_list_is_newest_first_summaries(client: TestClient) -> None:
    body = client.get("/api/articles").json()
    assert set(body) == {"items", "next_cursor"} and body["next_cursor"] is None
    titles = [i["title"] for i in body["items"]]
    assert titles[0] == "No capture" and titles[-1] == "River bridge reopens"
    assert all("text" not in i and "html" not in i for i in body["items"])
    assert all(i["snippet"] is None for i in body["items"])


def test_search_with_snippets_and_filters(client: TestClient) -> None:
    body = client.get("/api/articles", params={"q": "river"}).json()
    assert [i["title"] for i in body["items"]] == ["Storm hits harbor", "River bridge reopens"]
    assert "<mark>river</mark>" in body["items"][0]["snippet"]
    assert _ids(client, q="river", sort="relevance")  # ranks
    assert len(_ids(client, language="de")) == 1
    assert len(_ids(client, author="JANE DOE")) == 1
    festival = client.get("/api/articles", params={"q": "festival"}).json()["items"][0]
    assert "<script>" in festival["title"]  # data is data; the snippet is the escaped one
    assert "<script" not in festival["snippet"] and "&amp;" in festival["snippet"]


def test_cursor_walks_every_page_once(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/articles", params=params).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5


def test_bad_parameters_are_422_naming_the_field(client: TestClient) -> None:
    cases = {"limit=0": "limit", "limit=101": "limit", "limit=x": "limit", "sort=title": "sort",
             "sort=relevance": "sort", "cursor=nonsense": "cursor", "since=tomorrow": "since",
             "source=-1": "source", "source=99999999999999": "source", "q=a%00b": "q",
             "author=%00": "author", "until=9999-12-31T23:59:59-05:00": "until"}
    for query, field in cases.items():
        response = client.get(f"/api/articles?{query}")
        assert response.status_code == 422, (query, response.text)
        locs = [d["loc"] for d in response.json()["detail"]]
        assert ["query", field] in locs, (query, locs)


def test_detail_etag_and_304(client: TestClient) -> None:
    first_id = _ids(client, q="harbor")[0]
    response = client.get(f"/api/articles/{first_id}")
    assert response.status_code == 200
    record = response.json()
    assert record["version"] == 2 and "river rose fast" in record["text"]
    etag = response.headers["etag"]
    again = client.get(f"/api/articles/{first_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get(f"/api/articles/{first_id}", headers={"If-None-Match": 'W/"other"'})
    assert other.status_code == 200
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/articles/0").status_code == 422
    assert client.get("/api/articles/99999999999999").status_code == 422


def test_versions_oldest_first_and_one_version(client: TestClient) -> None:
    article_id = _ids(client, q="harbor")[0]
    versions = client.get(f"/api/articles/{article_id}/versions").json()
    assert [v["version"] for v in versions["items"]] == [1, 2]
    page = client.get(f"/api/articles/{article_id}/versions", params={"limit": 1}).json()
    assert [v["version"] for v in page["items"]] == [1] and page["next_cursor"]
    rest = client.get(f"/api/articles/{article_id}/versions",
                      params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [v["version"] for v in rest["items"]] == [2] and rest["next_cursor"] is None
    one = client.get(f"/api/articles/{article_id}/versions/1").json()
    assert one["text"] == "A storm hit the harbor and the river rose." and "<p>" in one["html"]
    assert client.get(f"/api/articles/{article_id}/versions/3").status_code == 404
    assert client.get("/api/articles/999999/versions").status_code == 404


def test_raw_is_never_html(client: TestClient) -> None:
    article_id = _ids(client, q="festival")[0]
    raw = client.get(f"/api/articles/{article_id}/raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "text/plain; charset=utf-8"
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in raw.headers["content-security-policy"]
    assert b"<script>alert(1)</script>" in raw.content  # unmodified, but inert
    download = client.get(f"/api/articles/{article_id}/raw", params={"download": "true"})
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"]
    no_capture = _ids(client, q="capture")[0]
    assert client.get(f"/api/articles/{no_capture}/raw").status_code == 404
