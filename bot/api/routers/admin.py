"""Administration (admins only): people, roles, API tokens, chat identities, enrolments. Plus /api/me."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Security
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api import schemas as s
from bot.api.auth import bearer, current_person, get_session, require_admin
from bot.records import access
from bot.records import enrolment as enrolments
from bot.records import people
from bot.domain.errors import Invalid
from bot.records.models import Identity, Person

router = APIRouter(prefix="/api", tags=["admin"],
                   responses=s.PROBLEMS)


def person_out(session: Session, p: Person) -> s.PersonOut:
    return s.PersonOut(id=p.id, display_name=p.display_name, role=p.role, created_at=p.created_at,
                       identities=[s.IdentityOut.model_validate(i) for i in people.identities_of(session, p)])


@router.get("/me", response_model=s.PersonOut, tags=["people"])
def me(viewer: Person = Depends(current_person), session: Session = get_session):
    """Who the token belongs to."""
    return person_out(session, viewer)


@router.get("/people", response_model=list[s.PersonOut])
def list_people(q: Optional[str] = Query(None, max_length=200, description="a name, loosely ('Sam' finds 'Sam Patel')"),
                role: Optional[s.Role] = None, admin: Person = Depends(require_admin), session: Session = get_session):
    """Everyone, or those whose name matches `q` (best first), optionally with one role."""
    found = people.find_people(session, q, role) if q and q.strip() else people.list_people(session, role)
    return [person_out(session, p) for p in found]


@router.get("/people/{person_id}", response_model=s.PersonOut)
def get_person(person_id: s.PathId, admin: Person = Depends(require_admin), session: Session = get_session):
    return person_out(session, people.get_person(session, person_id))


@router.patch("/people/{person_id}", response_model=s.PersonOut)
def rename_person(person_id: s.PathId, body: s.RenameIn, admin: Person = Depends(require_admin),
                  session: Session = get_session):
    """Correct a person's name (audited)."""
    return person_out(session, people.rename_person(session, admin, person_id, body.display_name))


@router.post("/people", response_model=s.PersonOut, status_code=201)
def create_person(body: s.PersonIn, admin: Person = Depends(require_admin), session: Session = get_session):
    """A learner, assessor or admin, optionally with their chat identities (Slack, Teams, web)."""
    for identity in body.identities:  # checked first, so a taken account creates nobody
        taken = session.scalar(select(Identity.id).where(Identity.channel == identity.channel,
                                                         Identity.external_id == identity.external_id))
        if taken is not None:
            raise Invalid(f"That {identity.channel} account ({identity.external_id}) already belongs to someone else.")
    p = people.create_person(session, body.display_name, body.role, actor=admin)
    for identity in body.identities:
        people.link_identity(session, p, identity.channel, identity.external_id, actor=admin)
    return person_out(session, p)


@router.post("/people/{person_id}/roles", response_model=s.PersonOut)
def grant_role(person_id: s.PathId, body: s.RoleIn, admin: Person = Depends(require_admin),
               session: Session = get_session):
    return person_out(session, people.grant_role(session, admin, person_id, body.role))


@router.delete("/people/{person_id}/roles/{role}", response_model=s.PersonOut)
def take_role(person_id: s.PathId, role: s.Role, admin: Person = Depends(require_admin),
              session: Session = get_session):
    """Take a role away: the person is a learner again (audited)."""
    return person_out(session, people.take_role(session, admin, person_id, role))


@router.post("/people/{person_id}/tokens", response_model=s.TokenOut, status_code=201)
def issue_token(person_id: s.PathId, body: Optional[s.TokenIn] = None, admin: Person = Depends(require_admin),
                session: Session = get_session):
    """A new API token for the person, valid for `days` (default API_TOKEN_DAYS, 90).
    It is shown once; only its hash is stored."""
    token = people.issue_token(session, person_id, actor=admin, days=body.days if body else None)
    row = people.token_record(session, token)
    return s.TokenOut(**s.TokenInfo.model_validate(row).model_dump(), token=token)


@router.get("/people/{person_id}/tokens", response_model=list[s.TokenInfo])
def list_tokens(person_id: s.PathId, admin: Person = Depends(require_admin), session: Session = get_session):
    """The person's tokens, valid or not (never the tokens themselves)."""
    return people.tokens_of(session, person_id, admin)


@router.delete("/tokens/{token_id}", response_model=s.TokenInfo)
def revoke_token(token_id: s.PathId, viewer: Person = Depends(current_person), session: Session = get_session):
    """Revoke a token at once (an admin: anyone's; anyone: their own). Revoking it again changes nothing."""
    return people.revoke_token(session, token_id, viewer)


@router.delete("/me/token", response_model=s.TokenInfo, tags=["people"])
def sign_out(credentials: HTTPAuthorizationCredentials = Security(bearer), viewer: Person = Depends(current_person),
             session: Session = get_session):
    """Revoke the token this request was sent with (signing out)."""
    return people.revoke_token(session, credentials.credentials, viewer)


@router.post("/people/{person_id}/identities", response_model=s.PersonOut, status_code=201)
def link_identity(person_id: s.PathId, body: s.LinkIn, admin: Person = Depends(require_admin),
                  session: Session = get_session):
    """Map a Slack (`<team>:<user>`) or Teams (`<tenant>:<user>`) account to the person. One linked to
    someone else is refused (409) unless `move` is true."""
    people.link_identity(session, person_id, body.channel, body.external_id, actor=admin, move=body.move)
    return person_out(session, people.get_person(session, person_id))


@router.get("/people/{assessor_id}/learners", response_model=list[s.PersonOut])
def assigned_learners(assessor_id: s.PathId, admin: Person = Depends(require_admin), session: Session = get_session):
    """The learners assigned to an assessor."""
    return [person_out(session, p) for p in access.assigned_learners(session, assessor_id)]


@router.put("/people/{assessor_id}/learners/{learner_id}", response_model=list[s.PersonOut])
def assign(assessor_id: s.PathId, learner_id: s.PathId, admin: Person = Depends(require_admin),
           session: Session = get_session):
    """Assign a learner to an assessor (audited; again changes nothing). Returns the assessor's learners."""
    access.assign(session, admin, assessor_id, learner_id)
    return [person_out(session, p) for p in access.assigned_learners(session, assessor_id)]


@router.delete("/people/{assessor_id}/learners/{learner_id}", response_model=list[s.PersonOut])
def unassign(assessor_id: s.PathId, learner_id: s.PathId, admin: Person = Depends(require_admin),
             session: Session = get_session):
    """Take a learner from an assessor (audited). Returns the assessor's learners."""
    access.unassign(session, admin, assessor_id, learner_id)
    return [person_out(session, p) for p in access.assigned_learners(session, assessor_id)]


@router.post("/enrolments", response_model=s.EnrolmentOut, status_code=201)
def enrol(body: s.EnrolmentIn, admin: Person = Depends(require_admin), session: Session = get_session):
    """Enrol a learner on a qualification (catalogue source id), optionally with their assessor.
    Enrolling again returns the existing enrolment (updating the assessor if one is given)."""
    if body.assessor_id is not None:
        assessor = people.get_person(session, body.assessor_id, "assessor")
        if assessor.role != "assessor":
            raise Invalid(f"{assessor.display_name} is a {assessor.role}, not an assessor; give an assessor's id.")
    return enrolments.enrol(session, body.learner_id, body.source_id, body.assessor_id, actor=admin)
