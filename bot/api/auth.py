"""Who is calling, and what they may see.

Authentication: `Authorization: Bearer <token>`; tokens come from the records layer (stored
hashed). Who may read or change which record is decided in one place, bot/records/access.py,
which the records services also call for every change.
"""
from __future__ import annotations

from typing import Iterator

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.domain.errors import Conflict
from bot.records import access
from bot.records import discussion as discussions
from bot.records.db import lost_race
from bot.records.models import Discussion, Person
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


def learner_for(session: Session, viewer: Person, learner_id: int) -> Person:
    """The learner, if the viewer may see them (bot/records/access.py): 404 unknown, 403 not theirs."""
    learner = session.get(Person, learner_id)
    if learner is None:
        raise HTTPException(404, f"There is no person with id {learner_id}.")
    access.require_read_learner(session, viewer, learner)  # Forbidden -> 403
    return learner


def discussion_for(session: Session, viewer: Person, discussion_id: int) -> Discussion:
    """The discussion, if the viewer may read it (bot/records/access.py): 404 unknown, 403 not theirs."""
    d = discussions.get(session, discussion_id)  # NotFound -> 404
    access.require_read(session, viewer, d)  # Forbidden -> 403
    return d
