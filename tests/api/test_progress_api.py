"""GET /api/learners/{id}/progress: units by status and what the HABC rules of combination still need."""
from __future__ import annotations

from bot.records import enrolment
from tests.api.conftest import SOURCE

MANDATORY = ["L/506/2150", "Y/506/2152", "J/506/2910", "K/506/2169", "D/506/1942", "T/506/2952"]  # 31 credits


def test_progress_with_mandatory_units_achieved(world):
    with world.session() as s:
        e = enrolment.enrolment_for(s, world.ids["learner"], SOURCE)
        for ref in MANDATORY:
            enrolment.set_unit_status(s, e, ref, "achieved", world.ids["assessor"])
        enrolment.set_unit_status(s, e, "D/506/2119", "claimed", world.ids["learner"])
        enrolment.set_unit_status(s, e, "L/506/2133", "in_progress", world.ids["learner"])
    body = world.call("learner", "GET", f"/api/learners/{world.ids['learner']}/progress").json()
    assert body["learner"] == "Priya Learner" and len(body["enrolments"]) == 1
    p = body["enrolments"][0]
    assert p["source_id"] == SOURCE and p["qualification"] == "HABC Level 3 Diploma in Customer Service (QCF)"
    assert p["assessor_id"] == world.ids["assessor"]
    assert [u["ref"] for u in p["units"]["achieved"]] == MANDATORY
    assert all(u["confirmed_by"] == world.ids["assessor"] and u["confirmed_at"] for u in p["units"]["achieved"])
    assert [u["ref"] for u in p["units"]["claimed"]] == ["D/506/2119"] and p["units"]["claimed"][0]["claimed_at"]
    assert [u["ref"] for u in p["units"]["in_progress"]] == ["L/506/2133"] and p["units"]["planned"] == []
    assert p["units"]["achieved"][2]["title"] == "Understand customers and customer retention"
    # from the achieved units only: 31 of 55 credits, Group A short by 15, level 3+ short by 9
    assert (p["complete"], p["credits"], p["min_credits"], p["shortfall"]) == (False, 31, 55, 24)
    groups = {g["id"]: g for g in p["groups"]}
    assert groups["M"]["met"] is True and groups["A"]["shortfall"] == 15 and groups["B"]["met"] is True
    assert "Group A needs at least 15 credits; 0 so far (15 short)." in p["violations"]
    assert p["suggestions"] and p["suggestions"][0]["total_credits"] >= 55
    assert p["suggestions"][0]["credits"] == 24  # the cheapest completion adds exactly the shortfall
    assert all(u["ref"] not in MANDATORY for s in p["suggestions"] for u in s["units"])
    assert p["summary"].startswith("HABC Level 3 Diploma in Customer Service (QCF): not complete yet.")


def test_progress_with_nothing_achieved_lists_what_is_needed(world):
    p = world.call("assessor", "GET", f"/api/learners/{world.ids['learner']}/progress").json()["enrolments"][0]
    assert p["credits"] == 0 and p["shortfall"] == 55 and not p["complete"]
    groups = {g["id"]: g for g in p["groups"]}
    assert sorted(groups["M"]["missing"]) == sorted(MANDATORY)
    assert set(MANDATORY) <= {u["ref"] for u in p["suggestions"][0]["units"]}


def test_progress_of_a_person_without_enrolments(world):
    body = world.call("admin", "GET", f"/api/learners/{world.ids['assessor']}/progress").json()
    assert body == {"learner_id": world.ids["assessor"], "learner": "Sam Assessor", "enrolments": []}
