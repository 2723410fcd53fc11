"""The catalogue's data model.

Every parser turns one specification text into one `SourceDocument`. `build.py`
merges the five documents into a `Catalogue`, where one `Unit` (keyed by its
Ofqual URN/UAN or SQA code) carries each source's own view of it, so that
differences between sources are kept and reported rather than resolved.

Text fields hold the source's wording exactly (wrapped lines joined, page junk
removed); matching code normalises quotes and case itself, never the model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact came from: the source id and 1-based line numbers."""

    source: str  # SourceDocument.id, e.g. "sfj-l2"
    line: int
    end_line: Optional[int] = None
    section: Optional[str] = None  # e.g. "4.7 The Expert Witnesses"

    def label(self, sources: dict[str, "SourceDocument"] | None = None) -> str:
        name = sources[self.source].short_name if sources and self.source in sources else self.source
        where = f"line {self.line}" if not self.end_line or self.end_line == self.line else f"lines {self.line}-{self.end_line}"
        return f"{name}, {self.section + ', ' if self.section else ''}{where}"


@dataclass(slots=True)
class Criterion:
    """An assessment criterion (AC), performance criterion (PC) or knowledge statement (K&U)."""

    ref: str  # "2.3" for ACs, "PC5" for performance criteria, "K&U8" for knowledge statements
    text: str  # verbatim
    kind: str  # "ac" | "pc" | "ku"
    line: int
    guidance: Optional[str] = None  # per-criterion guidance where the source keys it by AC (C&G 308/313/314/315)


@dataclass(slots=True)
class Outcome:
    """A learning outcome (LO) with its ACs, or an SVQ element with its PCs."""

    number: str  # "1", "2" ...; for SVQ elements "E1", "E2" ...
    text: str
    kind: str  # "knowledge" | "competence" | "element" | "other"
    criteria: list[Criterion] = field(default_factory=list)
    line: int = 0
    guidance: Optional[str] = None  # assessment guidance text for this outcome
    range: Optional[str] = None  # range statement text, where the source has one
    evidence: list[str] = field(default_factory=list)  # raw "Evidence may be supplied by" items
    evidence_line: Optional[int] = None
    notes: list[str] = field(default_factory=list)  # e.g. "observed with at least three challenging customers"


@dataclass(slots=True)
class UnitSpec:
    """One source's view of a unit."""

    source: str  # SourceDocument.id
    ref: str  # canonical: URN upper-cased ("K/506/2155") or SQA code ("CFACSF5")
    number: Optional[str]  # the source's own unit number: "206", "305/695", "09", "10", "3" (HABC "Unit 3")
    title: str  # as in the unit block
    level: int
    credits: int
    glh: Optional[int]
    line: int  # where the unit block starts
    title_variants: list[str] = field(default_factory=list)  # other spellings in the same source (e.g. the ROC table)
    outcomes: list[Outcome] = field(default_factory=list)
    knowledge: list[Criterion] = field(default_factory=list)  # SVQ K&U statements (flat list per unit)
    aim: Optional[str] = None
    summary: Optional[str] = None
    assessment_requirements: Optional[str] = None  # the "specified by a sector or regulatory body" text
    assessment_type: Optional[str] = None  # C&G "Assessment type: ..."
    notes: list[str] = field(default_factory=list)  # unit-level notes and supporting information
    nos: Optional[str] = None  # relationship to NOS
    terminology: Optional[str] = None
    simulation: Optional[str] = None  # "allowed" | "not allowed" | "not stated", with facts explaining it

    @property
    def criteria(self) -> list[Criterion]:
        return [c for o in self.outcomes for c in o.criteria] + list(self.knowledge)

    def criterion(self, ref: str) -> Optional[Criterion]:
        for c in self.criteria:
            if c.ref == ref:
                return c
        return None

    def outcome_of(self, ref: str) -> Optional[Outcome]:
        for o in self.outcomes:
            if any(c.ref == ref for c in o.criteria):
                return o
        return None


@dataclass(slots=True)
class Group:
    """A group in a rule of combination."""

    id: str  # "A", "B", "M" ...
    label: str  # heading as in the source, e.g. "Optional Group C – minimum 16 credits"
    units: list[str]  # unit refs
    mandatory: bool = False  # every unit must be achieved
    min_credits: Optional[int] = None
    max_credits: Optional[int] = None
    min_units: Optional[int] = None
    max_units: Optional[int] = None
    line: int = 0


