"""Catalogue look-ups for any signed-in user: qualifications, units, criteria, search."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, HTTPException, Query

from bot.api import schemas as s
from bot.api.auth import current_person
from bot.api.catalogue_access import find_unit, get_catalogue, qualification_doc, summary_of, unit_summary
from bot.api.search import search as search_catalogue
from bot.domain.planning import pd_listed, source_name, unit_specs
from catalogue.model import Criterion, Outcome, UnitSpec

router = APIRouter(prefix="/api", tags=["catalogue"], dependencies=[Depends(current_person)],
                   responses=s.PROBLEMS)

Source = Annotated[Optional[str], Query(max_length=40, description="a source id, e.g. 'habc-l3'")]


def _criterion(c: Criterion, outcome: Optional[str] = None) -> s.CriterionOut:
    return s.CriterionOut(ref=c.ref, text=c.text, kind=c.kind, outcome=outcome, line=c.line, guidance=c.guidance)


def _outcome(o: Outcome) -> s.OutcomeOut:
    return s.OutcomeOut(number=o.number, text=o.text, kind=o.kind, criteria=[_criterion(c, o.number) for c in o.criteria],
                        evidence=list(o.evidence), professional_discussion_listed=pd_listed(o), guidance=o.guidance,
                        range=o.range, line=o.line)


def _spec(cat, spec: UnitSpec) -> s.UnitSpecOut:
    base = unit_summary(cat, spec.source, spec).model_dump()
    return s.UnitSpecOut(**base, source=spec.source, source_name=source_name(cat, spec.source), line=spec.line,
                         outcomes=[_outcome(o) for o in spec.outcomes],
                         knowledge=[_criterion(c, "K&U") for c in spec.knowledge], aim=spec.aim,
                         assessment_requirements=spec.assessment_requirements, assessment_type=spec.assessment_type,
                         simulation=spec.simulation, notes=list(spec.notes))


def _specs(cat, ref: str, source: Optional[str]) -> list[UnitSpec]:
    unit = find_unit(cat, ref)
    if source is None:
        return list(unit.specs.values())
    if source not in unit.specs:
        raise HTTPException(404, f"Unit {unit.ref} is not specified in source '{source}' "
                                 f"(it is in: {', '.join(unit.specs)}).")
    return [unit.specs[source]]


@router.get("/qualifications", response_model=list[s.QualificationSummary])
def qualifications(cat=Depends(get_catalogue)):
    """Every source a learner can be enrolled on: the qualifications and the City & Guilds unit pool
    (kind "unit pool"). The id is the one to give POST /api/enrolments."""
    return [summary_of(cat, doc) for doc in cat.sources.values()]


@router.get("/qualifications/{qualification_id}", response_model=s.QualificationOut)
def qualification(qualification_id: str, cat=Depends(get_catalogue)):
    doc = qualification_doc(cat, qualification_id)
    q = doc.qualification
    if q is None:  # the unit pool
        return s.QualificationOut(**summary_of(cat, doc).model_dump(), tqt=None, dates={}, grading=None, age=None,
                                  entry=None, aliases=[], rules=None)
    rules = None
    if q.rules is not None:
        r = q.rules
        rules = s.RulesOut(text=r.text, min_credits=r.min_credits, level_credits=r.level_credits,
                           total_units=r.total_units, optional_units=r.optional_units, credit_name=r.credit_name,
                           groups=[s.GroupOut(id=g.id, label=g.label, units=list(g.units), mandatory=g.mandatory,
                                              min_credits=g.min_credits, max_credits=g.max_credits,
                                              min_units=g.min_units, max_units=g.max_units) for g in r.groups],
                           citation=r.citation.label(cat.sources) if r.citation else None)
    return s.QualificationOut(**summary_of(cat, doc).model_dump(), tqt=q.tqt, dates=dict(q.dates), grading=q.grading,
                              age=q.age, entry=q.entry, aliases=list(q.aliases), rules=rules)


@router.get("/qualifications/{qualification_id}/units", response_model=list[s.UnitSummary])
def qualification_units(qualification_id: str, cat=Depends(get_catalogue)):
    doc = qualification_doc(cat, qualification_id)
    return [unit_summary(cat, doc.id, spec) for spec in unit_specs(cat, doc.id)]


# The criteria route comes first: "{ref:path}" would otherwise swallow "/criteria".
@router.get("/units/{ref:path}/criteria", response_model=list[s.UnitCriteriaOut])
def unit_criteria(ref: str, source: Source = None, cat=Depends(get_catalogue)):
    """Every criterion of the unit in order (outcome by outcome, then K&U), per source that specifies it."""
    return [s.UnitCriteriaOut(ref=spec.ref, source=spec.source, title=spec.title,
                              criteria=[_criterion(c, o.number) for o in spec.outcomes for c in o.criteria]
                              + [_criterion(c, "K&U") for c in spec.knowledge])
            for spec in _specs(cat, ref, source)]


@router.get("/units/{ref:path}", response_model=s.UnitOut)
def unit(ref: str, source: Source = None, cat=Depends(get_catalogue)):
    """A unit by reference: "K/506/2155", "k5062155" or URL-encoded "K%2F506%2F2155"; SQA codes as printed."""
    specs = _specs(cat, ref, source)
    found = find_unit(cat, ref)
    return s.UnitOut(ref=found.ref, title=found.title, specs=[_spec(cat, spec) for spec in specs],
                     differences=[s.DifferenceOut(field=d.field, item=d.item, values=d.values, minor=d.minor, note=d.note)
                                  for d in cat.differences_for(found.ref)])


@router.get("/search", response_model=s.SearchOut)
def search(q: Annotated[str, Query(min_length=1, max_length=200, description="words, a unit number or a reference")],
           source: Source = None, limit: Annotated[int, Query(ge=1, le=50)] = 10, cat=Depends(get_catalogue)):
    if not q.strip():
        raise HTTPException(422, "Invalid request: q: type some words to search for.")
    if source is not None:
        qualification_doc(cat, source)
    return search_catalogue(cat, q, source, limit)
