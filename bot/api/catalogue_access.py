"""The catalogue as the API sees it: loaded once, units found by loose references, summaries."""
from __future__ import annotations

from fastapi import HTTPException, Request

from bot.api import schemas as s
from bot.records import catalogue as catalogues
from catalogue.errors import SourceError
from catalogue.model import SourceDocument, Unit, UnitSpec
from catalogue.text import compact


def get_catalogue(request: Request):
    """The current catalogue (with every import so far, by any process); 503 (not 500) if a
    specification text cannot be parsed."""
    try:
        return catalogues.current(request.app.state.settings.database_url)
    except SourceError as error:  # names the file and line; nothing else is cached
        raise HTTPException(503, f"The qualification catalogue is not available: {error}") from error


def find_unit(cat, ref: str) -> Unit:
    """A unit by reference as typed: "K/506/2155", "k5062155", " K/506/2155 ", "CFACSF5"."""
    unit = cat.unit(ref.strip())
    if unit is None:
        index = cat.cache.get("api.units_by_compact")
        if index is None:
            index = cat.cache["api.units_by_compact"] = {compact(r): r for r in cat.units}
        found = index.get(compact(ref))
        unit = cat.unit(found) if found else None
    if unit is None:
        raise HTTPException(404, f"No unit with reference '{ref}' in the catalogue. "
                                 "Use an Ofqual unit reference such as K/506/2155, or search with /api/search?q=.")
    return unit


def qualification_doc(cat, qualification_id: str) -> SourceDocument:
    """A qualification or the unit pool (every source learners can be enrolled on), by source id."""
    doc = cat.sources.get(qualification_id)
    if doc is None:
        raise HTTPException(404, f"No qualification '{qualification_id}'. Known: {', '.join(cat.sources)}.")
    return doc


def summary_of(cat, doc: SourceDocument) -> s.QualificationSummary:
    q = doc.qualification
    units = len(cat.units_in(doc.id))
    if q is None:  # the City & Guilds unit pool: units only, no qualification facts to state
        return s.QualificationSummary(id=doc.id, kind="unit pool", title=doc.short_name, awarding_body=None,
                                      number=None, level=None, framework=None, credits=None, glh=None, status=None,
                                      units=units)
    return s.QualificationSummary(id=doc.id, kind="qualification", title=q.title, awarding_body=q.awarding_body,
                                  number=q.number, level=q.level, framework=q.framework, credits=q.credits, glh=q.glh,
                                  status=q.status, units=units)


def unit_summary(cat, source_id: str, spec: UnitSpec) -> s.UnitSummary:
    group = cat.group_of(source_id, spec.ref)
    return s.UnitSummary(ref=spec.ref, number=spec.number, title=spec.title, level=spec.level, credits=spec.credits,
                         glh=spec.glh, group=group.id if group else None, mandatory=group.mandatory if group else None)
