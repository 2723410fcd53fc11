"""Every endpoint against every role: anonymous, the learner, another learner, their assessor,
another assessor, an IQA, an admin (the policy is bot/records/access.py). Reads are checked role by role on one world; each write gets a fresh
world per role allowed to write, so one role's success cannot change what the next role sees."""
from __future__ import annotations

import pytest

from tests.api.conftest import ROLES, SOURCE, UNIT_NEW, World

ALL_SIGNED_IN = {r: 200 for r in ROLES if r != "anonymous"} | {"anonymous": 401}
ADMIN_READ = {r: 403 for r in ROLES} | {"anonymous": 401, "admin": 200}
OWN = {"anonymous": 401, "learner": 200, "other_learner": 403, "assessor": 200, "other_assessor": 403, "iqa": 200,
       "admin": 200}

READS = {
    "health": ("GET", "/health", {r: 200 for r in ROLES}),
    "qualifications": ("GET", "/api/qualifications", ALL_SIGNED_IN),
    "qualification": ("GET", "/api/qualifications/habc-l3", ALL_SIGNED_IN),
    "qualification units": ("GET", "/api/qualifications/habc-l3/units", ALL_SIGNED_IN),
    "unit": ("GET", "/api/units/K/506/2155", ALL_SIGNED_IN),
    "unit criteria": ("GET", "/api/units/K/506/2155/criteria", ALL_SIGNED_IN),
    "search": ("GET", "/api/search?q=telephone", ALL_SIGNED_IN),
    "me": ("GET", "/api/me", ALL_SIGNED_IN),
    "progress": ("GET", "/api/learners/{learner}/progress", OWN),
    "discussions": ("GET", "/api/discussions", ALL_SIGNED_IN),
    "discussion": ("GET", "/api/discussions/{d_open}", OWN),
    "export pdf": ("GET", "/api/discussions/{d_open}/export?format=pdf", OWN),
    "export csv": ("GET", "/api/discussions/{d_open}/export?format=csv", OWN),
    "export json": ("GET", "/api/discussions/{d_open}/export?format=json", OWN),
    "signed discussion": ("GET", "/api/discussions/{d_signed}", OWN),
    "personal data": ("GET", "/api/people/{learner}/personal-data", OWN | {"assessor": 403, "iqa": 403}),  # self or admin
    "other assessor's discussion": ("GET", "/api/discussions/{d_other}",
                                    {r: 403 for r in ROLES} | {"anonymous": 401, "other_learner": 200,
                                                               "other_assessor": 200, "iqa": 200, "admin": 200}),
    "other assessor's export": ("GET", "/api/discussions/{d_other}/export?format=json",
                                {r: 403 for r in ROLES} | {"anonymous": 401, "other_learner": 200,
                                                           "other_assessor": 200, "iqa": 200, "admin": 200}),
    "other learner's progress": ("GET", "/api/learners/{other_learner}/progress",
                                 {r: 403 for r in ROLES} | {"anonymous": 401, "other_learner": 200,
                                                            "other_assessor": 200, "iqa": 200, "admin": 200}),
    "people": ("GET", "/api/people?q=Priya", ADMIN_READ),
    "person": ("GET", "/api/people/{learner}", ADMIN_READ),
}

STAFF_WRITE = {"anonymous": 401, "learner": 403, "other_learner": 403, "assessor": 201, "other_assessor": 403,
               "iqa": 403, "admin": 403}  # IQAs and admins see everything but do not assess
ADMIN_ONLY = {"anonymous": 401, "learner": 403, "other_learner": 403, "assessor": 403, "other_assessor": 403,
              "iqa": 403}

