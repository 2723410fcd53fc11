"""Read one discussion through the records services (and unit titles from the catalogue) into a DiscussionRecord:
every version of every answer and decision, which amendment made a version, and whether each signature
was given to the record as it now stands or to an earlier version of it."""
from __future__ import annotations

import logging
import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from bot.domain.export.record import (
    KIND_LABELS,
    AmendmentEntry,
    AnswerVersion,
    CriterionEntry,
    DecisionVersion,
    DiscussionRecord,
    SignOffEntry,
    UnitEntry,
)
from bot.domain.export.text import utc
from bot.records import catalogue as catalogues
from bot.records import discussion as discussions
from bot.records.models import Discussion, Person, PlannedCriterion
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
        "qualification": q.title if q else (doc.short_name if doc else "Not available: the specification could not be read"),
        "qualification_number": q.number if q else None,
        "awarding_body": q.awarding_body if q else _named_in_text(doc),
        "specification": doc.short_name if doc is not None else None,
    }


_PROVIDED_BY = re.compile(r"\bprovided by (?P<body>[A-Z][\w]*(?:\s+&\s+[A-Z][\w]*|\s+[A-Z][\w]*)*)")


def _named_in_text(doc) -> Optional[str]:
    """A document without a qualification (the C&G unit pool) may still name its awarding body in its
    own text ("assignments provided by City & Guilds", line 4094): that name, with where it is said."""
    for fact in doc.facts if doc is not None else []:
        if m := _PROVIDED_BY.search(fact.text):
            return f"{m.group('body')} (named in the text of the {doc.short_name}, line {fact.citation.line})"
    return None


def _amendment_reasons(rows, amendments, fields: tuple[str, ...]) -> dict[int, str]:
    """Row id -> the reason of the amendment that made it. After sign-off only amendments add
    versions, so a criterion's last N versions of a kind are its N amendments of that kind, in order."""
    made: dict[int, str] = {}
    for r in rows:
        mine = [a for a in amendments if a.field in fields and (a.unit_ref, a.criterion_ref) == (r[0].unit_ref,
                                                                                               r[0].criterion_ref)]
        for version, amendment in zip(r[-len(mine):] if mine else [], mine):
            made[version.id] = amendment.reason
    return made


def _citation(p: PlannedCriterion, unit: Optional[UnitEntry]) -> Optional[str]:
    """The criterion's own place in the specification: "HABC Level 3 Diploma, unit 3, learning outcome 1,
    assessment criterion 1.2 (line 303)" (some specifications print a whole outcome on one line)."""
    if not p.citation:
        return None
    name, _, line = p.citation.rpartition(", line ")
    if not name or not line.isdigit():
        return p.citation
    parts = [name, f"unit {unit.number}" if unit and unit.number else p.unit_ref]
    if p.outcome_ref:
        parts.append(f"{'element' if p.outcome_ref.upper().startswith('E') else 'learning outcome'} {p.outcome_ref}")
    parts.append(f"{KIND_LABELS.get(p.kind, 'criterion')} {p.criterion_ref}")
    return f"{', '.join(parts)} (line {line})"


def _first_change_after(at, changes: list) -> Optional[object]:
    later = [c for c in changes if c is not None and utc(c) > utc(at)]
    return min(later, key=utc) if later else None


def record_of(d: Discussion, session: Optional[Session] = None) -> DiscussionRecord:
    session = session or object_session(d)
    if session is None:
        raise ValueError("record_of needs a discussion attached to a session")
    rows = discussions.criterion_records(session, d)
    signoffs = discussions.sign_offs(session, d)
    amendments = discussions.amendments(session, d)
    answers = {id(r): sorted(r.earlier_answers + ([r.answer] if r.answer else []), key=lambda a: a.version)
               for r in rows}
    decisions = {id(r): sorted(r.earlier_decisions + ([r.decision] if r.decision else []), key=lambda x: x.version)
                 for r in rows}
    ids = {d.learner_id, d.assessor_id} | {s.person_id for s in signoffs} | {a.amended_by for a in amendments}
    for r in rows:
        ids |= {a.recorded_by for a in answers[id(r)]} | {x.decided_by for x in decisions[id(r)]}
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all())

    def name(pid: Optional[int]) -> str:
        return names.get(pid, f"person {pid}") if pid is not None else ""

    answer_why = _amendment_reasons([v for v in answers.values() if v], amendments, ("answer",))
    decision_why = _amendment_reasons([v for v in decisions.values() if v], amendments, ("decision", "reason"))
    units, about = _about(d)
    by_ref = {u.ref: u for u in units}
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
            answer_versions=[AnswerVersion(o.text, o.recorded_at, name(o.recorded_by), o.version, o.question,
                                           answer_why.get(o.id)) for o in answers[id(r)]],
            decision_versions=[DecisionVersion(o.outcome, o.reason, o.decided_at, name(o.decided_by), o.version,
                                               decision_why.get(o.id)) for o in decisions[id(r)]],
            outcome_ref=p.outcome_ref, outcome_text=p.outcome_text, citation=_citation(p, by_ref.get(p.unit_ref)),
            kind=p.kind,
        ))
    # a signature is given to the record as it stood: any later version or amendment changed what was signed
    changes = [a.amended_at for a in amendments] + [v.recorded_at for vs in answers.values() for v in vs] + \
        [v.decided_at for vs in decisions.values() for v in vs]
    signed = []
    for s in signoffs:
        changed = _first_change_after(s.signed_at, changes)
        signed.append(SignOffEntry(s.role, name(s.person_id), s.declaration, s.signed_at, changed is not None, changed,
                                   s.invalidated_at is not None))
    return DiscussionRecord(
        id=d.id, learner=name(d.learner_id), assessor=name(d.assessor_id), source_id=d.source_id,
        units=units, status=d.status, started_at=d.started_at, updated_at=d.updated_at, signed_at=d.signed_at,
        channel=d.channel, location=d.location, criteria=entries, signoffs=signed,
        amendments=[AmendmentEntry(a.criterion_ref, a.field, a.old, a.new, a.reason, name(a.amended_by), a.amended_at,
                                   a.unit_ref) for a in amendments],
        **about,
    )
