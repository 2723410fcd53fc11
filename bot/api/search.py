"""GET /api/search: units and qualifications through catalogue.lookup (the bot's own fuzzy lookup),
plus criteria by wording, which lookup does not offer (it finds criteria by reference only)."""
from __future__ import annotations

from typing import Optional

from rapidfuzz import fuzz

from bot.api import schemas as s
from bot.domain.planning import unit_specs
from catalogue import lookup
from catalogue.text import words

CRITERION_SCORE = 85.0  # partial wording match needed for a criterion hit
QUALIFICATION_SCORE = 50.0  # find_qualification's scale: awarding body + level + kind + name


def _criteria(cat, q: str, source: Optional[str]) -> list[s.SearchHit]:
    wanted = words(q)
    if len(wanted) < 4:
        return []
    hits = []
    for sid in [source] if source else list(cat.sources):
        for spec in unit_specs(cat, sid):
            for c in spec.criteria:
                score = fuzz.partial_ratio(wanted, words(c.text))
                if score >= CRITERION_SCORE:
                    hits.append(s.SearchHit(kind="criterion", ref=c.ref, title=c.text, source=sid,
                                            unit_ref=spec.ref, score=round(float(score), 1)))
    return hits


def search(cat, q: str, source: Optional[str], limit: int) -> s.SearchOut:
    units = lookup.find_unit(cat, q, source, limit)
    hits = [s.SearchHit(kind="unit", ref=m.ref, title=m.title, source=m.source, score=m.score, how=m.how)
            for m in units.results]
    if source is None:
        hits += [s.SearchHit(kind="qualification", ref=m.source, title=m.name, source=m.source, score=min(m.score, 100.0))
                 for m in lookup.find_qualification(cat, q).results if m.score >= QUALIFICATION_SCORE]
    hits += _criteria(cat, q, source)
    def tier(h: s.SearchHit) -> int:  # good unit/qualification matches, then criteria, then weak unit guesses
        return 1 if h.kind == "criterion" else (0 if h.score >= lookup.ACCEPT else 2)

    hits.sort(key=lambda h: (tier(h), -h.score, h.kind != "qualification", h.source or "", h.unit_ref or "", h.ref))
    return s.SearchOut(query=q, ambiguous=units.ambiguous, results=hits[:limit])
