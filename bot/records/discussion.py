"""The professional-discussion record: plan, answers, decisions, sign-off and amendments.

Every function takes a Session first and accepts a Discussion or its id, and a Person or id.
Every change is written in the turn's transaction (nothing waits in memory between chat turns) and is audited.
Answers and decisions are versioned: a change adds a row and marks the old one superseded.

Where the discussion stands: `current` is the criterion the pointer (current_unit/current_ref)
names, set by start/goto/back/resume and moved on by a decision; with no pointer it is the
first criterion without a decision. "Open" means no decision yet (a skip is a decision).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.records import access, audit
from bot.records.db import fetch, write
from bot.records.enrolment import enrolment_for, enrolments_of, set_unit_status, unit_statuses
from bot.domain.errors import Conflict, Invalid, NotFound
from bot.records.models import (
    Amendment,
    Answer,
    Decision,
    Discussion,
    PlannedCriterion,
    Person,
    SignOff,
    utcnow,
)
from bot.records.people import PersonLike, get_person
from bot.domain.planning import plan_unit, resolve_unit, source_name, unit_specs
from bot.records import catalogue as catalogues
from bot.domain.refs import criterion_key

MAX_ANSWER_BYTES = 50_000  # "50 kB": one chat message or paste; longer evidence belongs in a file
ASSESSOR_DECLARATION = (
    "I confirm that this professional discussion took place with the learner named in this record, "
    "that the answers are recorded as the learner gave them, and that the decisions recorded are my own."
)
LEARNER_DECLARATION = (
    "I confirm that the answers recorded here are my own and that this is an accurate record of our discussion."
)
IQA_DECLARATION = (
    "I confirm that I have reviewed this record as internal quality assurer, after the assessor's signature "
    "and the learner's confirmation."
)
DECLARATIONS = {"assessor": ASSESSOR_DECLARATION, "learner": LEARNER_DECLARATION, "iqa": IQA_DECLARATION}
SIGN_ORDER = ("assessor", "learner", "iqa")  # the IQA's is optional
OUT_OF_ORDER = {
    "learner": "The assessor signs first; the learner confirms the record once the assessor has signed it.",
    "iqa": "The IQA signs after the learner has confirmed the record, and the learner has not (or not since "
           "the last amendment).",
}
OUTCOME_WORDS = {"met": "met", "not_yet_met": "not_yet_met", "not yet met": "not_yet_met",
                 "not_met": "not_yet_met", "skipped": "skipped", "skip": "skipped"}
AMENDABLE = ("answer", "decision", "reason")

DiscussionLike = Discussion | int


# ---------------------------------------------------------------- reading


def get(session: Session, discussion: DiscussionLike) -> Discussion:
    return fetch(session, Discussion, discussion, f"I can't find discussion {discussion}.")


def plan(session: Session, discussion: DiscussionLike) -> list[PlannedCriterion]:
    d = get(session, discussion)
    return list(session.scalars(select(PlannedCriterion).where(PlannedCriterion.discussion_id == d.id)
                                .order_by(PlannedCriterion.position)))


def _current_rows(session: Session, model, d: Discussion) -> dict[tuple[str, str], Any]:
    rows = session.scalars(select(model).where(model.discussion_id == d.id, model.superseded_by.is_(None)))
    return {(r.unit_ref, r.criterion_ref): r for r in rows}


def current_answers(session: Session, discussion: DiscussionLike) -> dict[tuple[str, str], Answer]:
    """(unit_ref, criterion_ref) -> the current answer version."""
    return _current_rows(session, Answer, get(session, discussion))


def current_decisions(session: Session, discussion: DiscussionLike) -> dict[tuple[str, str], Decision]:
    """(unit_ref, criterion_ref) -> the current decision version."""
    return _current_rows(session, Decision, get(session, discussion))


def _key(pc: PlannedCriterion) -> tuple[str, str]:
    return (pc.unit_ref, pc.criterion_ref)


def _first_open(session: Session, d: Discussion, after: Optional[int] = None) -> Optional[PlannedCriterion]:
    """The first criterion without a decision, searching from position `after`+1 and wrapping."""
    items = plan(session, d)
    decided = current_decisions(session, d)
    open_items = [pc for pc in items if _key(pc) not in decided]
    if after is not None:
        later = [pc for pc in open_items if pc.position > after]
        if later:
            return later[0]
    return open_items[0] if open_items else None


def current(session: Session, discussion: DiscussionLike) -> Optional[PlannedCriterion]:
    """The criterion under discussion now; None when every criterion has a decision."""
    d = get(session, discussion)
    if d.current_ref is not None:
        pc = _find(session, d, d.current_ref, d.current_unit)
        if pc is not None:
            return pc
    return _first_open(session, d)


def _find(session: Session, d: Discussion, ref: str, unit: Optional[str]) -> Optional[PlannedCriterion]:
    wanted = criterion_key(ref)
    hits = [pc for pc in plan(session, d) if criterion_key(pc.criterion_ref) == wanted
            and (unit is None or pc.unit_ref == unit)]
    return hits[0] if len(hits) == 1 else None


def resolve(session: Session, discussion: DiscussionLike, ref: str, unit: Optional[str] = None) -> PlannedCriterion:
    """The planned criterion a loose reference names ("1.2", "AC 1.2", "pc 5", "K&U 8").
    With several units, `unit` (a ref or number) picks one; else the current criterion's unit."""
    d = get(session, discussion)
    wanted = criterion_key(ref)
    items = plan(session, d)
    hits = [pc for pc in items if criterion_key(pc.criterion_ref) == wanted]
    if unit is not None:
        unit_ref = _unit_ref_in(session, d, unit)
        hits = [pc for pc in hits if pc.unit_ref == unit_ref]
    if len(hits) > 1:
        here = current(session, d)
        same_unit = [pc for pc in hits if here is not None and pc.unit_ref == here.unit_ref]
        hits = same_unit or hits
    if not hits:
        by_unit: dict[str, list[str]] = {}
        for pc in items:
            by_unit.setdefault(pc.unit_ref, []).append(pc.criterion_ref)
        planned = "; ".join(f"{u}: {', '.join(r[:30])}" if len(by_unit) > 1 else ", ".join(r[:40])
                            for u, r in by_unit.items())
        raise NotFound(f"'{ref.strip()}' is not one of the criteria planned for this discussion ({planned}).")
    if len(hits) > 1:
        raise Invalid(f"{ref.strip()} is in more than one unit ({', '.join(pc.unit_ref for pc in hits)}); say which unit.")
    return hits[0]


