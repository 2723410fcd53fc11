"""Who may reach which record: the one access policy. The API routers, the chat flows and the
records services all ask here; nothing else decides.

- learner: reads their own records; confirms (signs as learner) their own discussions.
- assessor: reads the progress of the learners an admin assigned to them, and reads and changes the
  discussions they run with those learners. Running a discussion opens nothing else, and a learner
  unassigned from them closes that learner's discussions to them.
- iqa (an internal quality assurer or lead assessor): reads every learner and discussion, changes
  nothing, and may add the IQA signature once the learner has confirmed.
- admin: manages people, roles, assignments and enrolments; reads everything; does not assess
  (an admin may open a discussion for an assigned assessor, who then runs it).

Refusals are Forbidden with a sentence for the person at the keyboard: the API answers 403 with it,
the chat says it.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.domain.errors import Forbidden, Invalid
from bot.records import audit
from bot.records.db import write
from bot.records.models import Assignment, Discussion, Enrolment, Person
from bot.records.people import PersonLike, get_person, require_role

READ_ALL = ("iqa", "admin")
HOW_TO_ASSIGN = "an admin can assign them to you (see README: Identity and roles)"


# ---------------------------------------------------------------- assignments (an admin's)


def _pair(session: Session, admin: PersonLike, assessor: PersonLike, learner: PersonLike) -> tuple[Person, Person, Person]:
    a = get_person(session, admin, "admin")
    require_role(a, "admin", doing="assign learners to assessors")
    s = get_person(session, assessor, "assessor")
    if s.role != "assessor":
        raise Invalid(f"{s.display_name} is registered as {s.role}, not as an assessor, so no learners can be assigned to them.")
    lp = get_person(session, learner, "learner")
    if lp.role != "learner":
        raise Invalid(f"{lp.display_name} is registered as {lp.role}, not as a learner, so they cannot be assigned to an assessor.")
    return a, s, lp


def _assignment(session: Session, assessor_id: int, learner_id: int) -> Optional[Assignment]:
    return session.scalar(select(Assignment).where(Assignment.assessor_id == assessor_id,
                                                   Assignment.learner_id == learner_id))


def assign(session: Session, admin: PersonLike, assessor: PersonLike, learner: PersonLike) -> Assignment:
    """Give an assessor a learner (admins only; audited). Assigning again returns the assignment there is."""
    a, s, lp = _pair(session, admin, assessor, learner)

    def work() -> Assignment:
        row = _assignment(session, s.id, lp.id)
        if row is None:
            row = Assignment(assessor_id=s.id, learner_id=lp.id, assigned_by=a.id)
            session.add(row)
            session.flush()
            audit.record(session, a, "assignment.create", "assignment", row.id, assessor_id=s.id, learner_id=lp.id)
        return row

    return write(session, work)


def unassign(session: Session, admin: PersonLike, assessor: PersonLike, learner: PersonLike) -> bool:
    """Take a learner from an assessor (admins only; audited): their discussions with the learner close
    to them (they stay in the record). The learner's enrolments no longer name that assessor.
    False when there was no such assignment."""
    a, s, lp = _pair(session, admin, assessor, learner)

    def work() -> bool:
        row = _assignment(session, s.id, lp.id)
        if row is None:
            return False
        audit.record(session, a, "assignment.remove", "assignment", row.id, assessor_id=s.id, learner_id=lp.id)
        session.delete(row)
        for enrolment in session.scalars(select(Enrolment).where(Enrolment.learner_id == lp.id,
                                                                 Enrolment.assessor_id == s.id)):
            enrolment.assessor_id = None
        session.flush()
        return True

    return write(session, work)


def assigned_learners(session: Session, assessor: PersonLike) -> list[Person]:
    """The learners assigned to an assessor, by name."""
    s = get_person(session, assessor, "assessor")
    return list(session.scalars(select(Person).join(Assignment, Assignment.learner_id == Person.id)
                                .where(Assignment.assessor_id == s.id).order_by(Person.display_name, Person.id)))


def assessors_of(session: Session, learner: PersonLike) -> list[Person]:
    """The assessors a learner is assigned to, by name."""
    lp = get_person(session, learner, "learner")
    return list(session.scalars(select(Person).join(Assignment, Assignment.assessor_id == Person.id)
                                .where(Assignment.learner_id == lp.id).order_by(Person.display_name, Person.id)))


def is_assigned(session: Session, assessor_id: int, learner_id: int) -> bool:
    return _assignment(session, assessor_id, learner_id) is not None


# ---------------------------------------------------------------- reading


def _assigned_clause(assessor_id: int, learner_id):
    return exists().where(Assignment.assessor_id == assessor_id, Assignment.learner_id == learner_id)


def may_read_learner(session: Session, viewer: Person, learner_id: int) -> bool:
    """A learner's progress and enrolments."""
    if viewer.role in READ_ALL or viewer.id == learner_id:
        return True
    return viewer.role == "assessor" and is_assigned(session, viewer.id, learner_id)


