"""GDPR subject access (export) and erasure for one learner: their records and their Rasa
conversations.

- export_person(session, person) -> a JSON-able dict of everything held about them: the person
  and their accounts, enrolments and unit progress, every professional discussion about them
  (plan, every answer and decision version, sign-offs, amendments), the audit entries about them,
  their own chat conversations (Rasa tracker events), and the turns of assessors' conversations
  in which their answers were typed.
- erase_person(session, person, admin) removes all of that and returns what was removed, except the
  signed discussions still within the retention period (RECORD_RETENTION_YEARS after sign-off,
  default 3): those are kept, anonymised (the learner is "Erased person 12", the chat turns that
  held their messages and names are removed), and `retention_note` says until when. The
  person row stays as an anonymous tombstone ("Erased person 12") because the append-only audit
  log and the kept records refer to it by id; the audit entries about them keep their action, entity, ids and time
  but have their details (names, account ids, reasons) replaced by a redaction marker. That is
  the one change ever made to the audit log: it runs in one transaction with the append-only
  triggers lifted only for it, and is itself audited ("person.erase", counts only).

Erasure is final. Erasing the same person again once the retention period is over removes the kept
records too.

The tracker store is the one Rasa uses: TRACKER_DATABASE_URL (production profile) or the SQLite
file TRACKER_DB (default var/tracker.db). A conversation is matched by its sender id, built from
the person's accounts as the channels build it ("slack:T1:U2", "web:<uuid>", a REST id as is).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import bindparam, create_engine, delete, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.records import audit
from bot.domain.errors import Invalid
from bot.records.models import (
    Amendment,
    Answer,
    ApiToken,
    AuditEntry,
    Decision,
    Discussion,
    Enrolment,
    Identity,
    Person,
    PlannedCriterion,
    SignOff,
    Turn,
    UnitStatus,
)
from bot.records.people import get_person, require_role
from bot.settings import Settings

RETAINED = "signed_discussions_kept"

REDACTED = "[erased]"
ERASED_NAME = "Erased person {id}"


# ---------------------------------------------------------------- the tracker store


def tracker_url(settings: Settings | None = None) -> str | None:
    settings = settings or Settings()
    url = settings.tracker_database_url
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{settings.tracker_db}" if settings.tracker_db.exists() else None


class Trackers:
    """Rasa's SQL tracker store table `events` (id, sender_id, type_name, timestamp, ..., data JSON)."""

    def __init__(self, url: str | None):
        self.engine: Engine | None = create_engine(url) if url else None

    def _ready(self) -> bool:
        if self.engine is None:
            return False
        with self.engine.connect() as c:
            return c.dialect.has_table(c, "events")

    def events(self, senders: Iterable[str]) -> dict[str, list[dict]]:
        senders = sorted(set(senders))
        if not senders or not self._ready():
            return {}
        out: dict[str, list[dict]] = {}
        with self.engine.connect() as c:
            rows = c.execute(text("SELECT sender_id, data FROM events WHERE sender_id IN :s ORDER BY id")
                             .bindparams(_expanding("s")), {"s": senders})
            for sender, data in rows:
                out.setdefault(sender, []).append(json.loads(data))
        return out

    def turns_with(self, message_ids: set[str]) -> list[tuple[int, str, dict, bool]]:
        """Events of other conversations that belong to the given user messages: each such user
        event and everything after it up to the next user event. (row id, sender, event, is_user)."""
        if not message_ids or not self._ready():
            return []
        found = []
        with self.engine.connect() as c:
            senders = [s for (s,) in c.execute(text(
                "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND (" +
                " OR ".join(f"data LIKE :m{i}" for i in range(len(message_ids))) + ")"),
                {f"m{i}": f"%{m}%" for i, m in enumerate(sorted(message_ids))})]
            for sender in senders:
                inside = False
                for row_id, data in c.execute(text("SELECT id, data FROM events WHERE sender_id = :s ORDER BY id"),
                                              {"s": sender}):
                    event = json.loads(data)
                    if event.get("event") == "user":
                        inside = event.get("message_id") in message_ids
                    if inside:
                        found.append((row_id, sender, event, event.get("event") == "user"))
        return found

    def erase(self, senders: Iterable[str], message_ids: set[str]) -> dict[str, int]:
        senders = sorted(set(senders))
        turns = self.turns_with(message_ids)
        if self.engine is None or not self._ready():
            return {"conversation_events": 0, "redacted_events": 0}
        with self.engine.begin() as c:
            deleted = 0
            if senders:
                deleted = c.execute(text("DELETE FROM events WHERE sender_id IN :s").bindparams(_expanding("s")),
                                    {"s": senders}).rowcount
            for row_id, _sender, event, _is_user in turns:
                c.execute(text("UPDATE events SET data = :d WHERE id = :i"), {"d": json.dumps(_redact_event(event)), "i": row_id})
        return {"conversation_events": deleted, "redacted_events": len(turns)}


