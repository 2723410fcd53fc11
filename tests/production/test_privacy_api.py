"""The GDPR routes: who may export and erase, the name guard, and that an erasure is complete."""
from __future__ import annotations

from tests.api.conftest import ROLES, client, world  # noqa: F401


def test_export_is_for_admins_and_the_person_themself(world):
    for role in ROLES:
        r = world.call(role, "GET", f"/api/people/{world.ids['learner']}/personal-data")
        expected = {"anonymous": 401, "admin": 200, "learner": 200}.get(role, 403)
        assert r.status_code == expected, (role, r.text)
        if expected == 200:
            body = r.json()
            assert body["person"]["display_name"] == "Priya Learner"
            assert len(body["discussions"]) == 2
            assert body["discussions"][0]["answers"][0]["text"].startswith("It’s how")


def test_only_an_admin_erases(world):
    path = f"/api/people/{world.ids['learner']}/erasure"
    for role in [r for r in ROLES if r != "admin"]:
        r = world.call(role, "POST", path, json={"confirm_name": "Priya Learner"})
        assert r.status_code == (401 if role == "anonymous" else 403), (role, r.text)
        assert len(world.call("admin", "GET", path.replace("erasure", "personal-data")).json()["discussions"]) == 2
    r = world.call("admin", "POST", path, json={"confirm_name": "Priya Learner"})
    # the open discussion goes; the signed one is within the retention period: kept, anonymised, and said so
    assert r.status_code == 200 and r.json()["removed"]["discussions"] == 1
    assert r.json()["removed"]["signed_discussions_kept"] == 1
    assert r.json()["note"].startswith("1 signed discussion record is kept, anonymised (the learner shows as “Erased person")
    after = world.call("admin", "GET", path.replace("erasure", "personal-data")).json()
    assert [d["id"] for d in after["discussions"]] == [world.d_signed]
    assert after["person"]["display_name"].startswith("Erased person")
    assert "Priya" not in str(after)
    assert world.call("learner", "GET", "/api/me").status_code == 401  # her token went with her


def test_erasure_needs_the_exact_name_and_a_learner(world):
    r = world.call("admin", "POST", f"/api/people/{world.ids['learner']}/erasure", json={"confirm_name": "Priya"})
    assert r.status_code == 422 and "nothing was erased" in r.json()["detail"]
    r = world.call("admin", "POST", f"/api/people/{world.ids['assessor']}/erasure", json={"confirm_name": "Sam Assessor"})
    assert r.status_code == 422 and "Only a learner" in r.json()["detail"]
    assert world.call("admin", "POST", "/api/people/999999/erasure", json={"confirm_name": "x"}).status_code == 404
