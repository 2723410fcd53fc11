"""One request-body limit (#14.12): a body over MAX_REQUEST_BYTES is refused with 413 and a sentence
saying what to do, before any route runs; the catalogue import keeps its own document limit."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.api.app import create_app
from bot.limits import DEFAULT_MAX_REQUEST_BYTES
from bot.records.db import session_factory
from bot.records.models import Answer
from bot.settings import Settings
from tests.api.conftest import build_world

LIMIT = 4096


@pytest.fixture
def small(db_url):
    with TestClient(create_app(database_url=db_url, admin_token="test-admin-token", max_request_bytes=LIMIT)) as c:
        yield build_world(c, db_url)


def answers(url: str) -> int:
    with session_factory(url)() as s:
        return s.scalar(select(func.count()).select_from(Answer))


def test_default_is_one_mebibyte(monkeypatch):
    monkeypatch.delenv("MAX_REQUEST_BYTES", raising=False)
    assert Settings().max_request_bytes == DEFAULT_MAX_REQUEST_BYTES == 1024 * 1024
    monkeypatch.setenv("MAX_REQUEST_BYTES", "2048")
    assert Settings().max_request_bytes == 2048


def test_over_the_limit_is_413_with_a_sentence_and_nothing_recorded(small):
    before = answers(small.url)
    path = f"/api/discussions/{small.d_open}/answers"
    response = small.call("assessor", "POST", path, json={"criterion_ref": "1.2", "text": "x" * (2 * LIMIT)})
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert detail.startswith("This request is 8 kB; the assistant accepts at most 4 kB in one request.")
    assert "Send a shorter message" in detail
    assert answers(small.url) == before
    ok = small.call("assessor", "POST", path, json={"criterion_ref": "1.2", "text": "x" * (LIMIT // 2)})
    assert ok.status_code == 201, ok.text


def test_a_streamed_body_without_its_length_is_cut_off_at_the_limit(small):
    def chunks():
        for _ in range(4):
            yield b'{"criterion_ref": "1.2", "text": "' + b"y" * 2000

    response = small.client.post(f"/api/discussions/{small.d_open}/answers", content=chunks(),
                                 headers={**small.headers("assessor"), "Content-Type": "application/json"})
    assert response.status_code == 413 and "at most 4 kB" in response.json()["detail"]


def test_anonymous_too_large_is_refused_before_authentication(small):
    response = small.client.post("/api/people", content=b"z" * (LIMIT + 1), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_catalogue_import_keeps_its_own_larger_limit(small):
    body = b" " * (LIMIT * 2) + b"{}"  # over the request limit, far under the document limit
    response = small.call("admin", "POST", "/api/catalogue/imports", content=body,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 422  # read and judged as a document, not refused for its size
