"""The HTML index in a real browser: Debian's Chromium driven by Playwright.

One server (uvicorn in a thread over a SQLite file filled from a local site) and one
browser serve the whole module. Screenshots of every page, light, dark and phone
width, go to test-artifacts/web/ for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from newsarchive.services.sources import add_source
from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from newsarchive.web.app import create_app
from tests.conftest import make_settings
from tests.pages import lorem_paragraphs, publisher_page, seed_page
from tests.sites import LocalSite
from tests.web.conftest import archive, store_article

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("NEWSARCHIVE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _payloads(site: str) -> str:
    """Every way we know for archived HTML to run code or call home; each one, if it ran,
    would set window.__pwned, change document.title or request /pwned-* from the site."""
    js = (f"window.__pwned=1;document.title='PWNED';"
          f"fetch('{site}/pwned-js').catch(function(){{}})")
    return f"""
<p>Hostile paragraph one stays readable.</p>
<script>{js}</script>
<img src="{site}/missing.png" onerror="{js}" alt="broken">
<a href="javascript:{js}" id="jslink">A javascript link</a>
<iframe src="{site}/pwned-iframe"></iframe>
<svg onload="{js}"><circle r="5"></circle></svg>
<div style="background:url({site}/pwned-css);width:expression(alert(1))">Styled text stays.</div>
<style>@import url({site}/pwned-style); body {{ background: url({site}/pwned-style-bg) }}</style>
<link rel="stylesheet" href="{site}/pwned-link">
<object data="{site}/pwned-object"></object><embed src="{site}/pwned-embed">
<meta http-equiv="refresh" content="0;url={site}/pwned-refresh">
<base href="{site}/pwned-base/">
<form action="{site}/pwned-form"><input name="x" autofocus onfocus="{js}"></form>
<details open ontoggle="{js}"><summary>Details text</summary></details>
<video><source onerror="{js}"></video>
<p>Hostile paragraph two stays readable, <a href="{site}/ok-link">with a fine link</a>.</p>
"""


@dataclass
class Server:
    base: str
    site: LocalSite
    db: Database
    ids: dict[str, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'newsarchive.db'}"
    settings = make_settings(url)
    upgrade(url)
    db = Database(url)
    site = LocalSite().start()
    ids: dict[str, int] = {}
    source = add_source(db=db, url=site.url("/news/"), name="Example Times")
    ids["source"] = source.id or 0
    for i, (title, day) in enumerate([("Harbor storm closes the old bridge", 1),
                                      ("Council approves the school budget", 2),
                                      ("Farmers expect an early harvest", 3)]):
        page = publisher_page(title, lorem_paragraphs(i + 10), author=f"Reporter {i}",
                              published=f"2024-05-0{day}T08:00:00+00:00")
        ids[f"a{i}"] = archive(db, settings, site.add(f"/2024/05/0{day}/story-{i}", page),
                               source_id=source.id)
    ids["seed"] = archive(db, settings, site.add("/2022/03/01/convoy", seed_page()))
    hostile_page = publisher_page("Hostile page", [], author="Mallory",
                                  published="2021-01-01T08:00:00+00:00").replace(
        '<div class="article-body"></div>', '<div class="article-body">' + "".join(
            f"<p>{p}</p>" for p in lorem_paragraphs(40, 3)) + _payloads(site.base) + "".join(
            f"<p>{p}</p>" for p in lorem_paragraphs(41, 3)) + "</div>")
    ids["hostile_fetched"] = archive(db, settings, site.add("/2024/05/04/hostile", hostile_page))
    ids["hostile"] = store_article(
        db, site.url("/2024/05/05/hostile-record"),
        title="<img src=x onerror=\"window.__pwned='t'\"> Breaking <script>document.title="
              "'PWNED'</script> news",
        authors=["<b onmouseover=alert(1)>Eve</b>"], html=_payloads(site.base),
        text="Hostile paragraph one stays readable.\n\nStyled text stays.",
        description="<script>alert(1)</script> A description", site_name="Evil <i>Site</i>",
        top_image=f"javascript:fetch('{site.base}/pwned-thumb')",
        published_at=datetime(2021, 1, 2, tzinfo=UTC))
    app = create_app(settings, db=db)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                       lifespan="on"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    try:
        yield Server(base=f"http://127.0.0.1:{port}", site=site, db=db, ids=ids)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        site.stop()
        db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM} (apt-get install -y chromium)")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.console_errors = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    try:
        yield tab
    finally:
        context.close()


def shoot(page: Any, name: str) -> None:
    """Screenshots in light, dark and at phone width (full page)."""
    size = page.viewport_size
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="light")
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone-dark.png"), full_page=True)
    page.set_viewport_size(size)
    page.emulate_media(color_scheme="light")


def test_home_lists_archived_articles(server: Server, page: Any) -> None:
    page.goto(server.base + "/")
    titles = page.locator("ol.articles h3 a").all_inner_texts()
    assert titles[:3] == ["Farmers expect an early harvest", "Council approves the school budget",
                          "Harbor storm closes the old bridge"]
    assert page.get_by_role("searchbox", name="Search articles").is_visible()
    assert page.locator("main#main").count() == 1 and page.locator("nav[aria-label=Main]").count()
    # the skip link is the first thing a keyboard reaches, and it is visible when focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator("a.skip").bounding_box()["y"] >= 0  # type: ignore[index]
    shoot(page, "home")
    assert page.errors == [] and page.console_errors == []


def test_search_finds_and_highlights(server: Server, page: Any) -> None:
    page.goto(server.base + "/")
    page.get_by_label("Search articles").fill("harvest")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=harvest"))
    results = page.locator("ol.articles li.card")
    assert "Farmers expect an early harvest" in results.first.inner_text()
    marks = page.locator("ol.articles mark").all_inner_texts()
    assert marks and all(m.lower() == "harvest" for m in marks)
    shoot(page, "search")
    page.goto(server.base + "/?since=not-a-date")
    assert "That search cannot run." in page.locator("[role=alert]").inner_text()
    assert page.errors == []


def test_reader_view_shows_the_body(server: Server, page: Any) -> None:
    page.goto(server.base + f"/articles/{server.ids['seed']}")
    assert page.locator("h1#headline").inner_text().startswith("Russian convoy stalls")
    body = page.locator("article .body")
    assert "Satellite images captured by an American firm" in body.inner_text()
    assert "Originally from" in page.locator(".syndication").inner_text()
    width = page.evaluate("getComputedStyle(document.querySelector('.reader')).maxWidth")
    assert width.endswith("px") and 500 < float(width[:-2]) < 900  # a reading measure
    shoot(page, "article")
    assert page.errors == [] and page.console_errors == []


def test_hostile_article_runs_nothing(server: Server, page: Any) -> None:
    for key in ("hostile", "hostile_fetched"):
        page.goto(server.base + f"/articles/{server.ids[key]}")
        page.wait_for_load_state("networkidle")
        javascript_link = page.get_by_text("A javascript link")
        if javascript_link.count():  # the text stays; clicking it must do nothing
            javascript_link.first.click()
        time.sleep(0.3)
        assert page.evaluate("window.__pwned") is None
        assert page.title() != "PWNED" and page.title().endswith(" · newsarchive")
        text = page.locator("article .body").inner_text()
        assert "Hostile paragraph one stays readable." in text
        assert "Styled text stays." in text or key == "hostile_fetched"
        assert page.errors == [], page.errors
        assert not [e for e in page.console_errors if "Content Security Policy" in e], \
            "something survived the sanitiser (the CSP caught it)"
        assert page.locator("article script, article iframe, article svg, article object, "
                            "article style, article [onerror], article [onload]").count() == 0
        shoot(page, f"{key}")
    headline = page.locator("h1#headline")
    page.goto(server.base + f"/articles/{server.ids['hostile']}")
    assert "Breaking" in headline.inner_text() and "<script>" in headline.inner_text()
    assert page.title().startswith("<img src=x")  # the markup is shown as text
    page.goto(server.base + "/")  # the list shows the same record, and its bad thumbnail
    assert page.evaluate("window.__pwned") is None
    hits = [r.path for r in server.site.requests if r.path.startswith("/pwned")]
    assert hits == [], hits


def test_add_a_source_from_the_form(server: Server, page: Any) -> None:
    page.goto(server.base + "/sources")
    page.get_by_label("Address").fill("https://feeds.example.org/world.xml")
    page.get_by_label("Name").fill("World feed")
    page.get_by_label("Kind").select_option("feed")
    page.get_by_label("Every").fill("45m")
    page.get_by_role("button", name="Add source").click()
    page.wait_for_load_state()
    assert "done=added" in page.url, page.locator("main").inner_text()
    assert "Source added." in page.locator("[role=status]").inner_text()
    row = page.locator("table.sources tr", has_text="World feed")
    assert "every 45 min" in row.inner_text() and "feed" in row.inner_text()
    shoot(page, "sources")
    page.get_by_label("Address").fill("ftp://files.example.org/feed")
    page.get_by_role("button", name="Add source").click()
    assert page.locator("#url-error").is_visible()
    assert page.get_by_label("Address").input_value() == "ftp://files.example.org/feed"
    # a POST without the form's token is refused, cookies or not
    forged = page.request.post(server.base + "/sources",
                               form={"url": "https://forged.example/", "name": "forged"})
    assert forged.status == 403
    page.goto(server.base + "/sources")
    assert "forged" not in page.content()
    page.goto(server.base + f"/sources/{server.ids['source']}/edit")
    shoot(page, "source-edit")
    assert page.errors == []  # (the console has the 422 and 403 this test asked for)


def test_crawls_diff_and_errors_render(server: Server, page: Any) -> None:
    page.goto(server.base + "/crawls")
    assert page.locator("h1").inner_text() == "Crawls"
    shoot(page, "crawls")
    page.goto(server.base + f"/articles/{server.ids['a0']}/diff")
    assert "Changes from v1 to v1" in page.locator("h1").inner_text()
    shoot(page, "diff")
    response = page.goto(server.base + "/articles/424242")
    assert response.status == 404 and "Not found" in page.locator("h1").inner_text()
    shoot(page, "not-found")
    assert page.errors == []