WRITES = {
    "start discussion": ("POST", "/api/discussions",
                         lambda w, role: {"learner_id": w.ids["learner"], "source_id": SOURCE, "unit_refs": [UNIT_NEW],
                                          **({"assessor_id": w.ids["assessor"]} if role == "admin" else {})},
                         STAFF_WRITE | {"admin": 201}),
    "answer": ("POST", "/api/discussions/{d_open}/answers",
               lambda w, role: {"criterion_ref": "1.2", "text": "By age and by how often they buy."}, STAFF_WRITE),
    "decision": ("POST", "/api/discussions/{d_open}/decisions",
                 lambda w, role: {"criterion_ref": "1.2", "outcome": "not_yet_met", "reason": "Needs the methods."},
                 STAFF_WRITE),
    "assessor sign-off": ("POST", "/api/discussions/{d_open}/signoffs", lambda w, role: {"role": "assessor"},
                          STAFF_WRITE),
    "learner sign-off": ("POST", "/api/discussions/{d_signed}/signoffs", lambda w, role: {"role": "learner"},
                         STAFF_WRITE | {"learner": 201, "assessor": 403}),
    "amendment": ("POST", "/api/discussions/{d_signed}/amendments",
                  lambda w, role: {"criterion_ref": "1.1", "field": "reason", "new": "Described monitoring clearly.",
                                   "reason": "Reason was too brief."}, STAFF_WRITE),
    "create person": ("POST", "/api/people", lambda w, role: {"display_name": "New Learner"},
                      ADMIN_ONLY | {"admin": 201}),
    "grant role": ("POST", "/api/people/{other_learner}/roles", lambda w, role: {"role": "assessor"},
                   ADMIN_ONLY | {"admin": 200}),
    "issue token": ("POST", "/api/people/{learner}/tokens", lambda w, role: None, ADMIN_ONLY | {"admin": 201}),
    "assign": ("PUT", "/api/people/{other_assessor}/learners/{learner}", lambda w, role: None,
               ADMIN_ONLY | {"admin": 200}),
    "unassign": ("DELETE", "/api/people/{assessor}/learners/{learner}", lambda w, role: None,
                 ADMIN_ONLY | {"admin": 200}),
    "rename person": ("PATCH", "/api/people/{other_learner}", lambda w, role: {"display_name": "Olu Learner"},
                      ADMIN_ONLY | {"admin": 200}),
    "take role": ("DELETE", "/api/people/{other_assessor}/roles/assessor", lambda w, role: None,
                  ADMIN_ONLY | {"admin": 200}),
    "link identity": ("POST", "/api/people/{learner}/identities",
                      lambda w, role: {"channel": "slack", "external_id": "T1:U0PRIYA"}, ADMIN_ONLY | {"admin": 201}),
    "erasure": ("POST", "/api/people/{other_learner}/erasure", lambda w, role: {"confirm_name": "Other Learner"},
                ADMIN_ONLY | {"admin": 200}),
    "enrol": ("POST", "/api/enrolments",
              lambda w, role: {"learner_id": w.ids["learner"], "source_id": "sfj-l2", "assessor_id": w.ids["assessor"]},
              ADMIN_ONLY | {"admin": 201}),
}


def fill(w: World, path: str) -> str:
    return path.format(learner=w.ids["learner"], other_learner=w.ids["other_learner"], d_open=w.d_open,
                       d_signed=w.d_signed, d_other=w.d_other, other_assessor=w.ids["other_assessor"],
                       assessor=w.ids["assessor"])


@pytest.mark.parametrize("endpoint", READS)
def test_read_matrix(world, endpoint):
    method, path, expected = READS[endpoint]
    got = {role: world.call(role, method, fill(world, path)).status_code for role in ROLES}
    assert got == expected


def _write(world: World, endpoint: str, role: str):
    method, path, body, expected = WRITES[endpoint]
    response = world.call(role, method, fill(world, path), json=body(world, role))
    body = response.json()
    assert not isinstance(body, dict) or isinstance(body.get("detail", ""), str)  # some answers are lists
    return response.status_code, expected[role], response.text


@pytest.mark.parametrize("endpoint", WRITES)
def test_write_matrix_refused(world, endpoint):
    """Every role that may not write: refused, so nothing changes and they can share one world."""
    refused = [role for role, status in WRITES[endpoint][3].items() if status >= 400]
    got = {role: _write(world, endpoint, role)[0] for role in refused}
    assert got == {role: WRITES[endpoint][3][role] for role in refused}


@pytest.mark.parametrize("endpoint, role", [(e, r) for e, spec in WRITES.items() for r, status in spec[3].items()
                                            if status < 400])
def test_write_matrix_allowed(world, endpoint, role):
    """Each role that may write, on a world of its own."""
    got, expected, text = _write(world, endpoint, role)
    assert got == expected, text