def require_read_learner(session: Session, viewer: Person, learner: Person) -> None:
    if not may_read_learner(session, viewer, learner.id):
        if viewer.role == "assessor":
            raise Forbidden(f"{learner.display_name} is not assigned to you; {HOW_TO_ASSIGN}.")
        raise Forbidden("You can only see your own records.")


def may_read(session: Session, viewer: Person, d: Discussion) -> bool:
    if viewer.role in READ_ALL or viewer.id == d.learner_id:
        return True
    return viewer.role == "assessor" and viewer.id == d.assessor_id and is_assigned(session, viewer.id, d.learner_id)


def require_read(session: Session, viewer: Person, d: Discussion) -> None:
    if may_read(session, viewer, d):
        return
    if viewer.role == "assessor":
        _refuse_assessor(session, viewer, d)
    raise Forbidden("This discussion belongs to another learner.")


def readable_discussions(viewer: Person):
    """A select() of the discussions the viewer may read."""
    query = select(Discussion)
    if viewer.role in READ_ALL:
        return query
    if viewer.role == "assessor":
        return query.where(Discussion.assessor_id == viewer.id, _assigned_clause(viewer.id, Discussion.learner_id))
    return query.where(Discussion.learner_id == viewer.id)


# ---------------------------------------------------------------- changing


_NOT_ASSESSING = {
    "iqa": "An IQA reads records across assessors but changes none of them.",
    "admin": "Admins manage people and assignments but do not assess.",
    "learner": "An admin can grant it (see README: Identity and roles).",
}


def require_assessor(person: Person, doing: str) -> None:
    """Only assessors run, record, sign as assessor and amend."""
    if person.role != "assessor":
        raise Forbidden(f"You cannot {doing}: that needs the assessor role. {_NOT_ASSESSING.get(person.role, '')}".strip())


def require_start(session: Session, actor: Person, assessor: Person, learner: Person) -> None:
    """A discussion is opened by the assessor who will run it (or by an admin for them), with a
    learner assigned to that assessor."""
    if actor.id != assessor.id:
        if actor.role != "admin":
            raise Forbidden("You can only start discussions that you run yourself.")
        if assessor.role != "assessor":
            raise Invalid(f"{assessor.display_name} is registered as {assessor.role}, not as an assessor; name the assessor who runs it.")
    else:
        require_assessor(actor, "start a professional discussion")
    if not is_assigned(session, assessor.id, learner.id):
        if actor.id == assessor.id:
            raise Forbidden(f"{learner.display_name} is not assigned to you; {HOW_TO_ASSIGN}.")
        raise Forbidden(f"{learner.display_name} is not assigned to {assessor.display_name}; assign them first.")


def _refuse_assessor(session: Session, assessor: Person, d: Discussion) -> None:
    if assessor.id != d.assessor_id:
        raise Forbidden("This discussion is run by another assessor; only they can open or change it.")
    learner = session.get(Person, d.learner_id)
    raise Forbidden(f"{learner.display_name} is not assigned to you any more, so this discussion is closed to you; "
                    f"{HOW_TO_ASSIGN} again.")


def require_run(session: Session, person: Person, d: Discussion, doing: str = "change this discussion") -> None:
    """Recording, deciding, moving about, pausing, finishing, signing as assessor, amending: the
    assessor who runs the discussion, while the learner is assigned to them."""
    require_assessor(person, doing)
    if person.id != d.assessor_id or not is_assigned(session, person.id, d.learner_id):
        _refuse_assessor(session, person, d)


def require_sign(session: Session, d: Discussion, signer: Person, entered_by: Person, role: str) -> None:
    """Who may put which signature on a record (the order is the records' own rule)."""
    if role == "assessor":
        if signer.id != entered_by.id:
            raise Forbidden("The assessor signs for themself.")
        require_run(session, signer, d, "sign this record as its assessor")
    elif role == "learner":
        if signer.id != d.learner_id:
            raise Forbidden("Only this discussion's learner can confirm it as the learner.")
        if entered_by.id != signer.id:  # the assessor, typing it with the learner beside them
            require_run(session, entered_by, d, "record the learner's confirmation")
    elif role == "iqa":
        if signer.role != "iqa" or entered_by.id != signer.id:
            raise Forbidden("Only an IQA can add the IQA signature, and only for themself.")


def require_progress_change(session: Session, person: Person, learner: Person) -> None:
    """A unit's status: the learner themself, an admin, or an assessor the learner is assigned to."""
    if person.id == learner.id or person.role == "admin":
        return
    if person.role == "assessor" and is_assigned(session, person.id, learner.id):
        return
    if person.role == "assessor":
        raise Forbidden(f"{learner.display_name} is not assigned to you; {HOW_TO_ASSIGN}.")
    if person.role == "learner":
        raise Forbidden("Learners can only update their own units.")
    raise Forbidden(f"You cannot change a learner's units. {_NOT_ASSESSING.get(person.role, '')}".strip())
