from __future__ import annotations

import pytest

from bot.records import audit, enrolment, people
from bot.domain.errors import Forbidden, Invalid, NotFound


def test_enrol_is_idempotent_and_updates_assessor(session, world):
    again = enrolment.enrol(session, world.sam, "cg-pool", world.bea, actor=world.admin)
    assert again.id == world.enrolment.id and again.assessor_id == world.bea.id
    assert enrolment.enrolment_for(session, world.sam).id == again.id
    assert enrolment.enrolment_for(session, world.sam, "svq4") is None
    actions = [e.action for e in audit.entries(session, "enrolment")]
    assert actions == ["enrolment.create", "enrolment.assessor"]


def test_enrol_checks(session, world):
    with pytest.raises(NotFound, match="Unknown qualification 'nvq9'"):
        enrolment.enrol(session, world.sam, "nvq9")
    with pytest.raises(Invalid, match="not as a learner"):
        enrolment.enrol(session, world.alex, "cg-pool")
    with pytest.raises(Forbidden):
        enrolment.enrol(session, world.sam, "cg-pool", world.admin)  # an admin is not an assessor
    kim = people.create_person(session, "Kim Jones")
    with pytest.raises(Forbidden):
        enrolment.enrol(session, world.sam, "svq4", actor=kim)  # a learner enrolling someone else


def test_unit_status_lifecycle(session, world):
    e = world.enrolment
    enrolment.set_unit_status(session, e, "206", "planned", world.sam)
    enrolment.set_unit_status(session, e, "L/506/1869", "claimed", world.sam)
    assert enrolment.unit_statuses(session, e) == {"D/506/2119": "planned", "L/506/1869": "claimed"}
    assert enrolment.planned_refs(session, e) == ["D/506/2119"]
    assert enrolment.claimed_refs(session, e) == ["L/506/1869"]
    with pytest.raises(Forbidden, match="only assessors can confirm"):
        enrolment.set_unit_status(session, e, "226", "achieved", world.sam)
    row = enrolment.set_unit_status(session, e, "226", "achieved", world.alex)
    assert row.confirmed_by == world.alex.id and row.confirmed_at is not None and row.claimed_at is not None
    assert enrolment.achieved_refs(session, e) == ["L/506/1869"]
    with pytest.raises(Forbidden, match="confirmed as achieved by an assessor"):
        enrolment.set_unit_status(session, e, "226", "claimed", world.sam)
    details = [x.detail for x in audit.entries(session, "unit_status")]
    assert [(d["unit_ref"], d["old"], d["new"]) for d in details] == [
        ("D/506/2119", None, "planned"), ("L/506/1869", None, "claimed"), ("L/506/1869", "claimed", "achieved")]


def test_unit_status_bad_input(session, world):
    with pytest.raises(NotFound, match="Unit '999' is not in the City & Guilds unit pool"):
        enrolment.set_unit_status(session, world.enrolment, "999", "planned", world.sam)
    with pytest.raises(Invalid, match="Unknown unit status"):
        enrolment.set_unit_status(session, world.enrolment, "206", "done", world.sam)
    kim = people.create_person(session, "Kim Jones")
    with pytest.raises(Forbidden):
        enrolment.set_unit_status(session, world.enrolment, "206", "claimed", kim)
