"""Read one discussion from the records layer (and unit titles from the catalogue) into a DiscussionRecord."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from bot.export.record import (
    AmendmentEntry,
    AnswerVersion,
    CriterionEntry,
    DiscussionRecord,
    SignOffEntry,
    UnitEntry,
)
from bot.records.models import Amendment, Answer, Decision, Discussion, Person, PlannedCriterion, SignOff


def _catalogue():
    try:
        from catalogue import load_catalogue

        return load_catalogue()
    except Exception:  # the record must export even if a specification text fails to parse
        return None


def _units(d: Discussion, cat) -> tuple[list[UnitEntry], dict]:
    doc = None
    if cat is not None:
        doc = cat.sources.get(d.source_id)
    units = []
    for ref in d.unit_refs:
        spec = cat.spec(ref, d.source_id) if cat is not None else None
        units.append(UnitEntry(ref, spec.title if spec else "", spec.number if spec else None))
    q = doc.qualification if doc is not None else None
    about = {
        "qualification": q.title if q else (doc.short_name if doc else d.source_id),
        "qualification_number": q.number if q else None,
        "awarding_body": q.awarding_body if q else None,
    }
    return units, about


def record_of(d: Discussion, session: Optional[Session] = None) -> DiscussionRecord:
    session = session or object_session(d)
    if session is None:
        raise ValueError("record_of needs a discussion attached to a session")

    def rows(model, *order):
        return list(session.scalars(select(model).where(model.discussion_id == d.id).order_by(*order)))

    planned = rows(PlannedCriterion, PlannedCriterion.position)
    answers = rows(Answer, Answer.version, Answer.id)
    decisions = rows(Decision, Decision.version, Decision.id)
    signoffs = rows(SignOff, SignOff.signed_at, SignOff.id)
    amendments = rows(Amendment, Amendment.amended_at, Amendment.id)
    ids = {d.learner_id, d.assessor_id} | {a.recorded_by for a in answers} | {x.decided_by for x in decisions}
    ids |= {s.person_id for s in signoffs} | {a.amended_by for a in amendments}
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all())

    def name(pid: Optional[int]) -> str:
        return names.get(pid, f"person {pid}") if pid is not None else ""

    entries = []
    for p in planned:
        key_of = (p.unit_ref, p.criterion_ref)
        mine = [a for a in answers if (a.unit_ref, a.criterion_ref) == key_of]
        current = next((a for a in reversed(mine) if a.superseded_by is None), None)
        decision = next((x for x in reversed(decisions)
                         if (x.unit_ref, x.criterion_ref) == key_of and x.superseded_by is None), None)
        entries.append(CriterionEntry(
            unit_ref=p.unit_ref, criterion_ref=p.criterion_ref, criterion_text=p.criterion_text,
            pd_listed=p.pd_listed,
            question=current.question if current else None,
            answer=current.text if current else None,
            answered_at=current.recorded_at if current else None,
            answered_by=name(current.recorded_by) if current else None,
            answer_version=current.version if current else None,
            decision=decision.outcome if decision else None,
            reason=decision.reason if decision else None,
            decided_at=decision.decided_at if decision else None,
            decided_by=name(decision.decided_by) if decision else None,
            earlier_answers=[AnswerVersion(a.text, a.recorded_at, name(a.recorded_by), a.version, a.question)
                             for a in mine if a is not current],
            outcome_ref=p.outcome_ref, outcome_text=p.outcome_text, citation=p.citation,
        ))
    units, about = _units(d, _catalogue())
    return DiscussionRecord(
        id=d.id, learner=name(d.learner_id), assessor=name(d.assessor_id), source_id=d.source_id,
        units=units, status=d.status, started_at=d.started_at, updated_at=d.updated_at, signed_at=d.signed_at,
        channel=d.channel, criteria=entries,
        signoffs=[SignOffEntry(s.role, name(s.person_id), s.declaration, s.signed_at) for s in signoffs],
        amendments=[AmendmentEntry(a.criterion_ref, a.field, a.old, a.new, a.reason, name(a.amended_by), a.amended_at)
                    for a in amendments],
        **about,
    )
