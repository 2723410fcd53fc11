"""GDPR: a person's data as JSON (admins, or the person themself) and erasure of a learner
(admins only). The work is done by bot.flows.privacy; see its docstring for what is covered."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot.flows import privacy
from bot.api import schemas as s
from bot.api.auth import current_person, get_session, require_admin
from bot.records.models import Person
from bot.records.people import get_person

router = APIRouter(prefix="/api/people", tags=["privacy"],
                   responses=s.PROBLEMS)


class ErasureIn(BaseModel):
    confirm_name: str = Field(min_length=1, max_length=200,
                              description="The person's display name exactly as stored: a guard against erasing the wrong id")


class ErasureOut(BaseModel):
    person_id: int
    removed: dict[str, int] = Field(description="What was removed or redacted, by kind (and signed_discussions_kept)")
    note: Optional[str] = Field(default=None, description="What was kept within the retention period, and until when")


@router.get("/{person_id}/personal-data", response_model=dict[str, Any])
def personal_data(person_id: s.PathId, viewer: Person = Depends(current_person), session: Session = get_session):
    """Everything held about the person: records, audit entries and chat conversations (subject access)."""
    if viewer.role != "admin" and viewer.id != person_id:
        raise HTTPException(403, "Only an admin, or the person themself, can see all data held about a person.")
    return privacy.export_person(session, get_person(session, person_id))


@router.post("/{person_id}/erasure", response_model=ErasureOut)
def erase(person_id: s.PathId, body: ErasureIn, admin: Person = Depends(require_admin),
          session: Session = get_session):
    """Erase a learner's records and conversations (final; export first). Signed records within the retention
    period (RECORD_RETENTION_YEARS after sign-off, default 3) are kept, anonymised, and `note` says so."""
    person = get_person(session, person_id)
    if body.confirm_name != person.display_name:
        raise HTTPException(422, "confirm_name does not match the person's name; nothing was erased.")
    removed = privacy.erase_person(session, person, admin)
    return ErasureOut(person_id=person_id, removed=removed, note=privacy.retention_note(session, person_id))
