"""The audit log: one AuditEntry per write, added in the same transaction as the write.

Append-only three ways: the services only ever call `record`; a flush that would change or
delete an AuditEntry raises here; and the database triggers (migration 0001) refuse it.
"""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.records.models import AuditEntry, Person


class AuditTampering(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTampering("audit entries are append-only")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return str(value)


def record(session: Session, actor: Optional[Person | int], action: str, entity: str,
           entity_id: Any = None, **detail: Any) -> AuditEntry:
    """Add (not commit) an audit entry; the caller's write commits it with the change."""
    actor_id = actor.id if isinstance(actor, Person) else actor
    entry = AuditEntry(actor_id=actor_id, action=action, entity=entity,
                       entity_id=None if entity_id is None else str(entity_id), detail=_jsonable(detail))
    session.add(entry)
    return entry


def entries(session: Session, entity: str | None = None, entity_id: Any = None,
            action: str | None = None) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally for one entity or action."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(session.scalars(query))
