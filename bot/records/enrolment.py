"""Enrolments (a learner on a qualification/source) and the learner's progress per unit."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.records import access, audit
from bot.records.db import fetch, write
from bot.domain.errors import Forbidden, Invalid, NotFound
from bot.records.models import UNIT_STATUSES, Enrolment, Person, UnitStatus, utcnow
from bot.records.people import PersonLike, get_person, require_role
from bot.domain.planning import resolve_unit, source_name
from bot.records import catalogue as catalogues


def known_sources(session: Session) -> list[str]:
    """The seeds and the qualifications imported so far."""
    return list(catalogues.current(session).sources)


def _learner(session: Session, learner: PersonLike) -> Person:
    p = get_person(session, learner, "learner")
    if p.role != "learner":
        raise Invalid(f"{p.display_name} is registered as {p.role}, not as a learner.")
    return p


def enrol(session: Session, learner: PersonLike, source_id: str, assessor: Optional[PersonLike] = None,
          actor: Optional[PersonLike] = None) -> Enrolment:
    """Enrol a learner on a qualification (catalogue source id). Enrolling again returns the
    existing enrolment, updating the assessor if one is given. `actor` defaults to the learner.
    Naming the assessor is an admin's step and assigns the learner to them (bot/records/access.py)."""
    lp = _learner(session, learner)
    known = known_sources(session)
    if source_id not in known:
        raise NotFound(f"Unknown qualification '{source_id}'. Known: {', '.join(known)}.")
    ap = get_person(session, assessor, "assessor") if assessor is not None else None
    if ap is not None:
        require_role(ap, "assessor", doing="be assigned to learners")
    who = get_person(session, actor) if actor is not None else lp
    if who.id != lp.id:
        require_role(who, "assessor", "admin", doing="enrol someone else")

    if ap is not None:
        access.assign(session, who, ap, lp)

    def work() -> Enrolment:
        e = session.scalar(select(Enrolment).where(Enrolment.learner_id == lp.id, Enrolment.source_id == source_id))
        if e is None:
            e = Enrolment(learner_id=lp.id, source_id=source_id, assessor_id=ap.id if ap else None)
            session.add(e)
            session.flush()
            audit.record(session, who, "enrolment.create", "enrolment", e.id, learner_id=lp.id,
                         source_id=source_id, assessor_id=e.assessor_id)
        elif ap is not None and e.assessor_id != ap.id:
            audit.record(session, who, "enrolment.assessor", "enrolment", e.id, old=e.assessor_id, new=ap.id)
            e.assessor_id = ap.id
        return e

    return write(session, work)


def enrolment_for(session: Session, learner: PersonLike, source_id: Optional[str] = None) -> Optional[Enrolment]:
    """The learner's enrolment on that source, or (no source given) their most recent one."""
    p = get_person(session, learner, "learner")
    query = select(Enrolment).where(Enrolment.learner_id == p.id)
    if source_id is not None:
        query = query.where(Enrolment.source_id == source_id)
    return session.scalar(query.order_by(Enrolment.created_at.desc(), Enrolment.id.desc()).limit(1))


def enrolments_of(session: Session, learner: PersonLike) -> list[Enrolment]:
    p = get_person(session, learner, "learner")
    return list(session.scalars(select(Enrolment).where(Enrolment.learner_id == p.id).order_by(Enrolment.id)))


def _enrolment(session: Session, enrolment: Enrolment | int) -> Enrolment:
    return fetch(session, Enrolment, enrolment, f"I can't find enrolment {enrolment}.")


def set_unit_status(session: Session, enrolment: Enrolment | int, unit_ref: str, status: str,
                    actor: PersonLike) -> UnitStatus:
    """Record progress on a unit. The learner may plan, start or claim their own units; only an
    assessor may confirm one as achieved (who and when are kept) or change an achieved unit."""
    e = _enrolment(session, enrolment)
    who = get_person(session, actor)
    if status not in UNIT_STATUSES:
        raise Invalid(f"Unknown unit status '{status}'. Use one of: {', '.join(UNIT_STATUSES)}.")
    cat = catalogues.current(session)
    spec = resolve_unit(cat, e.source_id, unit_ref)
    if spec is None:
        raise NotFound(f"Unit '{unit_ref}' is not in the {source_name(cat, e.source_id)}.")
    access.require_progress_change(session, who, get_person(session, e.learner_id))
    if status == "achieved":
        require_role(who, "assessor", doing="confirm a unit as achieved")

    def work() -> UnitStatus:
        row = session.scalar(select(UnitStatus).where(UnitStatus.enrolment_id == e.id, UnitStatus.unit_ref == spec.ref))
        if row is not None and row.status == "achieved" and status != "achieved" and who.role != "assessor":
            raise Forbidden(f"Unit {spec.number or spec.ref} was confirmed as achieved by an assessor; "
                            "only an assessor can change that.")
        if row is not None and row.status == status:
            return row
        now = utcnow()
        old = row.status if row is not None else None
        if row is None:
            row = UnitStatus(enrolment_id=e.id, unit_ref=spec.ref, status=status, updated_at=now)
            session.add(row)
        row.status, row.updated_at = status, now
        if status == "claimed":
            row.claimed_at = now
        if status == "achieved":
            row.confirmed_by, row.confirmed_at = who.id, now
        else:
            row.confirmed_by, row.confirmed_at = None, None
        session.flush()
        audit.record(session, who, "unit.status", "unit_status", row.id, enrolment_id=e.id,
                     unit_ref=spec.ref, old=old, new=status)
        return row

    return write(session, work)


def unit_statuses(session: Session, enrolment: Enrolment | int) -> dict[str, str]:
    e = _enrolment(session, enrolment)
    rows = session.scalars(select(UnitStatus).where(UnitStatus.enrolment_id == e.id).order_by(UnitStatus.id))
    return {r.unit_ref: r.status for r in rows}


def _refs(session: Session, enrolment: Enrolment | int, *statuses: str) -> list[str]:
    return [ref for ref, status in unit_statuses(session, enrolment).items() if status in statuses]


def achieved_refs(session: Session, enrolment: Enrolment | int) -> list[str]:
    return _refs(session, enrolment, "achieved")


def claimed_refs(session: Session, enrolment: Enrolment | int) -> list[str]:
    return _refs(session, enrolment, "claimed")


def planned_refs(session: Session, enrolment: Enrolment | int) -> list[str]:
    """Units planned or in progress."""
    return _refs(session, enrolment, "planned", "in_progress")
