"""Professional discussions: list, read, export, and record through the records services the bot uses."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api import schemas as s
from bot.api.auth import current_person, discussion_for, get_session
from bot.domain.export import EXPORTERS, MEDIA_TYPES
from bot.flows.export import record_of
from bot.records import access
from bot.records import discussion as discussions
from bot.records.models import DISCUSSION_STATUSES, Discussion, Person

router = APIRouter(prefix="/api/discussions", tags=["discussions"],
                   responses=s.PROBLEMS)


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all()) if ids else {}


def _summary(d: Discussion, names: dict[int, str]) -> dict:
    return dict(id=d.id, learner_id=d.learner_id, learner=names.get(d.learner_id, ""), assessor_id=d.assessor_id,
                assessor=names.get(d.assessor_id, ""), source_id=d.source_id, unit_refs=list(d.unit_refs),
                status=d.status, started_at=d.started_at, updated_at=d.updated_at, signed_at=d.signed_at)


def _detail(session: Session, d: Discussion) -> s.DiscussionOut:
    session.refresh(d)
    here = discussions.current(session, d)
    done = discussions.summary(session, d)
    return s.DiscussionOut(**_summary(d, _names(session, {d.learner_id, d.assessor_id})),
                           current_ref=f"{here.unit_ref} {here.criterion_ref}" if here else None,
                           coverage=s.Coverage(met=done["met"], not_yet_met=done["not_yet_met"],
                                               not_covered=done["not_covered"]),
                           record=record_of(d, session))


@router.get("", response_model=list[s.DiscussionSummary])
def list_discussions(viewer: Person = Depends(current_person), session: Session = get_session,
                     status: Optional[Literal[DISCUSSION_STATUSES]] = None,  # type: ignore[valid-type]
                     learner_id: Optional[s.Id] = None, assessor_id: Optional[s.Id] = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0):
    """The discussions you may see (a learner: their own; an assessor: those they run for learners assigned to
    them; an IQA or admin: all), newest first."""
    query = access.readable_discussions(viewer)
    if status is not None:
        query = query.where(Discussion.status == status)
    if learner_id is not None:
        query = query.where(Discussion.learner_id == learner_id)
    if assessor_id is not None:
        query = query.where(Discussion.assessor_id == assessor_id)
    rows = session.scalars(query.order_by(Discussion.updated_at.desc(), Discussion.id.desc())
                           .limit(limit).offset(offset)).all()
    names = _names(session, {d.learner_id for d in rows} | {d.assessor_id for d in rows})
    return [_summary(d, names) for d in rows]


@router.get("/{discussion_id}", response_model=s.DiscussionOut)
def get_discussion(discussion_id: s.PathId, viewer: Person = Depends(current_person),
                   session: Session = get_session):
    return _detail(session, discussion_for(session, viewer, discussion_id))


@router.get("/{discussion_id}/export", response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "text/csv": {}, "application/json": {}},
                             "description": "the record as a file"}})
def export(discussion_id: s.PathId, format: Literal["pdf", "csv", "json"] = "pdf",
           viewer: Person = Depends(current_person), session: Session = get_session):
    """The record as PDF (for the portfolio and IQA), CSV (one row per criterion) or JSON (everything)."""
    d = discussion_for(session, viewer, discussion_id)
    body = EXPORTERS[format](record_of(d, session))
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="discussion-{d.id}.{format}"'})


# A retried POST (a timeout, a proxy's retry) records once: the same key twice returns the first record.
IdempotencyKey = Annotated[Optional[str], Header(alias="Idempotency-Key", min_length=1, max_length=200,
                                                 description="the same key twice records once (as client_msg_id)")]


def _key(client_msg_id: Optional[str], header: Optional[str]) -> Optional[str]:
    if client_msg_id and header and client_msg_id != header:
        raise HTTPException(422, "Invalid request: the Idempotency-Key header and client_msg_id differ; send one of them.")
    return client_msg_id or header


@router.post("", response_model=s.DiscussionOut, status_code=201)
def start(body: s.DiscussionIn, viewer: Person = Depends(current_person), session: Session = get_session):
    """Plan and open a discussion: every criterion of the units (or chosen outcomes), in specification order."""
    if viewer.role == "admin" and body.assessor_id is None:
        raise HTTPException(422, "Invalid request: assessor_id: an admin must name the assessor who runs the discussion.")
    d = discussions.start(session, body.assessor_id or viewer.id, body.learner_id, body.source_id, list(body.unit_refs),
                          body.outcomes, channel=body.channel, location=body.location, by=viewer)
    return _detail(session, d)


@router.post("/{discussion_id}/answers", response_model=s.AnswerOut, status_code=201)
def answer(discussion_id: s.PathId, body: s.AnswerIn, viewer: Person = Depends(current_person),
           session: Session = get_session, idempotency_key: IdempotencyKey = None):
    """Record the learner's answer for a criterion (added to what is there; the same client_msg_id twice records once)."""
    d = discussion_for(session, viewer, discussion_id)
    return discussions.record_answer(session, d, body.criterion_ref, body.text, viewer,
                                     _key(body.client_msg_id, idempotency_key),
                                     unit=body.unit_ref, question=body.question)


@router.post("/{discussion_id}/decisions", response_model=s.DecisionOut, status_code=201)
def decision(discussion_id: s.PathId, body: s.DecisionIn, viewer: Person = Depends(current_person),
             session: Session = get_session, idempotency_key: IdempotencyKey = None):
    """Met, not yet met (with a reason) or skipped, by an assessor."""
    d = discussion_for(session, viewer, discussion_id)
    return discussions.decide(session, d, body.criterion_ref, body.outcome, body.reason, viewer,
                              unit=body.unit_ref, client_msg_id=_key(body.client_msg_id, idempotency_key))


@router.post("/{discussion_id}/signoffs", response_model=s.SignOffOut, status_code=201)
def sign_off(discussion_id: s.PathId, body: s.SignOffIn, viewer: Person = Depends(current_person),
             session: Session = get_session):
    """Sign in order: the discussion's assessor (locks the record), its learner, then optionally an IQA.
    Always as yourself."""
    d = discussion_for(session, viewer, discussion_id)
    return discussions.sign(session, d, viewer, body.role, body.declaration)


@router.post("/{discussion_id}/amendments", response_model=s.AmendmentOut, status_code=201)
def amendment(discussion_id: s.PathId, body: s.AmendmentIn, viewer: Person = Depends(current_person),
              session: Session = get_session, idempotency_key: IdempotencyKey = None):
    """Change a signed record (answer, decision or reason) with a reason; the change is audited. It undoes
    the learner's confirmation and an IQA's signature, if given (`signatures_undone`, `note`).
    The same Idempotency-Key (or client_msg_id) twice amends once and returns the first amendment."""
    d = discussion_for(session, viewer, discussion_id)
    a = discussions.amend(session, d, body.criterion_ref, body.field, body.new, body.reason, viewer, unit=body.unit_ref,
                         client_msg_id=_key(body.client_msg_id, idempotency_key))
    return s.AmendmentOut.model_validate(a).model_copy(update={
        "signatures_undone": [x.role for x in discussions.undone_by(session, a)],
        "note": discussions.undone_note(session, a)})
