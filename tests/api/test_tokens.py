"""Token lifetime through the API (#14.7): expiry, the revoke endpoints, API_ADMIN_TOKEN rotation."""
from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.api.app import create_app
from bot.records.db import session_factory
from bot.records.models import ApiToken, utcnow
from tests.api.conftest import ADMIN_TOKEN


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_issued_token_says_when_it_expires_and_is_listed(world):
    response = world.call("admin", "POST", f"/api/people/{world.ids['learner']}/tokens", json={"days": 30})
    assert response.status_code == 201, response.text
    issued = response.json()
    expires = datetime.fromisoformat(issued["expires_at"])
    assert timedelta(days=29, hours=23) < expires - utcnow() <= timedelta(days=30)
    assert world.client.get("/api/me", headers=bearer(issued["token"])).json()["id"] == world.ids["learner"]
    listed = world.call("admin", "GET", f"/api/people/{world.ids['learner']}/tokens").json()
    assert issued["id"] in [t["id"] for t in listed] and all("token" not in t for t in listed)
    for role in ("anonymous", "learner", "assessor"):
        assert world.call(role, "GET", f"/api/people/{world.ids['learner']}/tokens").status_code in (401, 403)
    assert world.call("admin", "POST", f"/api/people/{world.ids['learner']}/tokens", json={"days": 0}).status_code == 422


def test_expired_token_is_refused_with_the_date(world):
    with world.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.person_id == world.ids["learner"]))
        row.expires_at = utcnow() - timedelta(minutes=1)
    response = world.call("learner", "GET", "/api/me")
    assert response.status_code == 401 and "expired on" in response.json()["detail"]


def test_revoke_endpoint(world):
    learner_tokens = world.call("admin", "GET", f"/api/people/{world.ids['learner']}/tokens").json()
    token_id = learner_tokens[0]["id"]
    assert world.call("other_learner", "DELETE", f"/api/tokens/{token_id}").status_code == 403
    assert world.call("assessor", "DELETE", f"/api/tokens/{token_id}").status_code == 403
    assert world.call("learner", "GET", "/api/me").status_code == 200
    response = world.call("admin", "DELETE", f"/api/tokens/{token_id}")
    assert response.status_code == 200 and response.json()["revoked_at"]
    refused = world.call("learner", "GET", "/api/me")
    assert refused.status_code == 401 and "revoked on" in refused.json()["detail"]
    assert world.call("admin", "DELETE", "/api/tokens/99999").status_code == 404


def test_sign_out_revokes_the_token_sent(world):
    assert world.call("assessor", "DELETE", "/api/me/token").status_code == 200
    assert world.call("assessor", "GET", "/api/me").status_code == 401
    assert world.call("other_assessor", "GET", "/api/me").status_code == 200


def test_rotating_the_admin_token_revokes_the_old_one(db_url):
    with TestClient(create_app(database_url=db_url, admin_token=ADMIN_TOKEN)) as c:
        admin_id = c.get("/api/me", headers=bearer(ADMIN_TOKEN)).json()["id"]
    with TestClient(create_app(database_url=db_url, admin_token="rotated-token")) as c:
        assert c.get("/api/me", headers=bearer("rotated-token")).json()["id"] == admin_id
        old = c.get("/api/me", headers=bearer(ADMIN_TOKEN))
        assert old.status_code == 401 and "revoked" in old.json()["detail"]
    with TestClient(create_app(database_url=db_url, admin_token=ADMIN_TOKEN)) as c:  # back to the old value
        assert c.get("/api/me", headers=bearer(ADMIN_TOKEN)).status_code == 401  # stays revoked
        assert c.get("/api/me", headers=bearer("rotated-token")).status_code == 200
    with session_factory(db_url)() as s:
        rows = s.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    assert [(r.label, r.revoked_at is not None) for r in rows] == [("API_ADMIN_TOKEN", True), ("API_ADMIN_TOKEN", False)]  # (label, revoked): old revoked, new valid


def test_rotation_leaves_tokens_the_admin_issued_alone(world):
    issued = world.call("admin", "POST", f"/api/people/{world.ids['admin']}/tokens").json()["token"]
    with TestClient(create_app(database_url=world.url, admin_token="rotated-token")):
        pass
    assert world.client.get("/api/me", headers=bearer(issued)).status_code == 200
    assert world.call("admin", "GET", "/api/me").status_code == 401