@dataclass(slots=True)
class RuleSet:
    """Rules of combination of one qualification."""

    groups: list[Group]
    min_credits: Optional[int] = None  # total
    level_credits: Optional[tuple[int, int]] = None  # (level, credits): at least `credits` at `level` or above
    total_units: Optional[int] = None  # exact number of units (SVQ: 8)
    optional_units: Optional[int] = None  # exact number of units from non-mandatory groups (SVQ: 6)
    text: str = ""  # the rule as stated, verbatim
    citation: Optional[Citation] = None
    credit_name: str = "credits"  # "credits" or "SCQF credit points"
    barred: list[list[str]] = field(default_factory=list)  # unit refs that may not be achieved together (none in the seeds)


@dataclass(slots=True)
class Fact:
    """A qualification-level fact a learner or assessor asks about, with its citation.

    topic is one of a fixed vocabulary (see TOPICS) so the bot can answer
    "what does the spec say about X" and say when a spec is silent on X.
    """

    topic: str
    text: str  # verbatim (or nearly: whitespace joined) from the source
    citation: Citation
    units: list[str] = field(default_factory=list)  # when it applies to specific units only


TOPICS = (
    "simulation",  # simulation and realistic working environment (RWE)
    "expert_witness",
    "witness_testimony",
    "professional_discussion",
    "observation",
    "countersigning",  # trainee assessors' decisions countersigned
    "assessor_requirements",
    "iqa",
    "evidence_currency",
    "language",
    "credit_transfer",
    "exemptions",
    "rpl",
    "appeals",
    "age",
    "entry",
    "progression",
    "grading",
    "status",  # withdrawn, dates
    "assessment_method",
    "reasonable_adjustments",
    "resubmission",
    "centre_requirements",
    "identification",
)


@dataclass(slots=True)
class EvidenceType:
    """An evidence type as one specification names and describes it."""

    key: str  # canonical: "observation", "witness_testimony", "expert_witness", "professional_discussion",
    #          "reflective_account", "questioning", "product", "report", "simulation", "rpl", "other"
    name: str  # as written in the source, e.g. "D – Discussion"
    description: Optional[str]
    citation: Citation


@dataclass(slots=True)
class GlossaryTerm:
    """A command verb or term defined by a specification (NCFE glossary)."""

    term: str
    definition: str
    citation: Citation


@dataclass(slots=True)
class Qualification:
    awarding_body: str
    title: str
    number: Optional[str]  # "601/4310/1"; None where the spec states none (SVQ)
    level: Optional[int]
    framework: Optional[str]  # "QCF", "RQF", "SCQF Level 8" ...
    credits: Optional[int]
    glh: Optional[str]  # a number or a range as stated: "245", "289-375"
    tqt: Optional[int]
    status: Optional[str]  # "withdrawn", "pre-publication draft" ... as stated
    dates: dict[str, str] = field(default_factory=dict)  # "operational_start", "last_registration", "certification_end" ...
    grading: Optional[str] = None
    age: Optional[str] = None
    entry: Optional[str] = None
    rules: Optional[RuleSet] = None
    aliases: list[str] = field(default_factory=list)  # loose names: "level 2 diploma", "SFJ diploma"


@dataclass(slots=True)
class SourceDocument:
    """Everything parsed from one specification file."""

    id: str  # "sfj-l2", "habc-l3", "cg-pool", "ncfe-l1", "svq4"
    short_name: str  # for citations: "SFJ Awards Level 2 Diploma"
    file: str  # file name under catalogue/sources/
    qualification: Optional[Qualification]  # None for the C&G unit pool
    units: list[UnitSpec]
    facts: list[Fact] = field(default_factory=list)
    evidence_types: list[EvidenceType] = field(default_factory=list)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    line_count: int = 0


@dataclass(slots=True)
class Difference:
    """Two sources disagree about the same unit."""

    unit: str
    field: str  # "title" | "level" | "credits" | "glh" | "outcomes" | "criteria" | "outcome_text" | "criterion_text"
    values: dict[str, object]  # source id -> value
    item: Optional[str] = None  # the outcome number or criterion ref, for *_text differences
    minor: bool = False  # wording differs only in case, quotes, hyphenation or trailing punctuation
    note: Optional[str] = None  # for minor ones, which of those: "case, quotes only"


@dataclass(slots=True)
class Unit:
    """A unit across sources."""

    ref: str
    specs: dict[str, UnitSpec]  # source id -> that source's view

    def spec(self, source: Optional[str] = None) -> UnitSpec:
        if source is not None:
            return self.specs[source]
        return next(iter(self.specs.values()))

    @property
    def title(self) -> str:
        return self.spec().title