def _unit_ref_in(session: Session, d: Discussion, unit: str) -> str:
    if unit in d.unit_refs:
        return unit
    spec = resolve_unit(catalogues.current(session), d.source_id, unit)
    if spec is None or spec.ref not in d.unit_refs:
        raise NotFound(f"Unit '{unit}' is not part of this discussion.")
    return spec.ref


def coverage(session: Session, discussion: DiscussionLike) -> dict[str, list[PlannedCriterion]]:
    """{"met": [...], "not_yet_met": [...], "not_covered": [...]} (skipped or undecided), in plan order."""
    d = get(session, discussion)
    decided = current_decisions(session, d)
    result: dict[str, list[PlannedCriterion]] = {"met": [], "not_yet_met": [], "not_covered": []}
    for pc in plan(session, d):
        outcome = decided[_key(pc)].outcome if _key(pc) in decided else None
        result[outcome if outcome in ("met", "not_yet_met") else "not_covered"].append(pc)
    return result


def remaining(session: Session, discussion: DiscussionLike) -> list[PlannedCriterion]:
    """Criteria still to cover: no decision yet, or skipped."""
    return coverage(session, discussion)["not_covered"]


def skipped(session: Session, discussion: DiscussionLike) -> list[PlannedCriterion]:
    d = get(session, discussion)
    decided = current_decisions(session, d)
    return [pc for pc in plan(session, d) if _key(pc) in decided and decided[_key(pc)].outcome == "skipped"]


def history(session: Session, discussion: DiscussionLike, model=Answer) -> list[Any]:
    """Every version of every answer (or decision: model=Decision), oldest first."""
    d = get(session, discussion)
    return list(session.scalars(select(model).where(model.discussion_id == d.id).order_by(model.id)))


