"""A learner's progress: units by status per enrolment, and what the rules of combination still need."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api import schemas as s
from bot.api.auth import current_person, get_session, learner_for
from bot.api.catalogue_access import get_catalogue, unit_summary
from bot.records.enrolment import enrolments_of
from bot.records.models import UNIT_STATUSES, Person, UnitStatus
from bot.domain.answers.remaining import summary
from bot.domain.planning import unit_specs
from catalogue import rules

router = APIRouter(prefix="/api", tags=["progress"], responses=s.PROBLEMS)


def _enrolment(session: Session, cat, e) -> s.EnrolmentProgress:
    doc = cat.source(e.source_id)
    specs = {spec.ref: spec for spec in unit_specs(cat, e.source_id)}
    rows = session.scalars(select(UnitStatus).where(UnitStatus.enrolment_id == e.id).order_by(UnitStatus.id)).all()
    units: dict[str, list[s.UnitProgress]] = {status: [] for status in reversed(UNIT_STATUSES)}
    for row in rows:
        spec = specs.get(row.unit_ref)
        units[row.status].append(s.UnitProgress(
            ref=row.unit_ref, title=spec.title if spec else "", status=row.status,
            credits=spec.credits if spec else None, claimed_at=row.claimed_at, confirmed_by=row.confirmed_by,
            confirmed_at=row.confirmed_at))
    achieved = [u.ref for u in units["achieved"]]
    result = rules.remaining(cat, e.source_id, achieved)
    report = result.report
    return s.EnrolmentProgress(
        enrolment_id=e.id, source_id=e.source_id, qualification=doc.qualification.title if doc.qualification else doc.short_name,
        assessor_id=e.assessor_id, units=units, complete=report.valid, credits=report.credits,
        min_credits=report.min_credits, shortfall=report.shortfall, credit_name=report.credit_name,
        violations=list(report.violations),
        groups=[s.GroupProgress(id=g.id, label=g.label, met=g.met, counted=g.counted, min_credits=g.min_credits,
                                max_credits=g.max_credits, shortfall=g.shortfall, missing=list(g.missing))
                for g in report.groups],
        suggestions=[s.SuggestionOut(units=[unit_summary(cat, e.source_id, specs[ref]) for ref in sug.units if ref in specs],
                                     credits=sug.credits, glh=sug.glh, total_credits=sug.total_credits)
                     for sug in result.suggestions],
        note=result.note, summary=summary(cat, result))


@router.get("/learners/{learner_id}/progress", response_model=s.ProgressOut)
def progress(learner_id: s.PathId, viewer: Person = Depends(current_person), session: Session = get_session,
             cat=Depends(get_catalogue)):
    """Units by status (achieved, claimed, in progress, planned) and, from the achieved units,
    what the rules of combination still need with the cheapest ways to complete."""
    learner = learner_for(session, viewer, learner_id)
    enrolments = enrolments_of(session, learner)
    return s.ProgressOut(learner_id=learner.id, learner=learner.display_name,
                         enrolments=[_enrolment(session, cat, e) for e in enrolments])
