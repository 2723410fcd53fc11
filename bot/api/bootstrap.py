"""API_ADMIN_TOKEN: on start-up, make sure that token belongs to an admin (created on first start)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.records import audit
from bot.records.db import write
from bot.records.models import ApiToken, Identity, Person
from bot.records.people import _hash as hash_token  # the records layer's token hashing (SHA-256)
from bot.records.people import person_for_token

ADMIN_IDENTITY = ("rest", "api-admin")  # how the bootstrapped admin is found again on later starts


def bootstrap_admin(session: Session, token: str) -> Person:
    """The admin the token belongs to. First start: an admin "Administrator" is created and the
    token stored (hashed) for them; a changed token is added to that same admin."""

    def work() -> Person:
        known = person_for_token(session, token)
        if known is not None:
            return known
        channel, external_id = ADMIN_IDENTITY
        identity = session.scalar(select(Identity).where(Identity.channel == channel, Identity.external_id == external_id))
        if identity is not None:
            admin = session.get(Person, identity.person_id)
        else:
            admin = Person(display_name="Administrator", role="admin")
            session.add(admin)
            session.flush()
            session.add(Identity(person_id=admin.id, channel=channel, external_id=external_id))
            audit.record(session, admin, "person.create", "person", admin.id, display_name=admin.display_name,
                         role="admin", via="API_ADMIN_TOKEN")
        row = ApiToken(person_id=admin.id, token_hash=hash_token(token))
        session.add(row)
        session.flush()
        audit.record(session, admin, "token.issue", "api_token", row.id, person_id=admin.id, via="API_ADMIN_TOKEN")
        return admin

    return write(session, work)
