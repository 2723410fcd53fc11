"""Staff sign-in for the web chat (#18.3): an API token is exchanged for a web chat session token of
the same person, which lasts a day and is revoked by signing out; the API token stays valid."""
from __future__ import annotations

from datetime import timedelta

from bot.api.web.signin import WEB_SESSION
from bot.records import audit, people


def test_sign_in_gives_a_session_token_and_sign_out_revokes_it(world):
    signed_in = world.client.post("/chat/api/session", headers=world.headers("assessor"))
    assert signed_in.status_code == 201, signed_in.text
    body = signed_in.json()
    assert (body["person_id"], body["display_name"], body["role"]) == (world.ids["assessor"], "Sam Assessor", "assessor")
    session_token = body["token"]
    assert session_token != world.tokens["assessor"]
    with world.session() as s:
        row = people.token_record(s, session_token)
        assert row.label == WEB_SESSION and row.person_id == world.ids["assessor"]
        assert timedelta(hours=23) < row.expires_at - row.created_at <= timedelta(days=1)
        assert audit.entries(s, "api_token", row.id, "token.issue")[0].actor_id == world.ids["assessor"]
    bearer = {"Authorization": f"Bearer {session_token}"}
    assert world.client.get("/api/me", headers=bearer).json()["display_name"] == "Sam Assessor"
    # a session cannot be used to make another (it would never end)
    again = world.client.post("/chat/api/session", headers=bearer)
    assert again.status_code == 422 and "not an API token" in again.json()["detail"]
    out = world.client.delete("/api/me/token", headers=bearer)
    assert out.status_code == 200 and out.json()["revoked_at"]
    refused = world.client.get("/api/me", headers=bearer)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert world.call("assessor", "GET", "/api/me").status_code == 200  # the API token itself still works


def test_sign_in_refuses_a_missing_or_unknown_token(world):
    missing = world.client.post("/chat/api/session")
    assert missing.status_code == 401 and "Not signed in" in missing.json()["detail"]
    unknown = world.client.post("/chat/api/session", headers={"Authorization": "Bearer not-a-token"})
    assert unknown.status_code == 401 and "not valid" in unknown.json()["detail"]
    with world.session() as s:
        people.revoke_token(s, world.tokens["learner"], world.ids["learner"])
    revoked = world.client.post("/chat/api/session", headers=world.headers("learner"))
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