def _expanding(name: str):
    return bindparam(name, expanding=True)


def _redact_event(event: dict) -> dict:
    """The event with what was said taken out (kept: its type, time, intent and action names)."""
    e = dict(event)
    if "text" in e:
        e["text"] = REDACTED
    if e.get("event") == "slot" and isinstance(e.get("value"), str):
        e["value"] = REDACTED
    if isinstance(e.get("parse_data"), dict):
        pd = dict(e["parse_data"])
        pd["text"] = REDACTED
        pd["entities"] = []
        e["parse_data"] = pd
    if isinstance(e.get("data"), dict):
        e["data"] = {k: (REDACTED if isinstance(v, str) else None) for k, v in e["data"].items()}
    return e


def sender_ids(identities: Iterable[Identity]) -> list[str]:
    """The Rasa sender ids of a person's accounts (the inverse of bot.flows.learner.channel_identity)."""
    return [i.external_id if i.channel == "rest" else f"{i.channel}:{i.external_id}" for i in identities]


# ---------------------------------------------------------------- what is held about a person


def _row(obj) -> dict[str, Any]:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _scope(session: Session, p: Person) -> dict[str, Any]:
    identities = list(session.scalars(select(Identity).where(Identity.person_id == p.id).order_by(Identity.id)))
    enrolments = list(session.scalars(select(Enrolment).where(Enrolment.learner_id == p.id).order_by(Enrolment.id)))
    enrolment_ids = [e.id for e in enrolments]
    discussions = list(session.scalars(select(Discussion).where(Discussion.learner_id == p.id).order_by(Discussion.id)))
    discussion_ids = [d.id for d in discussions]
    message_ids = set()
    if discussion_ids:
        for model in (Turn, Answer, Decision):
            message_ids |= {m for m in session.scalars(select(model.client_msg_id).where(
                model.discussion_id.in_(discussion_ids), model.client_msg_id.is_not(None)))}
    return {"identities": identities, "enrolments": enrolments, "enrolment_ids": enrolment_ids,
            "discussions": discussions, "discussion_ids": discussion_ids, "message_ids": message_ids}


def _audit_about(p: Person, scope: dict[str, Any]):
    """A condition on AuditEntry: the entries about this person or their records by entity id."""
    as_text = lambda ids: [str(i) for i in ids]  # noqa: E731 - entity_id is a string column
    conditions = [AuditEntry.actor_id == p.id,
                  (AuditEntry.entity == "person") & (AuditEntry.entity_id == str(p.id))]
    if scope["enrolment_ids"]:
        conditions.append((AuditEntry.entity == "enrolment") & AuditEntry.entity_id.in_(as_text(scope["enrolment_ids"])))
    if scope["discussion_ids"]:
        conditions.append((AuditEntry.entity == "discussion") & AuditEntry.entity_id.in_(as_text(scope["discussion_ids"])))
    return or_(*conditions)