def test_anonymous_gets_a_bearer_challenge(world):
    response = world.call("anonymous", "GET", "/api/qualifications")
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "bearer", "Token abc"])
def test_bad_tokens_are_401(world, header):
    response = world.client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401 and response.json()["detail"]


def test_revoked_token_is_401(world):
    from bot.records.people import revoke_token

    assert world.call("learner", "GET", "/api/me").status_code == 200
    with world.session() as s:
        revoke_token(s, world.tokens["learner"], world.ids["learner"])
    assert world.call("learner", "GET", "/api/me").status_code == 401


def test_discussion_lists_are_filtered_by_role(world):
    def ids(role: str) -> set[int]:
        return {d["id"] for d in world.call(role, "GET", "/api/discussions").json()}

    assert ids("learner") == {world.d_open, world.d_signed}
    assert ids("other_learner") == {world.d_other}
    assert ids("assessor") == {world.d_open, world.d_signed}
    assert ids("other_assessor") == {world.d_other}
    assert ids("iqa") == {world.d_open, world.d_signed, world.d_other}
    assert ids("admin") == {world.d_open, world.d_signed, world.d_other}


def test_reassigning_a_learner_moves_progress_but_not_discussions(world):
    """An assessor reaches only discussions they run for learners assigned to them: moving Priya to the
    other assessor shows them her progress, not Sam's discussions; Sam loses both."""
    from bot.records import access

    with world.session() as s:
        access.unassign(s, world.ids["admin"], world.ids["assessor"], world.ids["learner"])
        access.assign(s, world.ids["admin"], world.ids["other_assessor"], world.ids["learner"])
    assert world.call("other_assessor", "GET", f"/api/learners/{world.ids['learner']}/progress").status_code == 200
    refused = world.call("other_assessor", "GET", f"/api/discussions/{world.d_open}")
    assert refused.status_code == 403 and "run by another assessor" in refused.json()["detail"]
    listed = {d["id"] for d in world.call("other_assessor", "GET", "/api/discussions").json()}
    assert listed == {world.d_other}
    gone = world.call("assessor", "GET", f"/api/discussions/{world.d_open}")
    assert gone.status_code == 403 and gone.json()["detail"].startswith("Priya Learner is not assigned to you any more")
    assert world.call("assessor", "GET", f"/api/learners/{world.ids['learner']}/progress").status_code == 403
    assert world.call("assessor", "POST", f"/api/discussions/{world.d_open}/answers",
                      json={"criterion_ref": "1.2", "text": "late"}).status_code == 403


def test_list_filters(world):
    signed = world.call("admin", "GET", "/api/discussions?status=signed").json()
    assert [d["id"] for d in signed] == [world.d_signed]
    mine = world.call("admin", "GET", f"/api/discussions?assessor_id={world.ids['other_assessor']}").json()
    assert [d["id"] for d in mine] == [world.d_other]
    theirs = world.call("assessor", "GET", f"/api/discussions?learner_id={world.ids['other_learner']}").json()
    assert theirs == []  # a filter never widens what a role may see


def test_an_iqa_signs_after_the_learner_and_changes_nothing(world):
    d = world.d_signed
    early = world.call("iqa", "POST", f"/api/discussions/{d}/signoffs", json={"role": "iqa"})
    assert early.status_code == 409 and early.json()["detail"].startswith("The IQA signs after the learner")
    assert world.call("learner", "POST", f"/api/discussions/{d}/signoffs", json={"role": "learner"}).status_code == 201
    for role in ("assessor", "learner", "admin"):
        assert world.call(role, "POST", f"/api/discussions/{d}/signoffs", json={"role": "iqa"}).status_code == 403
    signed = world.call("iqa", "POST", f"/api/discussions/{d}/signoffs", json={"role": "iqa"})
    assert signed.status_code == 201 and signed.json()["person_id"] == world.ids["iqa"]
    refused = world.call("iqa", "POST", f"/api/discussions/{d}/amendments", json={
        "criterion_ref": "1.1", "field": "reason", "new": "Better.", "reason": "IQA feedback."})
    assert refused.status_code == 403 and "IQA reads records across assessors" in refused.json()["detail"]
