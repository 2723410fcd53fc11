"""The web chat router: page, assets and the same-origin proxy to Rasa's REST channel.

Runs in the application environment (FastAPI; `make unit`); a fake Rasa REST webhook records what it is sent.
"""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

pytest.importorskip("fastapi", reason="the web chat runs in the application environment")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from bot.api.web import router  # noqa: E402
from tests.fakes.server import FakeServer, Request  # noqa: E402


class FakeRasa(FakeServer):
    def __init__(self) -> None:
        self.answers: list[dict] = [
            {"recipient_id": "x", "text": "Hello *there*", "buttons": [{"title": "Help", "payload": "/help"}]},
            {"recipient_id": "x", "image": "https://example.org/x.png"},
            {"recipient_id": "x", "custom": {"ignored": True}},
        ]
        super().__init__()

    def handle(self, request: Request):
        if request.path != "/webhooks/rest/webhook":
            return 404, {}
        return 200, self.answers


@pytest.fixture(scope="module")
def rasa():
    fake = FakeRasa()
    yield fake
    fake.stop()


@pytest.fixture
def client(rasa):
    app = FastAPI()
    app.state.settings = SimpleNamespace(rasa_url=rasa.url + "/")
    app.include_router(router)
    return TestClient(app)


def sender() -> str:
    return f"web:{uuid.uuid4()}"


def test_page_is_served_with_a_strict_content_security_policy(client):
    page = client.get("/chat")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert '<script src="/chat/static/chat.js" defer></script>' in html and "<script>" not in html
    assert 'role="log"' in html and 'aria-live="polite"' in html and '<label for="message"' in html
    assert 'name="viewport"' in html
    for name, kind in (("chat.js", "text/javascript"), ("chat.css", "text/css"), ("icon.svg", "image/svg+xml")):
        asset = client.get(f"/chat/static/{name}")
        assert asset.status_code == 200 and asset.headers["content-type"].startswith(kind)
    assert client.get("/chat/static/..%2F__init__.py").status_code == 404
    assert client.get("/chat/static/secret.txt").status_code == 404


def test_message_is_passed_to_rasa_as_the_web_sender_and_answers_come_back(client, rasa):
    me = sender()
    reply = client.post("/chat/api/message", json={"sender": me, "message": "  hello  "})
    assert reply.status_code == 200
    assert reply.json() == {"messages": [
        {"text": "Hello *there*", "buttons": [{"title": "Help", "payload": "/help"}], "image": None},
        {"text": "", "buttons": [], "image": "https://example.org/x.png"},
    ]}
    sent = rasa.requests[-1].json()
    assert sent == {"sender": me, "message": "hello", "metadata": {"channel": "web"}}


@pytest.mark.parametrize("bad", ["slack:T0CSTEAM1:U0LEARNER", "teams:t:u", "web:not-a-uuid", "", "web:" + "a" * 36])
def test_only_web_sender_ids_are_accepted(client, rasa, bad):
    before = len(rasa.requests)
    assert client.post("/chat/api/message", json={"sender": bad, "message": "hi"}).status_code == 422
    assert len(rasa.requests) == before


def test_empty_or_oversized_messages_are_refused(client):
    assert client.post("/chat/api/message", json={"sender": sender(), "message": "   "}).status_code == 422
    assert client.post("/chat/api/message", json={"sender": sender(), "message": "x" * 2001}).status_code == 422


def test_rasa_down_gives_a_502_with_a_readable_reason():
    app = FastAPI()
    gone = FakeRasa()
    gone.stop()
    app.state.settings = SimpleNamespace(rasa_url=gone.url)
    app.include_router(router)
    reply = TestClient(app).post("/chat/api/message", json={"sender": sender(), "message": "hi"})
    assert reply.status_code == 502 and "not available" in reply.json()["detail"]