def _audit_entries(session: Session, p: Person, scope: dict[str, Any]) -> list[AuditEntry]:
    """Audit entries about the person: by id and entity, then by the ids named in their details
    (learner_id, person_id, enrolment_id, discussion_id), filtered in Python so it works the
    same on SQLite and PostgreSQL."""
    direct = _audit_about(p, scope)
    found = {e.id: e for e in session.scalars(select(AuditEntry).where(direct))}
    keys = {"learner_id": {p.id}, "person_id": {p.id}, "enrolment_id": set(scope["enrolment_ids"]),
            "discussion_id": set(scope["discussion_ids"])}
    for e in session.scalars(select(AuditEntry).where(AuditEntry.entity.in_(
            ("answer", "decision", "amendment", "unit_status", "api_token", "enrolment", "discussion")))):
        detail = e.detail or {}
        if any(detail.get(k) in ids for k, ids in keys.items() if ids):
            found[e.id] = e
    return [found[i] for i in sorted(found)]


def export_person(session: Session, person: Person | int, trackers: Trackers | None = None) -> dict[str, Any]:
    p = get_person(session, person)
    scope = _scope(session, p)
    trackers = trackers if trackers is not None else Trackers(tracker_url())
    ids = scope["discussion_ids"]

    def rows(model, order):
        if not ids:
            return []
        return [_row(r) for r in session.scalars(select(model).where(model.discussion_id.in_(ids)).order_by(*order))]

    discussions = [_row(d) for d in scope["discussions"]]
    plan = rows(PlannedCriterion, (PlannedCriterion.discussion_id, PlannedCriterion.position))
    answers = rows(Answer, (Answer.discussion_id, Answer.id))
    decisions = rows(Decision, (Decision.discussion_id, Decision.id))
    signoffs = rows(SignOff, (SignOff.discussion_id, SignOff.id))
    amendments = rows(Amendment, (Amendment.discussion_id, Amendment.id))
    for d in discussions:
        one = lambda items, i=d["id"]: [r for r in items if r["discussion_id"] == i]  # noqa: E731
        d.update(plan=one(plan), answers=one(answers), decisions=one(decisions), sign_offs=one(signoffs),
                 amendments=one(amendments))
    statuses = []
    if scope["enrolment_ids"]:
        statuses = [_row(r) for r in session.scalars(select(UnitStatus).where(
            UnitStatus.enrolment_id.in_(scope["enrolment_ids"])).order_by(UnitStatus.id))]
    senders = sender_ids(scope["identities"])
    return {
        "exported_at": datetime.now(timezone.utc).isoformat(),
        "person": _row(p),
        "accounts": [_row(i) for i in scope["identities"]],
        "enrolments": [{**_row(e), "units": [s for s in statuses if s["enrolment_id"] == e.id]}
                       for e in scope["enrolments"]],
        "discussions": discussions,
        "audit": [_row(e) for e in _audit_entries(session, p, scope)],
        "conversations": trackers.events(senders),
        "turns_in_assessor_conversations": [
            {"sender_id": s, "event": e} for _id, s, e, _u in trackers.turns_with(scope["message_ids"])],
    }


# ---------------------------------------------------------------- erasure


def _lift_append_only(session: Session) -> list[str]:
    """Lift the audit log's append-only triggers inside the current transaction; returns how to
    put them back. SQLite: drop and re-create from the schema's own text; PostgreSQL: disable."""
    if session.bind.dialect.name == "sqlite":
        triggers = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'audit_entries'")).all()
        for name, _sql in triggers:
            session.execute(text(f'DROP TRIGGER "{name}"'))
        return [sql for _name, sql in triggers]
    session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    return ["ALTER TABLE audit_entries ENABLE TRIGGER USER"]


def _years_after(at: datetime, years: int) -> datetime:
    try:
        return at.replace(year=at.year + years)
    except ValueError:  # 29 February
        return at.replace(year=at.year + years, day=28)


def kept_until(d: Discussion, years: int | None = None) -> datetime | None:
    """When a signed record's retention period ends; None for a record that is not signed."""
    if d.status != "signed" or d.signed_at is None:
        return None
    return _years_after(d.signed_at, Settings().record_retention_years if years is None else years)


