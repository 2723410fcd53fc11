"""Planning from the real catalogue (the five specification texts)."""
from __future__ import annotations

import pytest

from bot.flows import discussion as turns
from bot.records import discussion as disc, enrolment, people
from bot.domain.errors import NotFound
from bot.domain.planning import plan_unit, resolve_unit
from bot.records.catalogue import current


@pytest.fixture(scope="module")
def cat():
    return current()


def test_unit_206_plan(cat):
    items = plan_unit(resolve_unit(cat, "cg-pool", "206"))
    assert len(items) == 16 and {i.outcome.number for i in items} == {"1", "2"}
    assert [i.criterion.ref for i in items] == [f"1.{n}" for n in range(1, 7)] + [f"2.{n}" for n in range(1, 11)]
    assert all(i.pd_listed is True for i in items)
    assert items[0].criterion.text == "explain the importance of effective communication in customer service"
    assert items[0].citation == "cg-pool, line 52"  # the service passes the source's short name


def test_unit_226_outcome_3_does_not_list_pd(cat):
    spec = resolve_unit(cat, "cg-pool", "L/506/1869")
    assert spec.number == "226"
    by_outcome = {}
    for item in plan_unit(spec):
        by_outcome.setdefault(item.outcome.number, set()).add(item.pd_listed)
    assert by_outcome == {"1": {True}, "2": {True}, "3": {False}, "4": {True}}
    assert spec.outcomes[2].evidence == ["observation", "product", "witness testimony", "questioning"]


def test_svq_has_no_evidence_lists(cat):
    items = plan_unit(resolve_unit(cat, "svq4", "CFACSF5"))
    assert {i.pd_listed for i in items} == {None}
    assert [i.criterion.kind for i in items].count("ku") == 18


def test_either_number_of_a_shared_unit(cat):
    assert resolve_unit(cat, "cg-pool", "305").ref == resolve_unit(cat, "cg-pool", "695").ref == "Y/506/2152"
    assert resolve_unit(cat, "cg-pool", "unit 206").ref == "D/506/2119"
    assert resolve_unit(cat, "cg-pool", "Communicate verbally with customers").ref == "D/506/2119"
    assert resolve_unit(cat, "cg-pool", "999") is None


def test_discussion_on_226_from_the_real_catalogue(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    alex = people.create_person(session, "Alex Assessor", "assessor", actor=admin)
    sam = people.create_person(session, "Sam Patel")
    enrolment.enrol(session, sam, "cg-pool", alex, actor=admin)
    d = disc.start(session, alex, sam, "cg-pool", ["226"])
    items = disc.plan(session, d)
    assert len(items) == 16 and items[0].citation.startswith("City & Guilds unit pool, line ")
    assert [pc.criterion_ref for pc in items if pc.pd_listed is False] == ["3.1", "3.2", "3.3"]
    plan_text = turns.start_reply(session, d.id).replies[0].text
    assert "unit 226 Contribute to the organisation of an event (City & Guilds unit pool)" in plan_text
    assert "16 criteria to cover: 1.1–1.6, 2.1–2.5, 3.1–3.3, 4.1, 4.2." in plan_text
    assert ("Outcome 3 (3.1–3.3): the specification lists observation, product, witness testimony, questioning, "
            "not professional discussion.") in plan_text
    enrolment.enrol(session, sam, "svq4", alex, actor=admin)
    svq = disc.start(session, alex, sam, "svq4", ["CFACSF5"])
    svq_text = turns.start_reply(session, svq.id).replies[0].text
    assert "the specification does not list evidence types for these." in svq_text
    enrolment.enrol(session, sam, "ncfe-l1", alex, actor=admin)
    with pytest.raises(NotFound, match="not part of the NCFE Level 1 Certificate in Customer Service"):
        disc.start(session, alex, sam, "ncfe-l1", ["206"])
