"""Staff sign-in for the web chat (issue 18): an assessor, IQA or admin gives their API token once and
gets a web chat session token for it, a token of their own labelled WEB_SESSION that lasts a day
(bot.records.people.issue_token). The page keeps only that session token, for this tab, and sends it
with every message; signing out revokes it (DELETE /api/me/token), so it is useless afterwards even if
copied. The API token itself is never stored by the page."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Security
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot.api.auth import bearer, current_person, get_session
from bot.api.schemas import PROBLEMS
from bot.records import people
from bot.records.models import Person

WEB_SESSION = "web chat session"
SESSION_DAYS = 1


class SessionOut(BaseModel):
    token: str = Field(description="the session token: send it as `Authorization: Bearer` with each message")
    person_id: int
    display_name: str
    role: str
    expires_at: datetime


router = APIRouter(tags=["web chat"])


@router.post("/chat/api/session", response_model=SessionOut, status_code=201,
             responses={status: PROBLEMS[status] for status in (401, 422)})
def sign_in(credentials: HTTPAuthorizationCredentials = Security(bearer),
            person: Person = Depends(current_person), session: Session = get_session) -> SessionOut:
    """Sign in to the web chat with an API token (`Authorization: Bearer <API token>`): a new session
    token for the same person, valid for a day or until signed out (`DELETE /api/me/token` with it)."""
    if people.token_record(session, credentials.credentials).label == WEB_SESSION:
        raise HTTPException(422, "That is a web chat session, not an API token: sign in with the API token an "
                                 "admin issued you.")
    token = people.issue_token(session, person, days=SESSION_DAYS, label=WEB_SESSION)
    row = people.token_record(session, token)
    return SessionOut(token=token, person_id=person.id, display_name=person.display_name, role=person.role,
                      expires_at=row.expires_at)
