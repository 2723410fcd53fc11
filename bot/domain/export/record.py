"""A discussion record as plain data: what every export format renders.

`record_of(discussion)` reads the records layer and the catalogue once; the renderers
(pdf.py, tabular.py) only see this structure, so their layout is testable without a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

AUTHENTICITY_STATEMENT = (
    "This record was made during a professional discussion between the assessor and the learner named above. "
    "Each answer is recorded as the learner gave it, with the time it was recorded and who recorded it; "
    "each decision is the assessor's, with the reason given. Changes made before sign-off are kept as earlier "
    "versions; changes after sign-off are listed as amendments with their reasons, and a signature given "
    "before a later change is marked as given to an earlier version of the record. By signing, the learner "
    "confirms the answers are their own and the assessor confirms the decisions are theirs and that the "
    "evidence is valid, authentic, current and sufficient for the criteria marked met."
)


@dataclass(slots=True)
class AnswerVersion:
    """One version of a learner's answer, as recorded."""

    text: str
    recorded_at: datetime
    recorded_by: str
    version: int
    question: Optional[str] = None
    amendment_reason: Optional[str] = None  # why, when an amendment after sign-off made this version


@dataclass(slots=True)
class DecisionVersion:
    """One version of the assessor's decision on a criterion; `reason` is the decision's own why."""

    outcome: str  # met | not_yet_met | skipped
    reason: Optional[str]
    decided_at: datetime
    decided_by: str
    version: int
    amendment_reason: Optional[str] = None  # why, when an amendment after sign-off made this version


@dataclass(slots=True)
class CriterionEntry:
    unit_ref: str
    criterion_ref: str
    criterion_text: str
    # True: professional discussion is in the spec's evidence list for the outcome; False: a list exists
    # without it; None: the specification gives no evidence list
    pd_listed: Optional[bool] = None
    question: Optional[str] = None
    answer: Optional[str] = None
    answered_at: Optional[datetime] = None
    answered_by: Optional[str] = None
    answer_version: Optional[int] = None
    decision: Optional[str] = None  # met | not_yet_met | skipped
    reason: Optional[str] = None
    decided_at: Optional[datetime] = None
    decided_by: Optional[str] = None
    # every version, oldest first; the last one is the current answer/decision above
    answer_versions: list[AnswerVersion] = field(default_factory=list)
    decision_versions: list[DecisionVersion] = field(default_factory=list)
    outcome_ref: Optional[str] = None
    outcome_text: Optional[str] = None
    # where the criterion text comes from, its own place in the specification:
    # "HABC Level 3 Diploma, unit 3, learning outcome 1, assessment criterion 1.2 (line 303)"
    citation: Optional[str] = None
    kind: Optional[str] = None  # ac | pc | ku

    @property
    def earlier_answers(self) -> list[AnswerVersion]:
        return self.answer_versions[:-1]

    @property
    def earlier_decisions(self) -> list[DecisionVersion]:
        return self.decision_versions[:-1]


@dataclass(slots=True)
class SignOffEntry:
    role: str  # assessor | learner | iqa
    name: str
    declaration: str
    signed_at: datetime
    # the record changed after this signature (an amendment, or any new version): it was given to an
    # earlier version of the record, and `record_changed_at` is the first change after it
    given_to_earlier_version: bool = False
    record_changed_at: Optional[datetime] = None
    no_longer_holds: bool = False  # an amendment after it undid it (the learner's, an IQA's)


@dataclass(slots=True)
class AmendmentEntry:
    criterion_ref: Optional[str]
    field: str
    old: Optional[str]
    new: Optional[str]
    reason: str
    by: str
    at: datetime
    unit_ref: Optional[str] = None

    def applies_to(self, c: "CriterionEntry") -> bool:
        """Whether this amendment changed that criterion (a record-wide one applies to none)."""
        return self.criterion_ref == c.criterion_ref and self.unit_ref in (None, c.unit_ref)


@dataclass(slots=True)
class UnitEntry:
    ref: str
    title: str
    number: Optional[str] = None  # the specification's own unit number


@dataclass(slots=True)
class DiscussionRecord:
    id: int
    learner: str
    assessor: str
    source_id: str
    qualification: str  # title as the specification states it
    qualification_number: Optional[str]
    awarding_body: Optional[str]
    units: list[UnitEntry]
    status: str
    started_at: datetime
    updated_at: Optional[datetime] = None
    signed_at: Optional[datetime] = None
    channel: Optional[str] = None
    location: Optional[str] = None
    specification: Optional[str] = None  # the specification's name as citations give it ("HABC Level 3 Diploma")
    criteria: list[CriterionEntry] = field(default_factory=list)
    signoffs: list[SignOffEntry] = field(default_factory=list)
    amendments: list[AmendmentEntry] = field(default_factory=list)
    authenticity: str = AUTHENTICITY_STATEMENT

    def unit_title(self, ref: str) -> str:
        return next((u.title for u in self.units if u.ref == ref), "")


DECISION_LABELS = {"met": "Met", "not_yet_met": "Not yet met", "skipped": "Skipped"}
STATUS_LABELS = {"open": "In progress", "paused": "Paused", "finished": "Finished, not yet signed off",
                 "signed": "Signed off"}
ROLE_LABELS = {"assessor": "Assessor", "learner": "Learner", "iqa": "Internal quality assurer"}
FIELD_LABELS = {"answer": "Answer", "decision": "Decision", "reason": "Reason for the decision"}
KIND_LABELS = {"ac": "assessment criterion", "pc": "performance criterion", "ku": "knowledge and understanding"}
CHANNEL_LABELS = {"web": "Web chat", "slack": "Slack", "teams": "Microsoft Teams",
                  "rest": "Another program, through the assistant's API"}


def decision_label(outcome: Optional[str]) -> str:
    return DECISION_LABELS.get(outcome or "", outcome or "") if outcome else "No decision"


def label(labels: dict[str, str], value: Optional[str]) -> str:
    """A stored value in the words a reader expects (the value itself if it has no label)."""
    return labels.get(value or "", value or "")

