"""The API's own documentation pages, offline: /docs (Swagger UI) and /redoc (ReDoc) in Chromium with
every request to another host refused, as on an intranet with no internet access (issue 18).

Only the API is needed, so it runs alone here (uvicorn on a free port, its own SQLite database).
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import pytest
import uvicorn

from bot.api.app import create_app
from bot.launch.service import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("docs") / "api.db"
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(database_url=f"sqlite:///{db}"), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def offline_page(browser, url: str):
    """A page that may load only from the API's own host; returns (page, hosts it tried to reach elsewhere)."""
    page = browser.new_page()
    elsewhere: list[str] = []
    own = urlsplit(url).netloc

    def only_here(route):
        host = urlsplit(route.request.url).netloc
        if host == own or route.request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()
    page.route("**/*", only_here)
    return page, elsewhere


def spec_of(api_url: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{api_url}/openapi.json", timeout=10) as r:
        return json.load(r)


def operations(api_url: str) -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, item in spec_of(api_url)["paths"].items() for method in item
            if method in ("get", "post", "put", "patch", "delete")]


def test_swagger_ui_renders_every_operation_offline(browser, api_url):
    page, elsewhere = offline_page(browser, api_url)
    page.goto(f"{api_url}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    shown = {(b.locator(".opblock-summary-method").inner_text().strip(),
              b.locator(".opblock-summary-path").get_attribute("data-path"))
             for b in page.locator(".opblock").all()}
    expected = set(operations(api_url))
    assert len(expected) > 10 and shown == expected
    assert "GET" in {m for m, _ in shown} and ("GET", "/health") in shown
    assert elsewhere == []  # nothing was fetched from a CDN
    page.close()


def test_redoc_renders_the_operations_offline(browser, api_url):
    page, elsewhere = offline_page(browser, api_url)
    page.goto(f"{api_url}/redoc")
    page.wait_for_selector("[data-section-id^='operation/']", state="attached", timeout=30_000)
    shown = {e.get_attribute("data-section-id") for e in page.locator("[data-section-id^='operation/']").all()}
    ids = {f"operation/{op['operationId']}" for item in spec_of(api_url)["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op}
    assert len(ids) == len(operations(api_url)) and shown == ids
    assert page.get_by_text("Customer Service assessment assistant API").first.is_visible()
    # ReDoc's bundle links one decorative image (its "API docs by Redocly" badge) to its CDN; refused
    # here, and the page works without it. No script, style or font comes from elsewhere.
    assert set(elsewhere) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    page.close()
