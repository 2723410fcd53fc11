"""API_ADMIN_TOKEN: on start-up, make sure that token belongs to an admin (created on first start).

The token lasts API_TOKEN_DAYS like any other. Setting a new value rotates it: the new token is
added to the same admin and every earlier API_ADMIN_TOKEN is revoked. A value that has expired or
was revoked is not brought back to life by a restart: the API starts without it and says so.
"""
from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.records import audit, people
from bot.records.db import write
from bot.records.models import Identity, Person

log = logging.getLogger("bot.api")

ADMIN_IDENTITY = ("rest", "api-admin")  # how the bootstrapped admin is found again on later starts


def bootstrap_admin(session: Session, token: str) -> Optional[Person]:
    """The admin the token belongs to, or None (logged) if that token expired or was revoked."""

    def work() -> Optional[Person]:
        row = people.token_record(session, token)
        if row is not None:
            if people.is_valid(row):
                return session.get(Person, row.person_id)
            log.error("API_ADMIN_TOKEN has expired or was revoked (token id %s): set a new value to sign in as "
                      "the admin, or issue a token with `python -m bot admin`", row.id)
            return None
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
        people.revoke_tokens(session, admin, admin, label=people.ADMIN_TOKEN_LABEL, reason="API_ADMIN_TOKEN rotated")
        people.issue_token(session, admin, label=people.ADMIN_TOKEN_LABEL, token=token)
        return admin

    return write(session, work)
