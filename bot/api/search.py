"""GET /api/search: units (by reference, number or title) and criteria (by wording)."""
from __future__ import annotations

from typing import Optional

from rapidfuzz import fuzz

from bot.api import schemas as s
from bot.records.planning import resolve_unit, unit_specs
from catalogue.text import compact, words

MIN_SCORE = 70.0


def _sources(cat, source: Optional[str]) -> list[str]:
    return [source] if source else list(cat.sources)


def search(cat, q: str, source: Optional[str], limit: int) -> list[s.SearchHit]:
    hits: dict[tuple[str, str, str], s.SearchHit] = {}

    def add(hit: s.SearchHit) -> None:
        key = (hit.kind, hit.unit_ref or "", hit.ref)
        if key not in hits or hits[key].score < hit.score:
            hits[key] = hit

    wanted = words(q)
    for sid in _sources(cat, source):
        exact = resolve_unit(cat, sid, q)  # "K/506/2155", "206", "unit 305", an exact title
        if exact is not None:
            add(s.SearchHit(kind="unit", ref=exact.ref, title=exact.title, source=sid, score=100.0))
        for spec in unit_specs(cat, sid):
            score = fuzz.token_set_ratio(wanted, words(spec.title))
            if compact(q) == compact(spec.ref):
                score = 100.0
            if score >= MIN_SCORE:
                add(s.SearchHit(kind="unit", ref=spec.ref, title=spec.title, source=sid, score=float(score)))
            for c in spec.criteria:
                score = fuzz.partial_ratio(wanted, words(c.text)) if len(wanted) >= 4 else 0
                if score >= max(MIN_SCORE, 85.0):
                    add(s.SearchHit(kind="criterion", ref=c.ref, title=c.text, source=sid, unit_ref=spec.ref,
                                    score=float(score) - 1))  # a unit match ranks above its own criteria
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.kind != "unit", h.source or "", h.unit_ref or "", h.ref))
    return ranked[:limit]
