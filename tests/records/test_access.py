"""The access policy (bot/records/access.py) without Rasa or the API: assignments and who may read
and change a discussion, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from bot.domain.errors import Forbidden, Invalid
from bot.records import access, audit
from bot.records import discussion as disc
from bot.records import people
from bot.records.models import Assignment


@pytest.fixture
def cast(session, world):
    """The records World plus an IQA, a second learner (Kim) and Alex's discussion with Sam."""
    iqa = people.create_person(session, "Ira Quality", "iqa", actor=world.admin)
    kim = people.create_person(session, "Kim Jones")
    d = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    session.commit()
    return {"anonymous": None, "learner": world.sam, "other_learner": kim, "assessor": world.alex,
            "other_assessor": world.bea, "iqa": iqa, "admin": world.admin, "d": d}


def test_assign_unassign_and_list(session, world):
    kim = people.create_person(session, "Kim Jones")
    first = access.assign(session, world.admin, world.bea, kim)
    assert access.assign(session, world.admin, world.bea, kim).id == first.id  # again: the same one
    access.assign(session, world.admin, world.bea, world.sam)
    assert [p.display_name for p in access.assigned_learners(session, world.bea)] == ["Kim Jones", "Sam Patel"]
    assert [p.display_name for p in access.assessors_of(session, world.sam)] == ["Alex Assessor", "Bea Assessor"]
    assert access.unassign(session, world.admin, world.bea, kim) is True
    assert access.unassign(session, world.admin, world.bea, kim) is False
    assert [p.id for p in access.assigned_learners(session, world.bea)] == [world.sam.id]
    assert [e.action for e in audit.entries(session, "assignment")] == [
        "assignment.create", "assignment.create", "assignment.create", "assignment.remove"]  # Alex's from enrol()


def test_only_an_admin_assigns_and_only_assessors_to_learners(session, world):
    kim = people.create_person(session, "Kim Jones")
    for actor in (world.alex, kim):
        with pytest.raises(Forbidden, match="only admins can assign learners to assessors"):
            access.assign(session, actor, world.alex, kim)
    with pytest.raises(Invalid, match="Ada Admin is registered as admin, not as an assessor"):
        access.assign(session, world.admin, world.admin, kim)
    with pytest.raises(Invalid, match="Bea Assessor is registered as assessor, not as a learner"):
        access.assign(session, world.admin, world.alex, world.bea)
    assert session.query(Assignment).count() == 1  # Alex and Sam, from the enrolment


def test_unassigning_clears_the_enrolments_assessor(session, world):
    access.unassign(session, world.admin, world.alex, world.sam)
    session.refresh(world.enrolment)
    assert world.enrolment.assessor_id is None


READ = {"learner": True, "other_learner": False, "assessor": True, "other_assessor": False, "iqa": True, "admin": True}


@pytest.mark.parametrize("role", list(READ))
def test_who_reads_a_discussion(session, cast, role):
    viewer, d = cast[role], cast["d"]
    assert access.may_read(session, viewer, d) is READ[role]
    assert (d.id in {x.id for x in session.scalars(access.readable_discussions(viewer))}) is READ[role]
    assert access.may_read_learner(session, viewer, d.learner_id) is READ[role]
    if not READ[role]:
        with pytest.raises(Forbidden):
            access.require_read(session, viewer, d)


REFUSED = {
    "learner": "You cannot record answers: that needs the assessor role. An admin can grant it (see README: Identity and roles).",
    "other_learner": "You cannot record answers: that needs the assessor role. An admin can grant it (see README: Identity and roles).",
    "other_assessor": "This discussion is run by another assessor; only they can open or change it.",
    "iqa": "You cannot record answers: that needs the assessor role. An IQA reads records across assessors but changes none of them.",
    "admin": "You cannot record answers: that needs the assessor role. Admins manage people and assignments but do not assess.",
}


@pytest.mark.parametrize("role", ["assessor", *REFUSED])
def test_who_changes_a_discussion(session, cast, role):
    d = cast["d"]
    if role == "assessor":
        assert disc.record_answer(session, d, "1.1", "An answer", cast[role]).version == 1
        return
    with pytest.raises(Forbidden) as refused:
        disc.record_answer(session, d, "1.1", "An answer", cast[role])
    assert refused.value.message == REFUSED[role]
    for change in (lambda who: disc.decide(session, d, "1.1", "met", None, who),
                   lambda who: disc.goto(session, d, "1.2", by=who),
                   lambda who: disc.pause(session, d, by=who),
                   lambda who: disc.finish(session, d, by=who)):
        with pytest.raises(Forbidden):
            change(cast[role])
    assert disc.current_answers(session, d) == {} and d.status == "open"


def test_an_unassigned_learner_closes_the_assessors_discussion(session, world, cast):
    d = cast["d"]
    access.unassign(session, world.admin, world.alex, world.sam)
    with pytest.raises(Forbidden, match=r"^Sam Patel is not assigned to you any more, so this discussion is closed"):
        disc.record_answer(session, d, "1.1", "late", world.alex)
    assert access.may_read(session, world.alex, d) is False
    assert access.may_read(session, cast["iqa"], d) is True


def test_an_admin_opens_a_discussion_only_for_an_assigned_assessor(session, world, cast):
    kim = cast["other_learner"]
    with pytest.raises(Forbidden, match="Kim Jones is not assigned to Bea Assessor; assign them first"):
        disc.start(session, world.bea, kim, "cg-pool", ["206"], by=world.admin)
    with pytest.raises(Forbidden, match="only start discussions that you run yourself"):
        disc.start(session, world.bea, world.sam, "cg-pool", ["206"], by=world.alex)
