"""Who is calling, and what they may see.

Authentication: `Authorization: Bearer <token>`; tokens come from the records layer (stored
hashed). Visibility: a learner sees only their own records; an assessor sees the learners
they are assigned to (enrolment.assessor_id) and the discussions they ran; an admin sees all.
What someone may *do* is checked again by the records services (roles, sign-off rules).
"""
from __future__ import annotations

from typing import Iterator

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from bot.domain.errors import Conflict
from bot.records import discussion as discussions
from bot.records.db import lost_race
from bot.records.models import Discussion, Enrolment, Person
from bot.records.people import person_for_token, token_record

bearer = HTTPBearer(auto_error=False, description="An API token issued by an admin (POST /api/people/{id}/tokens).")


def _request_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed once the endpoint has returned and before the
    response is sent (scope="function"), so a failed commit is an error response, never a 200."""
    session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except (IntegrityError, OperationalError) as error:
        session.rollback()
        if lost_race(error):
            raise Conflict("Someone else was changing this record at the same moment. Please try again.") from error
        raise  # e.g. the database is down: a 503 (bot/api/errors.py)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


get_session = Depends(_request_session, scope="function")


def current_person(credentials: HTTPAuthorizationCredentials | None = Security(bearer),
                   session: Session = get_session) -> Person:
    if credentials is None:
        raise HTTPException(401, "Not signed in: send the header 'Authorization: Bearer <token>'.",
                            headers={"WWW-Authenticate": "Bearer"})
    person = person_for_token(session, credentials.credentials)
    if person is None:
        raise HTTPException(401, _why_invalid(token_record(session, credentials.credentials)),
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return person


def _why_invalid(row) -> str:
    if row is None:
        return "That API token is not valid (unknown). Ask an admin for a token."
    if row.revoked_at is not None:
        return f"That API token was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC. Ask an admin for a new one."
    return f"That API token expired on {row.expires_at:%Y-%m-%d %H:%M} UTC. Ask an admin for a new one."


def require_admin(person: Person = Depends(current_person)) -> Person:
    if person.role != "admin":
        raise HTTPException(403, f"Only an admin can do this; you are signed in as a {person.role}.")
    return person


def assessed_by(assessor_id: int, learner_id):
    """SQL condition on a learner id (a value or a column): the assessor is assigned to the learner
    or has run a discussion with them. The inner discussions are aliased so that, used inside a
    query on discussions, they are not correlated with the outer row."""
    ran = aliased(Discussion)
    return or_(
        exists().where(Enrolment.learner_id == learner_id, Enrolment.assessor_id == assessor_id),
        exists().where(ran.learner_id == learner_id, ran.assessor_id == assessor_id),
    )


def sees_learner(session: Session, viewer: Person, learner_id: int) -> bool:
    if viewer.role == "admin" or viewer.id == learner_id:
        return True
    if viewer.role != "assessor":
        return False
    return bool(session.scalar(select(assessed_by(viewer.id, learner_id))))


def learner_for(session: Session, viewer: Person, learner_id: int) -> Person:
    """The learner, if the viewer may see them: 404 unknown, 403 not theirs."""
    learner = session.get(Person, learner_id)
    if learner is None:
        raise HTTPException(404, f"There is no person with id {learner_id}.")
    if not sees_learner(session, viewer, learner_id):
        raise HTTPException(403, "You can only see your own learners' records." if viewer.role == "assessor"
                            else "You can only see your own records.")
    return learner


def sees_discussion(session: Session, viewer: Person, d: Discussion) -> bool:
    return viewer.role == "admin" or viewer.id in (d.learner_id, d.assessor_id) or (
        viewer.role == "assessor" and sees_learner(session, viewer, d.learner_id))


def discussion_for(session: Session, viewer: Person, discussion_id: int) -> Discussion:
    """The discussion, if the viewer may see it: 404 unknown, 403 not theirs."""
    d = discussions.get(session, discussion_id)  # NotFound -> 404
    if not sees_discussion(session, viewer, d):
        raise HTTPException(403, "This discussion belongs to another learner." if viewer.role == "learner"
                            else "This discussion is not one of yours or your learners'.")
    return d


def visible_discussions(viewer: Person):
    """A select() of the discussions the viewer may see."""
    query = select(Discussion)
    if viewer.role == "learner":
        return query.where(Discussion.learner_id == viewer.id)
    if viewer.role == "assessor":
        return query.where(or_(Discussion.assessor_id == viewer.id, assessed_by(viewer.id, Discussion.learner_id)))
    return query