def sign_offs(session: Session, discussion: DiscussionLike) -> list[SignOff]:
    d = get(session, discussion)
    return list(session.scalars(select(SignOff).where(SignOff.discussion_id == d.id).order_by(SignOff.id)))


def holding_sign_offs(session: Session, discussion: DiscussionLike) -> list[SignOff]:
    """The signatures that still hold (an amendment undoes the learner's and the IQA's)."""
    return [s for s in sign_offs(session, discussion) if s.invalidated_at is None]


def undone_by(session: Session, amendment: Amendment) -> list[SignOff]:
    """The signatures an amendment made no longer hold."""
    return list(session.scalars(select(SignOff).where(SignOff.invalidated_by == amendment.id).order_by(SignOff.id)))


def undone_note(session: Session, amendment: Amendment) -> Optional[str]:
    """What the amendment did to the signatures given after the assessor's, in a sentence; None if nothing."""
    undone = undone_by(session, amendment)
    if not undone:
        return None
    names = dict(session.execute(select(Person.id, Person.display_name)
                                 .where(Person.id.in_({s.person_id for s in undone}))).all())
    given = " and ".join(f"{names[s.person_id]}'s {'confirmation' if s.role == 'learner' else 'IQA signature'} "
                         f"({s.signed_at:%d %b %Y %H:%M} UTC)" for s in undone)
    again = "the learner needs to confirm the amended record again" + (
        ", and the IQA to sign it after them" if any(s.role == "iqa" for s in undone) else "")
    return f"This amendment came after {given}, so {'that no longer holds' if len(undone) == 1 else 'those no longer hold'}: {again}."


def amendments(session: Session, discussion: DiscussionLike) -> list[Amendment]:
    d = get(session, discussion)
    return list(session.scalars(select(Amendment).where(Amendment.discussion_id == d.id).order_by(Amendment.id)))


@dataclass(slots=True)
class CriterionRecord:
    """One planned criterion with its current answer and decision and every earlier version of each
    (oldest first; who and when are on each row, the why of a decision is its reason, of a change to a
    signed record the Amendment)."""

    planned: PlannedCriterion
    answer: Optional[Answer]
    decision: Optional[Decision]
    earlier_answers: list[Answer] = field(default_factory=list)
    earlier_decisions: list[Decision] = field(default_factory=list)


def _superseded(session: Session, d: Discussion, model) -> dict[tuple[str, str], list[Any]]:
    older: dict[tuple[str, str], list[Any]] = {}
    for row in history(session, d, model):
        if row.superseded_by is not None:
            older.setdefault((row.unit_ref, row.criterion_ref), []).append(row)
    return older


def criterion_records(session: Session, discussion: DiscussionLike) -> list[CriterionRecord]:
    """The whole record in plan order (what the exports render)."""
    d = get(session, discussion)
    answers = current_answers(session, d)
    decisions = current_decisions(session, d)
    old_answers, old_decisions = _superseded(session, d, Answer), _superseded(session, d, Decision)
    return [CriterionRecord(pc, answers.get(_key(pc)), decisions.get(_key(pc)), old_answers.get(_key(pc), []),
                            old_decisions.get(_key(pc), []))
            for pc in plan(session, d)]


def find_active(session: Session, assessor: PersonLike, learner: Optional[PersonLike] = None,
                include_finished: bool = False, include_signed: bool = False) -> Optional[Discussion]:
    """The assessor's most recently touched open or paused discussion (with that learner), from any channel."""
    a = get_person(session, assessor, "assessor")
    statuses = ["open", "paused"] + (["finished"] if include_finished else []) + (["signed"] if include_signed else [])
    query = select(Discussion).where(Discussion.assessor_id == a.id, Discussion.status.in_(statuses))
    if learner is not None:
        query = query.where(Discussion.learner_id == get_person(session, learner, "learner").id)
    return session.scalar(query.order_by(Discussion.updated_at.desc(), Discussion.id.desc()).limit(1))


# ---------------------------------------------------------------- checks


