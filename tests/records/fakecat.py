"""A small hand-made catalogue for records tests: the shapes the real one has, none of its size."""
from __future__ import annotations

from dataclasses import dataclass

from catalogue.model import Criterion, Outcome, UnitSpec


def _c(ref: str, text: str, kind: str = "ac", line: int = 0, guidance: str | None = None) -> Criterion:
    return Criterion(ref=ref, text=text, kind=kind, line=line, guidance=guidance)


def unit_206() -> UnitSpec:
    """Like C&G 206: two outcomes, both listing professional discussion."""
    return UnitSpec(
        source="cg-pool", ref="D/506/2119", number="206", title="Communicate verbally with customers",
        level=2, credits=3, glh=14, line=2,
        outcomes=[
            Outcome("1", "Understand how to communicate verbally with customers", "knowledge", [
                _c("1.1", "Explain how to adapt their speech to meet customers’ needs", line=20),
                _c("1.2", "Describe the importance of active listening", line=21),
                _c("1.3", "Identify the features of effective telephone communication", line=22),
            ], line=18, evidence=["professional discussion", "reflective account", "questioning"],
                guidance="Speech: tone, pitch, pace."),
            Outcome("2", "Be able to communicate verbally with customers", "competence", [
                _c("2.1", "Use appropriate language when speaking to customers", line=40),
                _c("2.2", "Adapt their communication to meet customers’ needs", line=41,
                   guidance="In this criterion the learner is required to show how they adapt."),
            ], line=38, evidence=["observation", "witness testimony", "professional discussion"]),
        ])


def unit_226() -> UnitSpec:
    """Like C&G 226 (L/506/1869): outcome 3's evidence list has no professional discussion."""
    return UnitSpec(
        source="cg-pool", ref="L/506/1869", number="226", title="Contribute to the organisation of an event",
        level=2, credits=3, glh=23, line=3474,
        outcomes=[
            Outcome("1", "Understand event organisation", "knowledge", [
                _c("1.1", "Outline the stages of event organisation", line=3490)],
                line=3488, evidence=["professional discussion", "questioning"]),
            Outcome("3", "Be able to support the running of an event", "competence", [
                _c("3.1", "Carry out tasks to support the running of an event", line=3560),
                _c("3.2", "Respond to queries during an event", line=3561)],
                line=3558, evidence=["observation", "witness testimony", "work products"]),
        ])


def unit_svq() -> UnitSpec:
    """Like an SVQ unit: one element of PCs and flat K&U, no evidence lists."""
    return UnitSpec(
        source="svq4", ref="CFACSF5", number="5", title="Build strong customer relationships",
        level=8, credits=9, glh=None, line=900,
        outcomes=[Outcome("E1", "Build relationships", "element", [
            _c("PC1", "agree expectations with customers", "pc", 910),
            _c("PC2", "keep customers informed", "pc", 911)], line=905)],
        knowledge=[_c("K&U1", "how to build rapport with customers", "ku", 930)])


@dataclass
class FakeSource:
    short_name: str


class FakeCatalogue:
    def __init__(self) -> None:
        self.units = {"cg-pool": [unit_206(), unit_226()], "svq4": [unit_svq()]}
        self.names = {"cg-pool": "City & Guilds unit pool", "svq4": "Pearson SVQ Level 4"}

    def spec(self, ref: str, source_id: str) -> UnitSpec | None:
        return next((u for u in self.units.get(source_id, []) if u.ref == ref), None)

    def units_in(self, source_id: str) -> list[UnitSpec]:
        return list(self.units.get(source_id, []))

    @property
    def sources(self) -> dict[str, FakeSource]:
        return {sid: FakeSource(name) for sid, name in self.names.items()}

    def source(self, source_id: str) -> FakeSource:
        return self.sources[source_id]
