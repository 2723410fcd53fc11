"""ORM models (SQLAlchemy 2, typed). The schema is created by the Alembic migrations only;
tests/records/test_schema.py checks that these models and the migrated schema agree.

History is never overwritten: a changed answer or decision is a new row with version+1, and
the old row points at it through superseded_by. Rows with superseded_by NULL are current.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# iqa: an internal quality assurer or lead assessor, who reads across assessors and changes nothing
ROLES = ("learner", "assessor", "iqa", "admin")
CHANNELS = ("slack", "teams", "web", "rest")
UNIT_STATUSES = ("planned", "in_progress", "claimed", "achieved")
DISCUSSION_STATUSES = ("open", "paused", "finished", "signed")
OUTCOMES = ("met", "not_yet_met", "skipped")
SIGN_ROLES = ("assessor", "learner", "iqa")  # the order they sign in (bot/records/access.py)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, on SQLite (which drops the zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the records layer; use UTC-aware datetimes")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Person({self.id}, {self.display_name!r}, {self.role})"


class Identity(Base):
    """One chat or API account of a person (Slack user id, Teams id, web session, REST client)."""

    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_identities_channel_external_id"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))


class ApiToken(Base):
    """A bearer token for the REST API, stored only as its SHA-256 hex digest. Valid until
    expires_at (API_TOKEN_DAYS after issue) unless revoked first."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[Optional[datetime]]
    label: Mapped[Optional[str]] = mapped_column(String(40))  # where it came from, e.g. "API_ADMIN_TOKEN"


