"""Build the catalogue: parse the five sources, merge units by reference, report differences.

A unit that appears in several sources keeps every source's view (`Unit.specs`);
where they disagree a `Difference` is recorded and nothing is silently chosen.
Any `SourceError` propagates: a partial catalogue is never returned.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from catalogue.model import Difference, Fact, Group, SourceDocument, Unit, UnitSpec
from catalogue.parsers import SOURCES, SOURCES_DIR, parse_source
from catalogue.text import minor_kinds, squash

# What each text states or implies about itself (source notes §2/§3): units, outcomes
# (SVQ: elements), criteria (SVQ: PCs + K&U statements) and evidence lists. `check`
# compares the parsed catalogue with these.
EXPECTED_COUNTS: dict[str, dict[str, int]] = {
    "sfj-l2": {"units": 39, "outcomes": 109, "criteria": 535, "evidence_lists": 0},
    "habc-l3": {"units": 45, "outcomes": 130, "criteria": 617, "evidence_lists": 0},
    "cg-pool": {"units": 45, "outcomes": 130, "criteria": 617, "evidence_lists": 103},
    "ncfe-l1": {"units": 18, "outcomes": 49, "criteria": 251, "evidence_lists": 0},
    "svq4": {"units": 19, "outcomes": 44, "criteria": 425, "evidence_lists": 0},
}


class Catalogue:
    """The five sources merged. Read-only after construction."""

    def __init__(self, sources: dict[str, SourceDocument]):
        self.sources: dict[str, SourceDocument] = dict(sources)
        self.units: dict[str, Unit] = {}
        for doc in self.sources.values():
            for spec in doc.units:
                unit = self.units.setdefault(spec.ref, Unit(ref=spec.ref, specs={}))
                if doc.id in unit.specs:
                    raise ValueError(f"{doc.file}:{spec.line}: unit {spec.ref} appears twice in {doc.id}")
                unit.specs[doc.id] = spec
        self.differences: list[Difference] = [d for ref in self.units for d in unit_differences(self.units[ref])]
        self._by_unit: dict[str, list[Difference]] = {}
        for d in self.differences:
            self._by_unit.setdefault(d.unit, []).append(d)
        self._groups: dict[tuple[str, str], Group] = {}
        for doc in self.qualifications():
            for group in doc.qualification.rules.groups if doc.qualification.rules else []:
                for ref in group.units:
                    self._groups[(doc.id, ref)] = group
        # Derived indexes (lookup tables, compiled rules) that other modules build lazily.
        self.cache: dict[str, object] = {}

    def qualifications(self) -> list[SourceDocument]:
        return [d for d in self.sources.values() if d.qualification is not None]

    def source(self, source_id: str) -> SourceDocument:
        try:
            return self.sources[source_id]
        except KeyError:
            raise KeyError(f"unknown source {source_id!r} (known: {', '.join(self.sources)})") from None

    def unit(self, ref: str) -> Optional[Unit]:
        return self.units.get(ref)

    def spec(self, ref: str, source_id: str) -> Optional[UnitSpec]:
        unit = self.units.get(ref)
        return unit.specs.get(source_id) if unit else None

    def units_in(self, source_id: str) -> list[UnitSpec]:
        return list(self.source(source_id).units)

    def group_of(self, source_id: str, ref: str) -> Optional[Group]:
        return self._groups.get((source_id, ref))

    def facts(self, source_id: Optional[str] = None, topic: Optional[str] = None) -> list[Fact]:
        docs = [self.source(source_id)] if source_id else self.sources.values()
        return [f for d in docs for f in d.facts if topic is None or f.topic == topic]

    def differences_for(self, ref: str) -> list[Difference]:
        return list(self._by_unit.get(ref, ()))

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for doc in self.sources.values():
            outcomes = [o for u in doc.units for o in u.outcomes]
            out[doc.id] = {
                "units": len(doc.units),
                "outcomes": len(outcomes),
                "criteria": sum(len(u.criteria) for u in doc.units),
                "evidence_lists": sum(1 for o in outcomes if o.evidence or o.evidence_line is not None),
            }
        return out


def build(sources_dir: Optional[Path | str] = None) -> Catalogue:
    """Parse every source (in registry order) and merge them. Raises SourceError on any parse failure."""
    directory = Path(sources_dir) if sources_dir is not None else SOURCES_DIR
    return Catalogue({sid: parse_source(sid, directory) for sid in SOURCES})


# --- differences -------------------------------------------------------------------------


def _text_difference(ref: str, field: str, values: dict[str, str], item: Optional[str] = None) -> Optional[Difference]:
    """One Difference if the wordings are not all equal (whitespace aside); marked minor when
    every pair differs only in case, quotes, hyphenation or trailing punctuation."""
    items = list(values.items())
    kinds: set[str] = set()
    minor = True
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            k = minor_kinds(items[i][1], items[j][1])
            if k is None:
                minor = False
            else:
                kinds.update(k)
    if minor and not kinds:
        return None
    note = None if not minor else ", ".join(sorted(kinds)) + " only"
    return Difference(unit=ref, field=field, values=dict(values), item=item, minor=minor, note=note)


def _value_difference(ref: str, field: str, values: dict[str, object]) -> Optional[Difference]:
    stated = {k: v for k, v in values.items() if v is not None}  # "not stated" is not a disagreement
    return Difference(unit=ref, field=field, values=stated) if len(set(stated.values())) > 1 else None


def unit_differences(unit: Unit) -> Iterable[Difference]:
    specs = unit.specs
    if len(specs) < 2:
        return []
    ref = unit.ref
    found = [
        _text_difference(ref, "title", {s: u.title for s, u in specs.items()}),
        _value_difference(ref, "level", {s: u.level for s, u in specs.items()}),
        _value_difference(ref, "credits", {s: u.credits for s, u in specs.items()}),
        _value_difference(ref, "glh", {s: u.glh for s, u in specs.items()}),
        _value_difference(ref, "outcomes", {s: len(u.outcomes) for s, u in specs.items()}),
        _value_difference(ref, "criteria", {s: len(u.criteria) for s, u in specs.items()}),
    ]
    # Outcome and criterion wording, matched by number / reference.
    for field, items in (("outcome_text", {s: {o.number: o.text for o in u.outcomes} for s, u in specs.items()}),
                         ("criterion_text", {s: {c.ref: c.text for c in u.criteria} for s, u in specs.items()})):
        for key in dict.fromkeys(k for texts in items.values() for k in texts):
            texts = {s: t[key] for s, t in items.items() if key in t}
            if len(texts) > 1:
                found.append(_text_difference(ref, field, texts, item=key))
    return [d for d in found if d is not None]


def describe_difference(d: Difference, sources: Optional[dict[str, SourceDocument]] = None) -> str:
    """One line: "K/506/2978 glh: sfj-l2 22 | cg-pool 24" (minor ones marked)."""
    what = d.field.replace("_", " ") + (f" {d.item}" if d.item else "")
    vals = " | ".join(f"{s}: {squash(str(v))!r}" if isinstance(v, str) else f"{s}: {v}" for s, v in d.values.items())
    mark = f" [minor: {d.note}]" if d.minor else ""
    return f"{d.unit} {what}{mark}: {vals}"