def retained(session: Session, p: Person, now: datetime | None = None) -> list[Discussion]:
    """The person's signed discussions still within the retention period."""
    now = now or datetime.now(timezone.utc)
    return [d for d in session.scalars(select(Discussion).where(Discussion.learner_id == p.id).order_by(Discussion.id))
            if (until := kept_until(d)) is not None and until > now]


def retention_note(session: Session, person: Person | int) -> str | None:
    """After an erasure: what was kept and until when, in a sentence; None when nothing was kept."""
    p = get_person(session, person)
    kept = retained(session, p)
    if not kept:
        return None
    until = max(kept_until(d) for d in kept)
    years = Settings().record_retention_years
    return (f"{len(kept)} signed discussion record{'s are' if len(kept) > 1 else ' is'} kept, anonymised (the learner "
            f"shows as “{p.display_name}”), because signed assessment records are kept for {years} year"
            f"{'s' if years != 1 else ''} after sign-off (RECORD_RETENTION_YEARS); everything else was erased. "
            f"Erase again after {until:%d %b %Y} to remove {'them' if len(kept) > 1 else 'it'}.")


def erase_person(session: Session, person: Person | int, admin: Person | int,
                 trackers: Trackers | None = None) -> dict[str, int]:
    """Erase everything held about a learner but the signed records within retention, which are
    anonymised (see the module docstring). Returns counts."""
    a = get_person(session, admin, "admin")
    require_role(a, "admin", doing="erase a person's data")
    p = get_person(session, person)
    if p.role != "learner":
        raise Invalid(f"{p.display_name} is a {p.role}. Only a learner's data can be erased here; "
                      "change their role to learner first if they have left.")
    trackers = trackers if trackers is not None else Trackers(tracker_url())
    scope = _scope(session, p)
    senders = sender_ids(scope["identities"])
    entries = [e.id for e in _audit_entries(session, p, scope)]
    kept = [d.id for d in retained(session, p)]
    ids, counts = [i for i in scope["discussion_ids"] if i not in kept], {}
    try:
        if kept:  # anonymised: the person is the tombstone; the turns held the chat's words and names
            counts["turns"] = session.execute(delete(Turn).where(Turn.discussion_id.in_(kept))).rowcount
            session.execute(update(Discussion).where(Discussion.id.in_(kept)).values(pending=None))
            counts[RETAINED] = len(kept)
        if ids:
            for model in (Answer, Decision):  # versions point at each other
                session.execute(update(model).where(model.discussion_id.in_(ids)).values(superseded_by=None))
            for model in (SignOff, Decision, Answer, Turn, PlannedCriterion, Amendment):  # referrers first
                counts[model.__tablename__] = counts.get(model.__tablename__, 0) + session.execute(
                    delete(model).where(model.discussion_id.in_(ids))).rowcount
            counts["discussions"] = session.execute(delete(Discussion).where(Discussion.id.in_(ids))).rowcount
        if scope["enrolment_ids"]:
            counts["unit_statuses"] = session.execute(delete(UnitStatus).where(
                UnitStatus.enrolment_id.in_(scope["enrolment_ids"]))).rowcount
            counts["enrolments"] = session.execute(delete(Enrolment).where(Enrolment.id.in_(scope["enrolment_ids"]))).rowcount
        counts["api_tokens"] = session.execute(delete(ApiToken).where(ApiToken.person_id == p.id)).rowcount
        counts["accounts"] = session.execute(delete(Identity).where(Identity.person_id == p.id)).rowcount
        session.execute(update(Person).where(Person.id == p.id).values(display_name=ERASED_NAME.format(id=p.id)))
        if entries:
            restore = _lift_append_only(session)
            counts["audit_redacted"] = session.execute(update(AuditEntry).where(AuditEntry.id.in_(entries)).values(
                detail={"redacted": "personal data erased"})).rowcount
            for statement in restore:
                session.execute(text(statement))
        audit.record(session, a, "person.erase", "person", p.id, **counts)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    session.expire_all()
    # the records are gone first: a tracker failure leaves conversations to erase again, never records
    counts.update(trackers.erase(senders, scope["message_ids"]))
    return counts