def _runner(session: Session, d: Discussion, person: PersonLike, doing: str) -> Person:
    """The person, if they may change the discussion (bot/records/access.py)."""
    p = get_person(session, person, "assessor")
    access.require_run(session, p, d, doing)
    return p


def _moved_by(session: Session, d: Discussion, by: Optional[PersonLike]) -> None:
    if by is not None:
        _runner(session, d, by, "change this discussion")


def _locked(session: Session, d: Discussion) -> Discussion:
    """The discussion read again inside the write's transaction, its row locked (SELECT ... FOR UPDATE
    on PostgreSQL; SQLite has one writer at a time and refuses a write from a snapshot older than the
    last commit), so a signature given since the caller read it is seen. Migration 0005's triggers
    refuse what does not come through here."""
    return session.execute(select(Discussion).where(Discussion.id == d.id).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one()


def _editable(d: Discussion) -> None:
    if d.status == "signed":
        when = d.signed_at.strftime("%d %b %Y %H:%M UTC") if d.signed_at else "earlier"
        raise Conflict(f"This record was signed off ({when}). A change now must be made as an amendment, with a reason.")


def _checked_text(text: Optional[str], what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise Invalid(f"The {what} is empty, so nothing was saved.")
    size = len(value.encode("utf-8"))
    if size > MAX_ANSWER_BYTES:
        raise Invalid(f"That {what} is {size:,} bytes; the limit is 50 kB ({MAX_ANSWER_BYTES:,} bytes). "
                      "Nothing was saved: please send it in shorter parts.")
    return value


def _outcome(outcome: str) -> str:
    value = OUTCOME_WORDS.get((outcome or "").strip().lower().replace("-", " "))
    if value is None:
        raise Invalid(f"Unknown decision '{outcome}'. Use met, not yet met or skipped.")
    return value


def _touch(d: Discussion) -> None:
    d.updated_at = utcnow()


# ---------------------------------------------------------------- starting


def start(session: Session, assessor: PersonLike, learner: PersonLike, source_id: Optional[str],
          unit_refs: list[str], outcomes: Optional[list[str]] = None, *, channel: Optional[str] = None,
          location: Optional[str] = None, by: Optional[PersonLike] = None) -> Discussion:
    """Plan and open a discussion. source_id None means the learner's (single/most recent) enrolment.
    unit_refs may be references, unit numbers or titles; outcomes narrows the plan ("1", "LO2", "K&U").
    `by` is who opens it: the assessor (the default) or an admin for them."""
    a = get_person(session, assessor, "assessor")
    lp = get_person(session, learner, "learner")
    if lp.role != "learner":
        raise Invalid(f"{lp.display_name} is registered as {lp.role}, not as a learner.")
    access.require_start(session, get_person(session, by) if by is not None else a, a, lp)
    if source_id is None:
        enrolment = enrolment_for(session, lp)
        if enrolment is None:
            raise Invalid(f"{lp.display_name} is not enrolled on any qualification yet.")
        source_id = enrolment.source_id
    elif enrolment_for(session, lp, source_id) is None:
        on = ", ".join(e.source_id for e in enrolments_of(session, lp)) or "nothing yet"
        raise Invalid(f"{lp.display_name} is not enrolled on '{source_id}' (enrolled on: {on}).")
    if not unit_refs:
        raise Invalid("Say which unit the discussion is about.")
    cat = catalogues.current(session)
    label = source_name(cat, source_id)
    specs = []
    for ref in unit_refs:
        spec = resolve_unit(cat, source_id, str(ref))
        if spec is None:
            raise NotFound(f"Unit '{ref}' is not part of the {label} that {lp.display_name} is enrolled on.")
        if spec.ref not in [s.ref for s in specs]:
            specs.append(spec)
    items = [item for spec in specs for item in plan_unit(spec, outcomes, label)]
    if not items:
        raise Invalid("The specification gives no criteria for that choice, so there is nothing to plan.")
    refs = [s.ref for s in specs]

    def work() -> Discussion:
        busy = session.scalars(select(Discussion).where(
            Discussion.assessor_id == a.id, Discussion.learner_id == lp.id,
            Discussion.status.in_(["open", "paused"]))).all()
        for other in busy:
            overlap = set(other.unit_refs) & set(refs)
            if overlap:
                raise Conflict(f"You already have an unfinished discussion with {lp.display_name} on "
                               f"{', '.join(sorted(overlap))} (started {other.started_at:%d %b %Y}). "
                               "Resume it, or finish it first.")
        first = items[0]
        d = Discussion(learner_id=lp.id, assessor_id=a.id, source_id=source_id, unit_refs=refs,
                       outcomes=list(outcomes) if outcomes else None, status="open",
                       current_unit=first.unit_ref, current_ref=first.criterion.ref,
                       channel=channel, location=location)
        session.add(d)
        session.flush()
        for position, item in enumerate(items, start=1):
            session.add(PlannedCriterion(
                discussion_id=d.id, unit_ref=item.unit_ref, criterion_ref=item.criterion.ref, position=position,
                kind=item.criterion.kind, criterion_text=item.criterion.text,
                outcome_ref=item.outcome.number if item.outcome else None,
                outcome_text=item.outcome.text if item.outcome else None,
                pd_listed=item.pd_listed, evidence=list(item.outcome.evidence) if item.outcome and item.outcome.evidence else None,
                guidance=item.guidance, citation=item.citation))
        audit.record(session, a, "discussion.start", "discussion", d.id, learner_id=lp.id, source_id=source_id,
                     unit_refs=refs, outcomes=outcomes, planned=len(items), channel=channel)
        return d

    return write(session, work)


# ---------------------------------------------------------------- moving about


def _point(d: Discussion, pc: Optional[PlannedCriterion]) -> None:
    d.current_unit, d.current_ref = (pc.unit_ref, pc.criterion_ref) if pc else (None, None)


def goto(session: Session, discussion: DiscussionLike, ref: str, unit: Optional[str] = None,
         by: Optional[PersonLike] = None) -> PlannedCriterion:
    d = get(session, discussion)
    _moved_by(session, d, by)
    pc = resolve(session, d, ref, unit)

    def work() -> PlannedCriterion:
        _point(d, pc)
        _touch(d)
        audit.record(session, by, "discussion.goto", "discussion", d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref)
        return pc

    return write(session, work)


def back(session: Session, discussion: DiscussionLike, by: Optional[PersonLike] = None) -> PlannedCriterion:
    """To the criterion before the current one (or the last one, when all are decided)."""
    d = get(session, discussion)
    _moved_by(session, d, by)
    items = plan(session, d)
    here = current(session, d)
    if here is not None and here.position == items[0].position:
        raise Invalid(f"{here.criterion_ref} is the first criterion in this discussion; there is nothing before it.")
    target = items[-1] if here is None else [pc for pc in items if pc.position < here.position][-1]

    def work() -> PlannedCriterion:
        _point(d, target)
        _touch(d)
        audit.record(session, by, "discussion.back", "discussion", d.id, unit_ref=target.unit_ref,
                     criterion_ref=target.criterion_ref)
        return target

    return write(session, work)


def set_pending(session: Session, discussion: DiscussionLike, pending: Optional[dict[str, Any]],
                by: Optional[PersonLike] = None) -> None:
    """What the turn interpreter waits for next; kept in the database so a restart loses nothing."""
    d = get(session, discussion)
    _moved_by(session, d, by)

    def work() -> None:
        if d.pending != pending:
            d.pending = pending
            audit.record(session, by, "discussion.pending", "discussion", d.id, pending=pending)

    write(session, work)


# ---------------------------------------------------------------- recording


def _next_version(session: Session, model, d: Discussion, pc: PlannedCriterion):
    latest = session.scalar(select(model).where(
        model.discussion_id == d.id, model.unit_ref == pc.unit_ref, model.criterion_ref == pc.criterion_ref,
        model.superseded_by.is_(None)).order_by(model.version.desc()).limit(1))
    return latest, (latest.version + 1 if latest is not None else 1)


def _add_version(session: Session, latest, row):
    """Store `row` as the new current version; the one before points at it (it is never changed otherwise)."""
    session.add(row)
    session.flush()
    if latest is not None:
        latest.superseded_by = row.id
    return row


def _by_client_id(session: Session, model, d: Discussion, client_msg_id: Optional[str]):
    if client_msg_id is None:
        return None
    return session.scalar(select(model).where(model.discussion_id == d.id, model.client_msg_id == client_msg_id))


def record_answer(session: Session, discussion: DiscussionLike, ref: str, text: str, by: PersonLike,
                  client_msg_id: Optional[str] = None, *, unit: Optional[str] = None,
                  question: Optional[str] = None, replace: bool = False) -> Answer:
    """Save what the learner said for a criterion. By default it adds to the answer so far
    (a new version holding both); replace=True makes the text the whole new answer.
    The same client_msg_id twice stores one answer (the first one is returned)."""
    d = get(session, discussion)
    value = _checked_text(text, "answer")
    who = _runner(session, d, by, "record answers")
    pc = resolve(session, d, ref, unit)
    _editable(d)

    def work() -> Answer:
        existing = _by_client_id(session, Answer, d, client_msg_id)
        if existing is not None:
            return existing
        _editable(_locked(session, d))
        latest, version = _next_version(session, Answer, d, pc)
        full = value if replace or latest is None else f"{latest.text}\n\n{value}"
        _checked_text(full, "answer, with what was already recorded,")
        answer = _add_version(session, latest, Answer(
            discussion_id=d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref,
            question=question or (latest.question if latest else None), text=full,
            recorded_by=who.id, version=version, client_msg_id=client_msg_id))
        _touch(d)
        audit.record(session, who, "answer.record", "answer", answer.id, discussion_id=d.id, unit_ref=pc.unit_ref,
                     criterion_ref=pc.criterion_ref, version=version, replace=replace,
                     added_chars=len(value), client_msg_id=client_msg_id)
        return answer

    return write(session, work)


def decide(session: Session, discussion: DiscussionLike, ref: str, outcome: str, reason: Optional[str],
           by: PersonLike, *, unit: Optional[str] = None, client_msg_id: Optional[str] = None) -> Decision:
    """Record met / not_yet_met (reason required) / skipped. Deciding the current criterion moves
    the discussion on to the next criterion without a decision."""
    d = get(session, discussion)
    value = _outcome(outcome)
    why = (reason or "").strip() or None
    if value == "not_yet_met" and why is None:
        raise Invalid("Please give a reason for 'not yet met', so the learner knows what is missing.")
    if why is not None:
        why = _checked_text(why, "reason")
    who = _runner(session, d, by, "make assessment decisions")
    pc = resolve(session, d, ref, unit)
    _editable(d)

    def work() -> Decision:
        existing = _by_client_id(session, Decision, d, client_msg_id)
        if existing is not None:
            return existing
        _editable(_locked(session, d))
        here = current(session, d)
        latest, version = _next_version(session, Decision, d, pc)
        if latest is not None and latest.outcome == value and latest.reason == why:
            return latest  # the same decision again (a double click): nothing new to record
        decision = _add_version(session, latest, Decision(
            discussion_id=d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref,
            outcome=value, reason=why, decided_by=who.id, version=version, client_msg_id=client_msg_id))
        if here is None or here.id == pc.id:
            _point(d, _first_open(session, d, after=pc.position))
        _touch(d)
        audit.record(session, who, "decision.record", "decision", decision.id, discussion_id=d.id,
                     unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref, outcome=value, reason=why,
                     version=version, client_msg_id=client_msg_id)
        return decision

    return write(session, work)


# ---------------------------------------------------------------- status


def _set_status(session: Session, d: Discussion, status: str, by: Optional[PersonLike], action: str) -> Discussion:
    def work() -> Discussion:
        _editable(_locked(session, d))
        old = d.status
        d.status = status
        if status == "open":
            _point(d, _first_open(session, d))
        if status == "finished" and d.finished_at is None:
            d.finished_at = utcnow()
        _touch(d)
        audit.record(session, by, action, "discussion", d.id, old=old, new=status)
        return d

    return write(session, work)


def pause(session: Session, discussion: DiscussionLike, by: Optional[PersonLike] = None) -> Discussion:
    d = get(session, discussion)
    _moved_by(session, d, by)
    _editable(d)
    if d.status == "paused":
        return d
    return _set_status(session, d, "paused", by, "discussion.pause")


def resume(session: Session, discussion: DiscussionLike, by: Optional[PersonLike] = None) -> Discussion:
    """Open a paused (or finished, unsigned) discussion again, at the first criterion without a decision."""
    d = get(session, discussion)
    _moved_by(session, d, by)
    _editable(d)
    return _set_status(session, d, "open", by, "discussion.resume")


def summary(session: Session, discussion: DiscussionLike) -> dict[str, Any]:
    d = get(session, discussion)
    cov = coverage(session, d)
    answered = current_answers(session, d)
    return {
        "discussion_id": d.id, "status": d.status, "source_id": d.source_id, "unit_refs": list(d.unit_refs),
        "planned": sum(len(v) for v in cov.values()), "answered": len(answered),
        **{k: [f"{pc.unit_ref} {pc.criterion_ref}" for pc in v] for k, v in cov.items()},
    }


def finish(session: Session, discussion: DiscussionLike, by: Optional[PersonLike] = None) -> dict[str, Any]:
    """Close the discussion (it can still be resumed until it is signed); returns summary()."""
    d = get(session, discussion)
    _moved_by(session, d, by)
    _editable(d)
    if d.status != "finished":
        _set_status(session, d, "finished", by, "discussion.finish")
    return summary(session, d)


def sign(session: Session, discussion: DiscussionLike, person: PersonLike, role: str,
         declaration: Optional[str] = None, *, by: Optional[PersonLike] = None) -> SignOff:
    """Sign-off, in the order assessor, learner, then (optionally) an IQA. The assessor's signature
    locks the record (later changes are amendments). `by` is who entered it (the assessor, for a
    learner confirming in person); it defaults to the signer."""
    d = get(session, discussion)
    p = get_person(session, person)
    if role not in DECLARATIONS:
        raise Invalid(f"Unknown sign-off role '{role}'. Use assessor, learner or iqa.")
    entered_by = get_person(session, by) if by is not None else p
    access.require_sign(session, d, p, entered_by, role)
    if role == "assessor" and not current_answers(session, d) and not current_decisions(session, d):
        raise Invalid("Nothing has been recorded in this discussion yet, so there is nothing to sign.")
    text = (declaration or DECLARATIONS[role]).strip()

    def work() -> SignOff:
        _locked(session, d)  # two signatures at once: one waits for the other, then sees it
        holding = {s.role: s for s in holding_sign_offs(session, d)}
        if role in holding:
            raise Conflict(f"This discussion was already signed by the {role} on {holding[role].signed_at:%d %b %Y %H:%M UTC}.")
        before = SIGN_ORDER[SIGN_ORDER.index(role) - 1] if role != "assessor" else None
        if before is not None and before not in holding:
            raise Conflict(OUT_OF_ORDER[role])
        row = SignOff(discussion_id=d.id, person_id=p.id, role=role, declaration=text, recorded_by=entered_by.id)
        session.add(row)
        session.flush()
        if role == "assessor":
            now = row.signed_at
            d.status, d.signed_at, d.pending = "signed", now, None
            d.finished_at = d.finished_at or now
        _touch(d)
        audit.record(session, entered_by, "discussion.sign", "discussion", d.id, role=role, person_id=p.id,
                     declaration=text)
        return row

    return write(session, work)


def amend(session: Session, discussion: DiscussionLike, ref: str, field_name: str, new: str, reason: str,
          by: PersonLike, *, unit: Optional[str] = None, client_msg_id: Optional[str] = None) -> Amendment:
    """Change a signed record: field "answer" (new text), "decision" (met/not_yet_met/skipped) or
    "reason" (the decision's reason). Needs a reason; the change is also a new answer/decision version.
    The same client_msg_id twice (a retried request) amends once: the first amendment is returned."""
    d = get(session, discussion)
    if d.status != "signed":
        raise Conflict("This discussion has not been signed off yet, so change it directly; "
                       "amendments are for signed records.")
    if field_name not in AMENDABLE:
        raise Invalid(f"Can't amend '{field_name}'. Amend the answer, decision or reason.")
    why = _checked_text(reason, "amendment reason") if (reason or "").strip() else None
    if why is None:
        raise Invalid("An amendment to a signed record needs a reason.")
    who = _runner(session, d, by, "amend records")
    pc = resolve(session, d, ref, unit)
    value = _outcome(new) if field_name == "decision" else _checked_text(new, field_name)

    def work() -> Amendment:
        _locked(session, d)
        if (done := _by_client_id(session, Amendment, d, client_msg_id)) is not None:
            return done  # a retried request: already amended
        model = Answer if field_name == "answer" else Decision
        latest, version = _next_version(session, model, d, pc)
        if field_name == "reason" and latest is None:
            raise Invalid(f"{pc.criterion_ref} has no decision, so there is no reason to amend.")
        old = (latest.text if field_name == "answer" else latest.outcome if field_name == "decision"
               else latest.reason) if latest else None
        amendment = Amendment(discussion_id=d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref,
                              field=field_name, old=old, new=value, reason=why, amended_by=who.id,
                              client_msg_id=client_msg_id)
        session.add(amendment)
        session.flush()
        if field_name == "answer":
            row = Answer(discussion_id=d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref,
                         question=latest.question if latest else None, text=value, recorded_by=who.id, version=version,
                         amendment_id=amendment.id)
        else:
            outcome = value if field_name == "decision" else latest.outcome
            row = Decision(discussion_id=d.id, unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref, outcome=outcome,
                           reason=why if field_name == "decision" else value, decided_by=who.id, version=version,
                           amendment_id=amendment.id)
        _add_version(session, latest, row)
        # the learner (and an IQA) signed what is now an earlier version: their signatures no longer hold
        undone = [s for s in holding_sign_offs(session, d) if s.role != "assessor"]
        for s in undone:
            s.invalidated_at, s.invalidated_by = amendment.amended_at, amendment.id
        _touch(d)
        audit.record(session, who, "discussion.amend", "amendment", amendment.id, discussion_id=d.id,
                     unit_ref=pc.unit_ref, criterion_ref=pc.criterion_ref, field=field_name, old=old, new=value,
                     reason=why, signatures_undone=[s.role for s in undone])
        return amendment

    return write(session, work)


# ---------------------------------------------------------------- achievement


def mark_achieved_if_complete(session: Session, discussion: DiscussionLike,
                              by: Optional[PersonLike] = None) -> list[str]:
    """Confirm as achieved each unit of the discussion whose every criterion (per the catalogue)
    is met by an assessor's current decision in any of the learner's discussions on this
    qualification. Returns the units newly marked achieved."""
    d = get(session, discussion)
    assessor = get_person(session, by if by is not None else d.assessor_id, "assessor")
    enrolment = enrolment_for(session, d.learner_id, d.source_id)
    if enrolment is None:
        raise Invalid("The learner is no longer enrolled on this qualification.")
    cat = catalogues.current(session)
    specs = {s.ref: s for s in unit_specs(cat, d.source_id) if s.ref in d.unit_refs}
    statuses = unit_statuses(session, enrolment)
    others = session.scalars(select(Discussion).where(
        Discussion.learner_id == d.learner_id, Discussion.source_id == d.source_id)).all()
    latest: dict[tuple[str, str], Decision] = {}
    for other in others:
        for key, decision in current_decisions(session, other).items():
            if key not in latest or decision.decided_at > latest[key].decided_at:
                latest[key] = decision
    done: list[str] = []
    for unit_ref in d.unit_refs:
        if statuses.get(unit_ref) == "achieved":
            continue
        refs = [c.ref for c in specs[unit_ref].criteria] if unit_ref in specs else \
            [pc.criterion_ref for pc in plan(session, d) if pc.unit_ref == unit_ref]
        decisions = [latest.get((unit_ref, r)) for r in refs]
        if refs and all(dc is not None and dc.outcome == "met" and _is_assessor(session, dc.decided_by)
                        for dc in decisions):
            set_unit_status(session, enrolment, unit_ref, "achieved", assessor)
            done.append(unit_ref)
    return done


def _is_assessor(session: Session, person_id: int) -> bool:
    p = session.get(Person, person_id)
    return p is not None and p.role == "assessor"
