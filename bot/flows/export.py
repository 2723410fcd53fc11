"""Read one discussion through the records services (and unit titles from the catalogue) into a DiscussionRecord."""
from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from bot.domain.export.record import (
    AmendmentEntry,
    AnswerVersion,
    CriterionEntry,
    DiscussionRecord,
    SignOffEntry,
    UnitEntry,
)
from bot.records import catalogue as catalogues
from bot.records import discussion as discussions
from bot.records.models import Discussion, Person
from catalogue.errors import SourceError

log = logging.getLogger(__name__)


def _catalogue():
    try:
        return catalogues.current()
    except SourceError as error:  # the record must still export if a specification text fails to parse
        log.error("record exported without catalogue details: %s", error)
        return None


def _about(d: Discussion) -> tuple[list[UnitEntry], dict]:
    """Unit titles and the qualification's name, number and awarding body."""
    cat = _catalogue()
    doc = cat.sources.get(d.source_id) if cat is not None else None
    units = []
    for ref in d.unit_refs:
        spec = cat.spec(ref, d.source_id) if cat is not None else None
        if spec is None and cat is not None and cat.unit(ref) is not None:
            spec = cat.unit(ref).spec()  # a unit the qualification lists but another source specifies
        units.append(UnitEntry(ref, spec.title if spec else "", spec.number if spec else None))
    q = doc.qualification if doc is not None else None
    return units, {
        "qualification": q.title if q else (doc.short_name if doc else d.source_id),
        "qualification_number": q.number if q else None,
        "awarding_body": q.awarding_body if q else None,
    }


def record_of(d: Discussion, session: Optional[Session] = None) -> DiscussionRecord:
    session = session or object_session(d)
    if session is None:
        raise ValueError("record_of needs a discussion attached to a session")
    rows = discussions.criterion_records(session, d)
    signoffs = discussions.sign_offs(session, d)
    amendments = discussions.amendments(session, d)
    ids = {d.learner_id, d.assessor_id} | {s.person_id for s in signoffs} | {a.amended_by for a in amendments}
    for r in rows:
        ids |= {a.recorded_by for a in ([r.answer] if r.answer else []) + r.earlier_answers}
        ids |= {r.decision.decided_by} if r.decision else set()
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all())

    def name(pid: Optional[int]) -> str:
        return names.get(pid, f"person {pid}") if pid is not None else ""

    entries = []
    for r in rows:
        p, a, x = r.planned, r.answer, r.decision
        entries.append(CriterionEntry(
            unit_ref=p.unit_ref, criterion_ref=p.criterion_ref, criterion_text=p.criterion_text,
            pd_listed=p.pd_listed,
            question=a.question if a else None, answer=a.text if a else None,
            answered_at=a.recorded_at if a else None, answered_by=name(a.recorded_by) if a else None,
            answer_version=a.version if a else None,
            decision=x.outcome if x else None, reason=x.reason if x else None,
            decided_at=x.decided_at if x else None, decided_by=name(x.decided_by) if x else None,
            earlier_answers=[AnswerVersion(o.text, o.recorded_at, name(o.recorded_by), o.version, o.question)
                             for o in sorted(r.earlier_answers, key=lambda o: o.version)],
            outcome_ref=p.outcome_ref, outcome_text=p.outcome_text, citation=p.citation,
        ))
    units, about = _about(d)
    return DiscussionRecord(
        id=d.id, learner=name(d.learner_id), assessor=name(d.assessor_id), source_id=d.source_id,
        units=units, status=d.status, started_at=d.started_at, updated_at=d.updated_at, signed_at=d.signed_at,
        channel=d.channel, criteria=entries,
        signoffs=[SignOffEntry(s.role, name(s.person_id), s.declaration, s.signed_at) for s in signoffs],
        amendments=[AmendmentEntry(a.criterion_ref, a.field, a.old, a.new, a.reason, name(a.amended_by), a.amended_at,
                                   a.unit_ref) for a in amendments],
        **about,
    )
