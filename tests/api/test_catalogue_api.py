"""Catalogue endpoints return the specifications' own values."""
from __future__ import annotations

import pytest

from tests.api.conftest import World


def get(world: World, path: str, role: str = "learner"):
    return world.call(role, "GET", path)


def test_qualifications(world):
    body = get(world, "/api/qualifications").json()
    assert [q["id"] for q in body] == ["sfj-l2", "habc-l3", "cg-pool", "ncfe-l1", "svq4"]
    habc = body[1]
    assert habc["title"] == "HABC Level 3 Diploma in Customer Service (QCF)" and habc["kind"] == "qualification"
    assert (habc["number"], habc["credits"], habc["glh"], habc["units"]) == ("601/4027/6", 55, "289-375", 45)
    # the unit pool learners can be enrolled on (issue 18): its id, its units, and no invented qualification facts
    pool = body[2]
    assert (pool["kind"], pool["title"], pool["units"]) == ("unit pool", "City & Guilds unit pool", 45)
    assert (pool["number"], pool["level"], pool["credits"], pool["awarding_body"]) == (None, None, None, None)


def test_unit_pool_detail_and_units(world):
    pool = get(world, "/api/qualifications/cg-pool").json()
    assert (pool["kind"], pool["rules"], pool["aliases"]) == ("unit pool", None, [])
    units = get(world, "/api/qualifications/cg-pool/units").json()
    assert len(units) == 45 and units[0]["ref"] == "D/506/2119" and units[0]["number"] == "206"


def test_qualification_rules(world):
    q = get(world, "/api/qualifications/habc-l3").json()
    rules = q["rules"]
    assert rules["min_credits"] == 55 and rules["level_credits"] == [3, 40]
    assert [g["id"] for g in rules["groups"]] == ["M", "A", "B"]
    mandatory = rules["groups"][0]
    assert mandatory["mandatory"] is True and len(mandatory["units"]) == 6 and "J/506/2910" in mandatory["units"]
    assert rules["groups"][1]["min_credits"] == 15 and rules["groups"][2]["max_credits"] == 9
    assert q["dates"] == {"specification_version": "4.0 April 2016"}


def test_qualification_units(world):
    units = get(world, "/api/qualifications/habc-l3/units").json()
    assert len(units) == 45
    assert units[0] == {"ref": "L/506/2150", "number": "1", "title": "Organise and deliver customer service",
                        "level": 3, "credits": 5, "glh": 27, "group": "M", "mandatory": True}


@pytest.mark.parametrize("ref", ["K/506/2155", "k5062155", "K%2F506%2F2155", "k%2f506%2f2155", "%20K/506/2155"])
def test_unit_reference_forms(world, ref):
    unit = get(world, f"/api/units/{ref}").json()
    assert unit["ref"] == "K/506/2155" and unit["title"] == "Make telephone calls to customers"
    assert [s["source"] for s in unit["specs"]] == ["sfj-l2", "ncfe-l1"]
    ncfe = unit["specs"][1]
    assert ncfe["number"] == "10" and ncfe["source_name"].startswith("NCFE")


def test_unit_criteria_verbatim(world):
    views = get(world, "/api/units/k5062155/criteria?source=sfj-l2").json()
    assert len(views) == 1 and views[0]["source"] == "sfj-l2"
    first = views[0]["criteria"][0]
    assert first == {"ref": "1.1", "text": "Explain the legislation and regulations relating to the use of customer "
                     "information when planning to make calls", "kind": "ac", "outcome": "1", "line": 639,
                     "guidance": None}
    both = get(world, "/api/units/K/506/2155/criteria").json()
    assert [v["source"] for v in both] == ["sfj-l2", "ncfe-l1"]


def test_sqa_unit_code(world):
    unit = get(world, "/api/units/cfacsf5").json()
    assert unit["ref"] == "CFACSF5" and unit["specs"][0]["source"] == "svq4"
    criteria = get(world, "/api/units/CFACSF5/criteria").json()[0]["criteria"]
    assert {c["kind"] for c in criteria} >= {"pc", "ku"}


def test_unit_detail_marks_professional_discussion(world):
    spec = get(world, "/api/units/D/506/2119?source=cg-pool").json()["specs"][0]
    assert spec["number"] == "206"
    listed = [o["professional_discussion_listed"] for o in spec["outcomes"]]
    assert listed and all(v in (True, False) for v in listed)  # the C&G pool gives an evidence list per outcome


@pytest.mark.parametrize("path, words", [
    ("/api/qualifications/nope", "Known: sfj-l2, habc-l3, cg-pool, ncfe-l1, svq4"),
    ("/api/qualifications/nope/units", "No qualification 'nope'"),
    ("/api/units/Z/999/9999", "No unit with reference 'Z/999/9999'"),
    ("/api/units/Z/999/9999/criteria", "No unit with reference"),
    ("/api/units/K/506/2155?source=svq4", "not specified in source 'svq4'"),
])
def test_unknown_is_404_with_a_reason(world, path, words):
    response = get(world, path)
    assert response.status_code == 404 and words in response.json()["detail"]


def test_search(world):
    found = get(world, "/api/search?q=telephone").json()
    assert found["ambiguous"] is True  # two telephone units: the caller should ask which
    assert {"K/506/2155", "H/506/2154"} <= {h["ref"] for h in found["results"] if h["kind"] == "unit"}
    number = get(world, "/api/search?q=206&source=cg-pool").json()["results"]
    assert number[0] | {"score": 100.0} == number[0] and (number[0]["ref"], number[0]["how"]) == ("D/506/2119", "number")
    typed = get(world, "/api/search?q=k5062155").json()["results"][0]
    assert (typed["kind"], typed["ref"], typed["how"]) == ("unit", "K/506/2155", "ref")
    qualification = get(world, "/api/search?q=highfield%20level%203").json()["results"][0]
    assert (qualification["kind"], qualification["ref"]) == ("qualification", "habc-l3")
    criteria = get(world, "/api/search?q=customer%20loyalty&source=habc-l3").json()["results"]
    assert any(h["kind"] == "criterion" and "customer loyalty" in h["title"].lower() for h in criteria)
    assert len(get(world, "/api/search?q=customer&limit=3").json()["results"]) == 3


@pytest.mark.parametrize("query, words", [
    ("", "q:"), ("q=", "q:"), ("q=%20%20", "type some words"), (f"q={'x' * 201}", "at most 200"),
    ("q=a&limit=0", "limit:"), ("q=a&limit=x", "limit:"), ("q=a&source=nope", "No qualification 'nope'"),
])
def test_bad_search_is_4xx(world, query, words):
    response = get(world, f"/api/search?{query}")
    assert response.status_code in (404, 422) and words in response.json()["detail"]
