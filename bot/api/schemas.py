"""Request and response bodies. Limits match the database columns, so bad input is a 422 here,
never a database error later (PostgreSQL refuses NUL characters and over-long varchars)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Optional

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bot.domain.export.record import DiscussionRecord
from bot.records.models import CHANNELS, ROLES

MAX_ID = 2_147_483_647  # PostgreSQL integer
MAX_TEXT = 20_000  # an answer, reason or declaration: generous, but bounded


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


def text(max_length: int, *, blank: bool = False):
    checks = [AfterValidator(_no_nul)] + ([] if blank else [AfterValidator(_not_blank)])
    return Annotated[str, Field(min_length=0 if blank else 1, max_length=max_length), *checks]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="numeric id")]
Name = text(200)
Ref = text(40)
LongText = text(MAX_TEXT)
Role = Literal[ROLES]  # follows the records layer's roles and channels
Channel = Literal[CHANNELS]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


class Row(BaseModel):
    """A response read from an ORM row."""

    model_config = ConfigDict(from_attributes=True)


# --- catalogue ---------------------------------------------------------------------------


class CriterionOut(BaseModel):
    ref: str
    text: str
    kind: str  # ac | pc | ku
    outcome: Optional[str] = None
    line: int
    guidance: Optional[str] = None


class OutcomeOut(BaseModel):
    number: str
    text: str
    kind: str
    criteria: list[CriterionOut]
    evidence: list[str] = []
    professional_discussion_listed: Optional[bool] = None
    guidance: Optional[str] = None
    range: Optional[str] = None
    line: int = 0


class UnitSummary(BaseModel):
    ref: str
    number: Optional[str]
    title: str
    level: int
    credits: int
    glh: Optional[int]
    group: Optional[str] = None
    mandatory: Optional[bool] = None


class UnitSpecOut(UnitSummary):
    source: str
    source_name: str
    line: int
    outcomes: list[OutcomeOut]
    knowledge: list[CriterionOut]
    aim: Optional[str] = None
    assessment_requirements: Optional[str] = None
    assessment_type: Optional[str] = None
    simulation: Optional[str] = None
    notes: list[str] = []


class DifferenceOut(BaseModel):
    field: str
    item: Optional[str] = None
    values: dict[str, object]
    minor: bool = False
    note: Optional[str] = None


class UnitOut(BaseModel):
    ref: str
    title: str
    specs: list[UnitSpecOut]
    differences: list[DifferenceOut]


class UnitCriteriaOut(BaseModel):
    ref: str
    source: str
    title: str
    criteria: list[CriterionOut]


class GroupOut(BaseModel):
    id: str
    label: str
    units: list[str]
    mandatory: bool
    min_credits: Optional[int]
    max_credits: Optional[int]
    min_units: Optional[int]
    max_units: Optional[int]


class RulesOut(BaseModel):
    text: str
    min_credits: Optional[int]
    level_credits: Optional[tuple[int, int]]
    total_units: Optional[int]
    optional_units: Optional[int]
    credit_name: str
    groups: list[GroupOut]
    citation: Optional[str]


class QualificationSummary(BaseModel):
    id: str  # the catalogue source id, e.g. "habc-l3"; enrol learners with it
    kind: Literal["qualification", "unit pool"]  # a unit pool (City & Guilds) has units but no rules of combination
    title: str
    awarding_body: Optional[str]  # None where the source does not state one (the unit pool)
    number: Optional[str]
    level: Optional[int]
    framework: Optional[str]
    credits: Optional[int]
    glh: Optional[str]
    status: Optional[str]
    units: int


class CatalogueImportOut(BaseModel):
    source_id: str
    version: int  # the imported version now served (0: the seed, never imported)
    units: int
    criteria: int
    changed: bool  # False: the same document was already served, nothing added


class CatalogueVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: str
    version: int
    sha256: str
    filename: Optional[str]
    imported_by: Optional[int]
    imported_at: datetime


class QualificationOut(QualificationSummary):
    tqt: Optional[int]
    dates: dict[str, str]
    grading: Optional[str]
    age: Optional[str]
    entry: Optional[str]
    aliases: list[str]
    rules: Optional[RulesOut]


class SearchHit(BaseModel):
    kind: str  # unit | criterion | qualification
    ref: str
    title: str
    source: Optional[str] = None
    unit_ref: Optional[str] = None
    score: float  # 0-100
    how: Optional[str] = None  # for units: matched by "ref", "number", "title" or "initials"


class SearchOut(BaseModel):
    query: str
    ambiguous: bool = Field(False, description="several units match about equally: ask which one is meant")
    results: list[SearchHit]


# --- progress ----------------------------------------------------------------------------


class UnitProgress(BaseModel):
    ref: str
    title: str
    status: str
    credits: Optional[int] = None
    claimed_at: Optional[datetime] = None
    confirmed_by: Optional[int] = None
    confirmed_at: Optional[datetime] = None


class GroupProgress(BaseModel):
    id: str
    label: str
    met: bool
    counted: int
    min_credits: Optional[int]
    max_credits: Optional[int]
    shortfall: int
    missing: list[str]


class SuggestionOut(BaseModel):
    units: list[UnitSummary]
    credits: int
    glh: Optional[int]
    total_credits: int


class EnrolmentProgress(BaseModel):
    enrolment_id: int
    source_id: str
    qualification: str
    assessor_id: Optional[int]
    units: dict[str, list[UnitProgress]]  # status -> units
    complete: bool
    credits: int
    min_credits: Optional[int]
    shortfall: int
    credit_name: str
    violations: list[str]
    groups: list[GroupProgress]
    suggestions: list[SuggestionOut]
    note: Optional[str]
    summary: str  # the rules engine's plain-English report


class ProgressOut(BaseModel):
    learner_id: int
    learner: str
    enrolments: list[EnrolmentProgress]


# --- people and enrolments ---------------------------------------------------------------


class IdentityOut(Row):
    channel: str
    external_id: str


class PersonOut(Row):
    id: int
    display_name: str
    role: str
    created_at: datetime
    identities: list[IdentityOut] = []


class PersonIn(Body):
    display_name: Name
    role: Role = "learner"
    identities: list["IdentityIn"] = []


class RoleIn(Body):
    role: Role


class IdentityIn(Body):
    channel: Channel
    external_id: Name


class LinkIn(IdentityIn):
    move: bool = Field(False, description="move the account from the person it is linked to now (audited)")


class RenameIn(Body):
    display_name: Name


class TokenIn(Body):
    days: Optional[Annotated[int, Field(ge=1, le=3650)]] = Field(
        default=None, description="how long the token stays valid; default the API_TOKEN_DAYS setting (90)")


class TokenInfo(Row):
    id: int
    person_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: Optional[datetime]
    label: Optional[str] = Field(description='where it came from, e.g. "API_ADMIN_TOKEN"')


class TokenOut(TokenInfo):
    token: str = Field(description="shown once; only its SHA-256 hash is stored")


class EnrolmentIn(Body):
    learner_id: Id
    source_id: text(40)
    assessor_id: Optional[Id] = None


class EnrolmentOut(Row):
    id: int
    learner_id: int
    source_id: str
    assessor_id: Optional[int]
    created_at: datetime


# --- discussions -------------------------------------------------------------------------


class DiscussionIn(Body):
    learner_id: Id
    source_id: text(40)
    unit_refs: list[Ref] = Field(min_length=1, max_length=20)
    outcomes: Optional[list[text(20)]] = Field(default=None, max_length=50)
    assessor_id: Optional[Id] = Field(default=None, description="admins only: the assessor running it")
    channel: Optional[Channel] = "rest"
    location: Optional[text(200)] = None


class AnswerIn(Body):
    criterion_ref: text(20)
    unit_ref: Optional[Ref] = None
    text: LongText
    question: Optional[LongText] = None
    client_msg_id: Optional[Name] = Field(default=None, description="repeat a request with the same id: recorded once")


class DecisionIn(Body):
    criterion_ref: text(20)
    unit_ref: Optional[Ref] = None
    outcome: Literal["met", "not_yet_met", "skipped"]
    reason: Optional[LongText] = Field(default=None, description="required for not_yet_met")
    client_msg_id: Optional[Name] = None


class SignOffIn(Body):
    role: Literal["assessor", "learner", "iqa"] = Field(
        description="sign as this discussion's assessor, then its learner, then (optionally) as an IQA")
    declaration: Optional[LongText] = Field(default=None, description="defaults to the standard declaration")


class AmendmentIn(Body):
    criterion_ref: text(20)
    unit_ref: Optional[Ref] = None
    field: Literal["answer", "decision", "reason"]
    new: LongText
    reason: LongText
    client_msg_id: Optional[Name] = Field(default=None, description="repeat a request with the same id: amended once "
                                          "(or send the header Idempotency-Key)")


class DiscussionSummary(BaseModel):
    id: int
    learner_id: int
    learner: str
    assessor_id: int
    assessor: str
    source_id: str
    unit_refs: list[str]
    status: str
    started_at: datetime
    updated_at: datetime
    signed_at: Optional[datetime]


class Coverage(BaseModel):
    met: list[str]
    not_yet_met: list[str]
    not_covered: list[str]


class DiscussionOut(DiscussionSummary):
    current_ref: Optional[str]
    coverage: Coverage
    record: DiscussionRecord


class AnswerOut(Row):
    id: int
    discussion_id: int
    unit_ref: str
    criterion_ref: str
    question: Optional[str]
    text: str
    version: int
    recorded_by: int
    recorded_at: datetime


class DecisionOut(Row):
    id: int
    discussion_id: int
    unit_ref: str
    criterion_ref: str
    outcome: str
    reason: Optional[str]
    version: int
    decided_by: int
    decided_at: datetime


class SignOffOut(Row):
    id: int
    discussion_id: int
    person_id: int
    role: str
    declaration: str
    signed_at: datetime
    invalidated_at: Optional[datetime] = Field(default=None, description="when an amendment made it no longer hold")


class AmendmentOut(Row):
    id: int
    discussion_id: int
    unit_ref: Optional[str]
    criterion_ref: Optional[str]
    field: str
    old: Optional[str]
    new: Optional[str]
    reason: str
    amended_by: int
    amended_at: datetime
    signatures_undone: list[str] = Field(default_factory=list,
                                         description="roles whose signatures this amendment made no longer hold")
    note: Optional[str] = Field(default=None, description="what the amendment did to those signatures, in a sentence")


class Problem(BaseModel):
    """Every error body: `detail` is a sentence to show to the person."""

    detail: str
    errors: Optional[list[dict]] = None


# Every status an API route can answer with besides its success, documented once for all routers
# (bot/api/errors.py makes each of them a Problem body).
PROBLEMS: dict = {status: {"model": Problem, "description": text} for status, text in (
    (400, "The request could not be read (for example a body that is not JSON or form data)"),
    (401, "No valid bearer token"),
    (403, "The token's person may not do this"),
    (404, "No such record or catalogue entry"),
    (409, "The record's state does not allow this (for example a signed discussion)"),
    (422, "A parameter or a body field is invalid; `errors` lists which"),
    (503, "The database is not available right now"),
)}


PersonIn.model_rebuild()
