"""The admin's people endpoints (#18.1): find and list people, rename, take a role, move a linked
account; the same records services as `python -m bot admin` (tests/cli)."""
from __future__ import annotations

from bot.records import audit, people


def test_a_learner_who_chatted_first_is_found_and_made_an_assessor(world):
    with world.session() as s:  # Asha chatted on Slack before anyone set her up: a learner named by her account
        asha_id = people.get_or_create_person_for_identity(s, "slack", "T1:U-ASHA").id
    found = world.call("admin", "GET", "/api/people", params={"q": "T1:U-ASHA"}).json()
    assert [p["id"] for p in found] == [asha_id]
    renamed = world.call("admin", "PATCH", f"/api/people/{asha_id}", json={"display_name": "Asha Khan"})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Asha Khan"
    made = world.call("admin", "POST", f"/api/people/{asha_id}/roles", json={"role": "assessor"}).json()
    assert made["role"] == "assessor" and made["identities"] == [{"channel": "slack", "external_id": "T1:U-ASHA"}]
    assert [p["display_name"] for p in world.call("admin", "GET", "/api/people", params={"q": "asha"}).json()] == \
        ["Asha Khan"]
    assessors = world.call("admin", "GET", "/api/people", params={"role": "assessor"}).json()
    assert {p["display_name"] for p in assessors} == {"Sam Assessor", "Other Assessor", "Asha Khan"}
    assert world.call("admin", "GET", f"/api/people/{asha_id}").json()["display_name"] == "Asha Khan"
    taken = world.call("admin", "DELETE", f"/api/people/{asha_id}/roles/assessor")
    assert taken.status_code == 200 and taken.json()["role"] == "learner"
    with world.session() as s:
        actions = [e.action for e in audit.entries(s, "person", asha_id)]
    assert actions == ["person.create", "person.rename", "person.role", "person.role"]


def test_moving_a_linked_account_needs_move(world):
    learner, assessor = world.ids["learner"], world.ids["assessor"]
    body = {"channel": "slack", "external_id": "T1:U-PRIYA"}
    assert world.call("admin", "POST", f"/api/people/{learner}/identities", json=body).status_code == 201
    refused = world.call("admin", "POST", f"/api/people/{assessor}/identities", json=body)
    assert refused.status_code == 409 and "already linked to Priya Learner" in refused.json()["detail"]
    moved = world.call("admin", "POST", f"/api/people/{assessor}/identities", json={**body, "move": True})
    assert moved.status_code == 201 and moved.json()["identities"] == [body]
    assert world.call("admin", "GET", f"/api/people/{learner}").json()["identities"] == []


def test_bad_people_requests(world):
    assert world.call("admin", "GET", "/api/people/999999").status_code == 404
    bad = world.call("admin", "GET", "/api/people", params={"role": "wizard"})
    assert bad.status_code == 422 and "role" in bad.json()["detail"]
    bad = world.call("admin", "PATCH", f"/api/people/{world.ids['learner']}", json={"display_name": "  "})
    assert bad.status_code == 422 and "display_name" in bad.json()["detail"]
    bad = world.call("admin", "DELETE", f"/api/people/{world.ids['learner']}/roles/assessor")
    assert bad.status_code == 422 and "is a learner, not an assessor" in bad.json()["detail"]
    bad = world.call("admin", "DELETE", f"/api/people/{world.ids['admin']}/roles/admin")
    assert bad.status_code == 409 and "only admin" in bad.json()["detail"]
    bad = world.call("admin", "POST", f"/api/people/{world.ids['learner']}/identities",
                     json={"channel": "slack", "external_id": "U-PRIYA"})
    assert bad.status_code == 422 and "<team id>:<user id>" in bad.json()["detail"]
    assert world.call("admin", "GET", "/api/people", params={"q": "Nobody At All"}).json() == []


def test_assigning_learners_to_an_assessor(world):
    other, priya = world.ids["other_assessor"], world.ids["learner"]
    assert [p["display_name"] for p in world.call("admin", "GET", f"/api/people/{other}/learners").json()] == \
        ["Other Learner"]
    assigned = world.call("admin", "PUT", f"/api/people/{other}/learners/{priya}")
    assert assigned.status_code == 200 and [p["display_name"] for p in assigned.json()] == ["Other Learner", "Priya Learner"]
    assert world.call("other_assessor", "GET", f"/api/learners/{priya}/progress").status_code == 200  # she reaches Priya
    taken = world.call("admin", "DELETE", f"/api/people/{other}/learners/{priya}")
    assert taken.status_code == 200 and [p["display_name"] for p in taken.json()] == ["Other Learner"]
    assert world.call("other_assessor", "GET", f"/api/learners/{priya}/progress").status_code == 403
    bad = world.call("admin", "PUT", f"/api/people/{priya}/learners/{other}")
    assert bad.status_code == 422 and "not as an assessor" in bad.json()["detail"]
    with world.session() as s:
        assert [e.action for e in audit.entries(s, "assignment")][-2:] == ["assignment.create", "assignment.remove"]