class Enrolment(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("learner_id", "source_id", name="uq_enrolments_learner_id_source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(40))  # catalogue source id, e.g. "habc-l3"
    assessor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """An assessor assigned to a learner, by an admin: what an assessor may reach (bot/records/access.py)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("assessor_id", "learner_id", name="uq_assignments_assessor_id_learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    assigned_by: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitStatus(Base):
    """A learner's progress on one unit. claimed = the learner says done; achieved = an assessor confirmed."""

    __tablename__ = "unit_statuses"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "unit_ref", name="uq_unit_statuses_enrolment_id_unit_ref"),
        CheckConstraint(_in("status", UNIT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    unit_ref: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    claimed_at: Mapped[Optional[datetime]]
    confirmed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[Optional[datetime]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only: the services only insert; database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[Optional[str]] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Discussion(Base):
    __tablename__ = "discussions"
    __table_args__ = (CheckConstraint(_in("status", DISCUSSION_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(40))
    unit_refs: Mapped[list[Any]]  # canonical unit refs, in the order planned
    outcomes: Mapped[Optional[list[Any]]]  # outcome numbers chosen, or NULL for whole units
    status: Mapped[str] = mapped_column(String(20), default="open")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # where the conversation stands: set by goto/back and moved on by decisions
    current_unit: Mapped[Optional[str]] = mapped_column(String(40))
    current_ref: Mapped[Optional[str]] = mapped_column(String(20))
    # what the turn interpreter waits for next (a reason, a changed answer, a confirmation)
    pending: Mapped[Optional[dict[str, Any]]]
    channel: Mapped[Optional[str]] = mapped_column(String(20))
    location: Mapped[Optional[str]] = mapped_column(String(200))
    finished_at: Mapped[Optional[datetime]]
    signed_at: Mapped[Optional[datetime]]


class PlannedCriterion(Base):
    """A criterion the discussion will cover, with the specification's words copied at planning time."""

    __tablename__ = "planned_criteria"
    __table_args__ = (
        UniqueConstraint("discussion_id", "unit_ref", "criterion_ref", name="uq_planned_criteria_discussion_unit_criterion"),
        UniqueConstraint("discussion_id", "position", name="uq_planned_criteria_discussion_id_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    unit_ref: Mapped[str] = mapped_column(String(40))
    criterion_ref: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(4))  # ac | pc | ku
    criterion_text: Mapped[str] = mapped_column(Text)
    outcome_ref: Mapped[Optional[str]] = mapped_column(String(20))  # "1", "E1"; NULL for K&U
    outcome_text: Mapped[Optional[str]] = mapped_column(Text)
    # True: PD is in the outcome's evidence list; False: the list exists without PD; NULL: the spec has no list
    pd_listed: Mapped[Optional[bool]] = mapped_column(Boolean)
    evidence: Mapped[Optional[list[Any]]]  # the outcome's evidence list as written, where there is one
    guidance: Mapped[Optional[str]] = mapped_column(Text)
    citation: Mapped[Optional[str]] = mapped_column(String(200))  # e.g. "City & Guilds unit pool, line 34"


class Answer(Base):
    """What the learner said (or the assessor noted) for a criterion. Current version: superseded_by NULL."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("discussion_id", "client_msg_id", name="uq_answers_discussion_id_client_msg_id"),
        UniqueConstraint("discussion_id", "unit_ref", "criterion_ref", "version", name="uq_answers_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    unit_ref: Mapped[str] = mapped_column(String(40))
    criterion_ref: Mapped[str] = mapped_column(String(20))
    question: Mapped[Optional[str]] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("answers.id"))
    client_msg_id: Mapped[Optional[str]] = mapped_column(String(200))
    # the amendment that made this version; on a signed record the database refuses a version without one
    amendment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("amendments.id"))


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("discussion_id", "client_msg_id", name="uq_decisions_discussion_id_client_msg_id"),
        UniqueConstraint("discussion_id", "unit_ref", "criterion_ref", "version", name="uq_decisions_version"),
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    unit_ref: Mapped[str] = mapped_column(String(40))
    criterion_ref: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("decisions.id"))
    client_msg_id: Mapped[Optional[str]] = mapped_column(String(200))
    amendment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("amendments.id"))  # as on Answer


class SignOff(Base):
    """A signature. One per role holds at a time: an amendment after the learner's confirmation (or the
    IQA's signature) marks it as no longer holding (invalidated_*), and it can be given again."""

    __tablename__ = "sign_offs"
    __table_args__ = (
        Index("uq_sign_offs_discussion_id_role_holding", "discussion_id", "role", unique=True,
              sqlite_where=text("invalidated_at IS NULL"), postgresql_where=text("invalidated_at IS NULL")),
        CheckConstraint(_in("role", SIGN_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(20))
    declaration: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("people.id"))  # who typed it (the assessor, for a learner present)
    invalidated_at: Mapped[Optional[datetime]]
    invalidated_by: Mapped[Optional[int]] = mapped_column(ForeignKey("amendments.id"))  # the amendment that undid it


class Amendment(Base):
    """A change to a signed record, with its reason. The changed answer/decision is also a new version."""

    __tablename__ = "amendments"
    __table_args__ = (
        UniqueConstraint("discussion_id", "client_msg_id", name="uq_amendments_discussion_id_client_msg_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    unit_ref: Mapped[Optional[str]] = mapped_column(String(40))
    criterion_ref: Mapped[Optional[str]] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(20))  # answer | decision | reason
    old: Mapped[Optional[str]] = mapped_column(Text)
    new: Mapped[Optional[str]] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    amended_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    amended_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_msg_id: Mapped[Optional[str]] = mapped_column(String(200))  # Idempotency-Key: a retried POST amends once


class Turn(Base):
    """One assessor message handled by the turn interpreter, keyed by the channel's message id,
    so that a message delivered twice is acted on once and answered the same way."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("discussion_id", "client_msg_id", name="uq_turns_discussion_id_client_msg_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id"), index=True)
    client_msg_id: Mapped[str] = mapped_column(String(200))
    actor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[Optional[dict[str, Any]]]  # replies and flags, once handled


class CatalogueDocument(Base):
    """One imported qualification (or unit pool) in the interchange format (docs/catalogue-format.md).

    Rows are only ever added: importing a qualification again adds version+1 and the older versions
    stay for the records that cite them. The catalogue served is the seeds plus each source id's
    highest version; every process compares the newest row with what it last built from (bot/records/catalogue.py).
    """

    __tablename__ = "catalogue_documents"
    __table_args__ = (UniqueConstraint("source_id", "version", name="uq_catalogue_documents_source_id_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)  # the interchange JSON, as exported (canonical)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[Optional[str]] = mapped_column(String(200))
    imported_by: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
