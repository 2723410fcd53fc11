"""The app itself: configuration, start-up, OpenAPI and docs, health, the root redirect, error handling."""
from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.api.app import create_app
from bot.settings import Settings
from bot.records.db import session_factory
from bot.records.models import ApiToken, Person
from tests.api.conftest import ADMIN_TOKEN

PATHS = {
    "/health": {"get"},
    "/api/qualifications": {"get"},
    "/api/qualifications/{qualification_id}": {"get"},
    "/api/qualifications/{qualification_id}/units": {"get"},
    "/api/units/{ref}": {"get"},
    "/api/units/{ref}/criteria": {"get"},
    "/api/search": {"get"},
    "/api/catalogue/imports": {"get", "post"},  # #17.4: admins import qualifications
    "/api/learners/{learner_id}/progress": {"get"},
    "/api/discussions": {"get", "post"},
    "/api/discussions/{discussion_id}": {"get"},
    "/api/discussions/{discussion_id}/export": {"get"},
    "/api/discussions/{discussion_id}/answers": {"post"},
    "/api/discussions/{discussion_id}/decisions": {"post"},
    "/api/discussions/{discussion_id}/signoffs": {"post"},
    "/api/discussions/{discussion_id}/amendments": {"post"},
    "/api/me": {"get"},
    "/api/people": {"get", "post"},
    "/api/people/{person_id}": {"get", "patch"},  # #18.1: find, list and rename people
    "/api/people/{person_id}/roles": {"post"},
    "/api/people/{person_id}/roles/{role}": {"delete"},
    "/api/people/{assessor_id}/learners": {"get"},  # #18.1: an assessor's learners
    "/api/people/{assessor_id}/learners/{learner_id}": {"put", "delete"},
    "/api/people/{person_id}/tokens": {"get", "post"},
    "/api/tokens/{token_id}": {"delete"},  # #14.7: revoke
    "/api/me/token": {"delete"},  # #14.7: sign out
    "/api/people/{person_id}/identities": {"post"},
    "/api/enrolments": {"post"},
    # GDPR routes (bot/api/routers/privacy.py, from the production work): here so the list stays complete
    "/api/people/{person_id}/personal-data": {"get"},
    "/api/people/{person_id}/erasure": {"post"},
}


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json").json()
    api_paths = {p: set(ops) for p, ops in schema["paths"].items() if p.startswith(("/api", "/health"))}
    assert api_paths == PATHS
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "bearer" in str(schema["paths"]["/api/discussions"]["get"]["security"]).lower()
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_docs_pages_load_their_files_from_the_app(client):
    """No CDN: an offline or intranet install still has /docs and /redoc (issue 18; Chromium: tests/e2e/test_docs.py)."""
    import re

    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        files = re.findall(r"""(?:src|href)=["']([^"']+)["']|url: ?["']([^"']+)["']""", html)
        urls = [u for pair in files for u in pair if u]
        assert urls and all(u.startswith("/") for u in urls), (page, urls)
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_root_redirects_to_chat(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/chat"


def test_health(client, db_url):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["revision"]
    assert body["database"]["backend"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
    assert body["catalogue"] == {"ok": True, "qualifications": 4, "units": body["catalogue"]["units"]}
    assert body["catalogue"]["units"] > 90


def count(url: str, model) -> int:
    with session_factory(url)() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_admin_bootstrap_is_idempotent_and_hashed(db_url):
    for _ in range(2):  # a second start with the same token changes nothing
        with TestClient(create_app(database_url=db_url, admin_token=ADMIN_TOKEN)) as c:
            me = c.get("/api/me", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
            assert me["role"] == "admin" and me["display_name"] == "Administrator"
    assert count(db_url, Person) == 1 and count(db_url, ApiToken) == 1
    with session_factory(db_url)() as s:
        assert ADMIN_TOKEN not in s.scalar(select(ApiToken.token_hash))
    with TestClient(create_app(database_url=db_url, admin_token="rotated-token")) as c:  # a new token: same admin
        assert c.get("/api/me", headers={"Authorization": "Bearer rotated-token"}).json()["id"] == me["id"]
    assert count(db_url, Person) == 1 and count(db_url, ApiToken) == 2


def test_without_admin_token_nobody_is_created(db_url):
    with TestClient(create_app(database_url=db_url, admin_token=None)) as c:
        assert c.get("/health").status_code == 200
    assert count(db_url, Person) == 0


def test_settings_from_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("API_ADMIN_TOKEN", "env-token")
    monkeypatch.setenv("RASA_URL", "http://rasa.example:5005")
    settings = Settings()
    assert (settings.database_url, settings.admin_token, settings.rasa_url) == (url, "env-token", "http://rasa.example:5005")
    with TestClient(create_app()) as c:
        assert c.app.state.settings.rasa_url == "http://rasa.example:5005"
        assert c.get("/api/me", headers={"Authorization": "Bearer env-token"}).status_code == 200
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("RASA_URL")
    default = Settings()
    assert default.database_url.endswith("/var/assistant.db") and default.rasa_url == "http://localhost:5005"


def test_module_level_app():
    from bot.api.app import app

    assert set(app.openapi()["paths"]) >= set(PATHS)


def test_database_down_is_503_not_500():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    with TestClient(create_app(database_url=url, admin_token=ADMIN_TOKEN)) as c:  # starts anyway
        health = c.get("/health")
        assert health.status_code == 503 and health.json()["database"]["ok"] is False
        assert health.json()["status"] == "degraded"
        response = c.get("/api/me", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert response.status_code == 503 and "database is not available" in response.json()["detail"]


def test_broken_catalogue_is_503(client, monkeypatch):
    from bot.records import catalogue as catalogues
    from catalogue.errors import SourceError

    def broken(where=None):
        raise SourceError("habc_l3_diploma.txt", 12, "truncated unit table")

    monkeypatch.setattr(catalogues, "current", broken)
    health = client.get("/health")
    assert health.status_code == 503 and "habc_l3_diploma.txt" in health.json()["catalogue"]["error"]
    response = client.get("/api/qualifications", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 503 and "catalogue is not available" in response.json()["detail"]


def test_a_real_bug_is_logged_without_the_learners_words(db_url, caplog):
    app = create_app(database_url=db_url)

    @app.post("/boom")
    def boom(body: dict):
        raise RuntimeError(f"failed on {body['answer']}")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, logger="bot.api"):
        response = c.post("/boom", json={"answer": "MY PRIVATE ANSWER"})
    assert response.status_code == 500
    assert "reference" in response.json()["detail"] and "MY PRIVATE ANSWER" not in response.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled RuntimeError on POST /boom" in logged and "MY PRIVATE ANSWER" not in logged
