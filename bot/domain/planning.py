"""From the catalogue to a discussion plan: which units a qualification holds, and every
criterion of the chosen units (or outcomes) in specification order, with whether the
specification lists professional discussion as evidence for the criterion's outcome.

Every function takes the catalogue as a parameter: any object with `spec(ref, source_id)` and
`units_in(source_id)`, so tests can plan from a small UnitSpec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Protocol

from catalogue.model import Criterion, Outcome, UnitSpec

from bot.domain.errors import NotFound


class CatalogueLike(Protocol):
    sources: dict[str, Any]

    def spec(self, ref: str, source_id: str) -> Optional[UnitSpec]: ...

    def units_in(self, source_id: str) -> Iterable[Any]: ...


def source_name(cat: CatalogueLike, source_id: str) -> str:
    """The source's short name as citations use it ("SFJ Awards Level 2 Diploma"), else its id."""
    doc = cat.sources.get(source_id)
    return getattr(doc, "short_name", None) or source_id


def unit_specs(cat: CatalogueLike, source_id: str) -> list[UnitSpec]:
    """Every unit of a source, as that source (or, failing that, another source) specifies it."""
    specs: list[UnitSpec] = []
    for item in cat.units_in(source_id):
        if isinstance(item, UnitSpec) and item.source == source_id:
            specs.append(item)
            continue
        ref = getattr(item, "ref", item)
        spec = cat.spec(ref, source_id)
        if spec is None and hasattr(item, "spec"):
            spec = item.spec()  # a Unit the qualification lists but specifies elsewhere
        if spec is None and hasattr(cat, "unit"):
            unit = cat.unit(ref)  # type: ignore[attr-defined]
            spec = unit.spec() if unit is not None else None
        if spec is not None:
            specs.append(spec)
    return specs


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z/]", "", text.casefold().replace("unit", ""))


def resolve_unit(cat: CatalogueLike, source_id: str, text: str) -> Optional[UnitSpec]:
    """A unit of the source from its reference ("D/506/2119"), number ("206", "305" or "695"
    for "305/695") or exact title; None if the source has no such unit."""
    wanted = _key(text)
    if not wanted:
        return None
    specs = unit_specs(cat, source_id)
    for spec in specs:
        numbers = [spec.number, *spec.number.split("/")] if spec.number else []
        if wanted == _key(spec.ref) or wanted in {_key(n) for n in numbers}:
            return spec
    for spec in specs:
        if text.strip().casefold() in {t.casefold() for t in [spec.title, *spec.title_variants]}:
            return spec
    return None


def unit_label(spec: UnitSpec) -> str:
    return f"{spec.number} {spec.title}" if spec.number else f"{spec.ref} {spec.title}"


PD = re.compile(r"\bdiscussion\b", re.IGNORECASE)


def pd_listed(outcome: Optional[Outcome]) -> Optional[bool]:
    """True/False: the outcome's evidence list does/doesn't include (professional) discussion;
    None: the specification gives no evidence list for it."""
    if outcome is None or not outcome.evidence:
        return None
    return any(PD.search(item) for item in outcome.evidence)


@dataclass(slots=True)
class PlanItem:
    """One row of a plan, before it is stored as a PlannedCriterion."""

    unit_ref: str
    criterion: Criterion
    outcome: Optional[Outcome]
    pd_listed: Optional[bool]
    citation: str

    @property
    def guidance(self) -> Optional[str]:
        return self.criterion.guidance or (self.outcome.guidance if self.outcome else None)


def _outcome_key(text: str) -> str:
    t = re.sub(r"\s+", "", str(text).casefold())
    t = re.sub(r"^(learningoutcome|outcome|lo|element)", "", t)
    return "k&u" if t in {"k&u", "ku", "knowledge", "knowledgeandunderstanding"} else t


def plan_unit(spec: UnitSpec, outcomes: Optional[list[str]] = None, source_label: Optional[str] = None) -> list[PlanItem]:
    """The criteria of one unit in order: each outcome's (or element's) criteria, then K&U.
    `outcomes` ("1", "LO2", "E1", "K&U") narrows it; an outcome the unit lacks is NotFound."""
    chosen: Optional[set[str]] = None
    if outcomes:
        chosen = {_outcome_key(o) for o in outcomes}
        known = {_outcome_key(o.number) for o in spec.outcomes} | ({"k&u"} if spec.knowledge else set())
        missing = sorted(chosen - known)
        if missing:
            raise NotFound(f"Unit {spec.number or spec.ref} has no outcome {', '.join(missing)}. "
                           f"Its outcomes are: {', '.join(o.number for o in spec.outcomes)}"
                           f"{' and K&U' if spec.knowledge else ''}.")
    label = source_label or spec.source
    items: list[PlanItem] = []
    for outcome in spec.outcomes:
        if chosen is not None and _outcome_key(outcome.number) not in chosen:
            continue
        listed = pd_listed(outcome)
        for criterion in outcome.criteria:
            items.append(PlanItem(spec.ref, criterion, outcome, listed, f"{label}, line {criterion.line}"))
    if chosen is None or "k&u" in chosen:
        for criterion in spec.knowledge:
            items.append(PlanItem(spec.ref, criterion, None, None, f"{label}, line {criterion.line}"))
    return items
