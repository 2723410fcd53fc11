"""People, their chat/API identities, roles and API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Optional

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.records import audit
from bot.records.db import fetch, write
from bot.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bot.settings import Settings
from bot.records.models import CHANNELS, ROLES, ApiToken, Identity, Person, utcnow

PersonLike = Person | int


def get_person(session: Session, person: PersonLike, what: str = "person") -> Person:
    """The Person for an object or id; NotFound names what was looked for."""
    return fetch(session, Person, person, f"I can't find that {what} (id {person}).")


def require_role(person: Person, *roles: str, doing: str) -> None:
    if person.role not in roles:
        raise Forbidden(f"{person.display_name} is a {person.role}; only {' or '.join(r + 's' for r in roles)} can {doing}.")


def create_person(session: Session, display_name: str, role: str = "learner",
                  actor: Optional[PersonLike] = None) -> Person:
    """A person without a chat identity (set-up scripts, the API's admin, tests)."""
    name = _name(display_name)
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles are: {', '.join(ROLES)}.")
    if role != "learner":
        # only an admin may create staff, except the first admin (none yet, e.g. after anonymous chats)
        if not (role == "admin" and not has_admin(session)):
            require_role(get_person(session, actor, "admin") if actor is not None else _nobody(), "admin",
                         doing=f"create a {role}")

    def work() -> Person:
        p = Person(display_name=name, role=role)
        session.add(p)
        session.flush()
        audit.record(session, actor if actor is not None else p.id, "person.create", "person", p.id,
                     display_name=name, role=role)
        return p

    return write(session, work)


def _name(display_name: str) -> str:
    name = re.sub(r"\s+", " ", display_name or "").strip()
    if not name:
        raise Invalid("A person needs a name.")
    if len(name) > 200:
        raise Invalid("A name can be at most 200 characters.")
    return name


def _nobody() -> Person:
    return Person(display_name="Nobody signed in", role="anonymous")


def has_admin(session: Session) -> bool:
    return session.scalar(select(Person.id).where(Person.role == "admin").limit(1)) is not None


def list_people(session: Session, role: Optional[str] = None) -> list[Person]:
    """Everyone (or everyone with one role), oldest first."""
    if role is not None and role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles are: {', '.join(ROLES)}.")
    query = select(Person).order_by(Person.id)
    return list(session.scalars(query if role is None else query.where(Person.role == role)))


def identities_of(session: Session, person: PersonLike) -> list[Identity]:
    p = get_person(session, person)
    return list(session.scalars(select(Identity).where(Identity.person_id == p.id).order_by(Identity.id)))


def account_owner(session: Session, channel: str, external_id: str) -> Optional[Person]:
    """The person a chat account is linked to, if any."""
    return session.scalar(select(Person).join(Identity, Identity.person_id == Person.id)
                          .where(Identity.channel == channel, Identity.external_id == (external_id or "").strip()))


def rename_person(session: Session, admin: PersonLike, person: PersonLike, display_name: str) -> Person:
    """Correct a person's name (a learner first seen by their chat id, a typo). Only an admin may."""
    a = get_person(session, admin, "admin")
    p = get_person(session, person)
    require_role(a, "admin", doing="rename people")
    name = _name(display_name)

    def work() -> Person:
        if p.display_name != name:
            audit.record(session, a, "person.rename", "person", p.id, old=p.display_name, new=name)
            p.display_name = name
        return p

    return write(session, work)


def get_or_create_person_for_identity(session: Session, channel: str, external_id: str,
                                      display_name: Optional[str] = None) -> Person:
    """The person behind a chat or API account, created as a learner on first contact."""
    if channel not in CHANNELS:
        raise Invalid(f"Unknown channel '{channel}'. Channels are: {', '.join(CHANNELS)}.")
    external_id = (external_id or "").strip()
    if not external_id:
        raise Invalid("The account id is empty.")

    def find() -> Optional[Person]:
        return session.scalar(select(Person).join(Identity, Identity.person_id == Person.id)
                              .where(Identity.channel == channel, Identity.external_id == external_id))

    # every chat message asks this: someone already known is only read (no savepoint)
    if (known := find()) is not None:
        return known

    def work() -> Person:
        existing = find()
        if existing is not None:
            return existing  # created by a concurrent first message
        p = Person(display_name=(display_name or "").strip() or external_id, role="learner")
        session.add(p)
        session.flush()
        session.add(Identity(person_id=p.id, channel=channel, external_id=external_id))
        audit.record(session, p.id, "person.create", "person", p.id, display_name=p.display_name,
                     role=p.role, channel=channel, external_id=external_id)
        return p

    return write(session, work)


# Channels whose sender ids nobody verifies (REST, the web chat, socket.io): an anonymous learner's
# conversation, never a staff member's. Staff there sign in with an API token (issue 14.1).
UNVERIFIED_CHANNELS = ("rest", "web")


def person_for_sender(session: Session, channel: str, external_id: str,
                      staff_token_sha256: Optional[str] = None) -> Person:
    """Who a chat message is from. A valid API token (its hash, passed on by the REST or socket.io
    channel) names its person; otherwise the channel's account, created as a learner on first
    contact. An unverified account never speaks for staff: it is refused if it belongs to one."""
    if staff_token_sha256:
        if (signed_in := _person_for_hash(session, staff_token_sha256)) is not None:
            return signed_in
        raise Forbidden("That API token is not valid (unknown, expired or revoked). Ask an admin for a new one.")
    person = get_or_create_person_for_identity(session, channel, external_id)
    if channel in UNVERIFIED_CHANNELS and person.role != "learner":
        raise Forbidden(f"This chat belongs to a {person.role}, and staff must sign in with their API token "
                        "(README: Identity and roles).")
    return person


# What a verified channel's sender id holds after its prefix (bot/engine/channels): a link in any
# other shape would never match a message, so it is refused with the shape to use.
ACCOUNT_SHAPES = {"slack": "<team id>:<user id>, e.g. T0123ABCD:U0456EFGH",
                  "teams": "<tenant id>:<user's Entra object id>, e.g. "
                           "72f988bf-86f1-41af-91ab-2d7cd011db47:29a4c1d2-0c7e-4b6a-9f0e-1b2c3d4e5f60"}


def _account_id(channel: str, external_id: str) -> str:
    external_id = (external_id or "").strip()
    if not external_id:
        raise Invalid("The account id is empty.")
    if len(external_id) > 200:
        raise Invalid("An account id can be at most 200 characters.")
    if channel in ACCOUNT_SHAPES:
        first, sep, second = external_id.partition(":")
        if not (sep and first and second):
            raise Invalid(f"A {channel} account id is {ACCOUNT_SHAPES[channel]}; '{external_id}' is not in that shape.")
    return external_id


def link_identity(session: Session, person: PersonLike, channel: str, external_id: str,
                  actor: PersonLike, move: bool = False) -> Identity:
    """Attach another account to a person (an admin, or the person themself). An account already
    linked to someone else is refused unless `move` (an admin only): then it moves, audited, e.g.
    the learner created when a new assessor first chatted on Slack."""
    p = get_person(session, person)
    a = get_person(session, actor, "admin")
    if a.id != p.id or move:
        require_role(a, "admin", doing="link another person's account")
    if channel not in CHANNELS:
        raise Invalid(f"Unknown channel '{channel}'. Channels are: {', '.join(CHANNELS)}.")
    external_id = _account_id(channel, external_id)
    if channel in UNVERIFIED_CHANNELS and p.role != "learner":
        raise Invalid(f"A {channel} account is not verified, so it cannot be linked to staff (a {p.role}): they sign in "
                      "with an API token instead.")

    def work() -> Identity:
        taken = session.scalar(select(Identity).where(Identity.channel == channel, Identity.external_id == external_id))
        if taken is not None:
            if taken.person_id == p.id:
                return taken
            owner = session.get(Person, taken.person_id)
            if not move:
                raise Conflict(f"That {channel} account ({external_id}) is already linked to {owner.display_name} "
                               f"(id {owner.id}). To move it to {p.display_name}, link it again with move "
                               "(command line: --move).")
            audit.record(session, a, "identity.move", "person", p.id, channel=channel, external_id=external_id,
                         from_person=owner.id)
            taken.person_id = p.id
            return taken
        identity = Identity(person_id=p.id, channel=channel, external_id=external_id)
        session.add(identity)
        audit.record(session, a, "identity.link", "person", p.id, channel=channel, external_id=external_id)
        return identity

    return write(session, work)


def grant_role(session: Session, admin: PersonLike, person: PersonLike, role: str) -> Person:
    """Give someone a role (they have one at a time). Only an admin may; the last admin stays one."""
    a = get_person(session, admin, "admin")
    p = get_person(session, person)
    require_role(a, "admin", doing="change roles")
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles are: {', '.join(ROLES)}.")

    if p.role == "admin" and role != "admin" and not session.scalar(
            select(Person.id).where(Person.role == "admin", Person.id != p.id).limit(1)):
        raise Conflict(f"{p.display_name} is the only admin; make someone else an admin first.")

    def work() -> Person:
        old = p.role
        if old != role:
            p.role = role
            audit.record(session, a, "person.role", "person", p.id, old=old, new=role)
        return p

    return write(session, work)


def take_role(session: Session, admin: PersonLike, person: PersonLike, role: str) -> Person:
    """Take a role away: the person is a learner again. Refused if they do not have that role."""
    p = get_person(session, person)
    if role not in ROLES:
        raise Invalid(f"Unknown role '{role}'. Roles are: {', '.join(ROLES)}.")
    if role == "learner":
        raise Invalid("Everyone without another role is a learner, so that role cannot be taken away; "
                      "give another role instead.")
    if p.role != role:
        raise Invalid(f"{p.display_name} is a {p.role}, not a{'n' if role[0] in 'aeiou' else ''} {role}: "
                      "nothing to take away.")
    return grant_role(session, admin, p, "learner")


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _ranked(session: Session, name: str, role: Optional[str]) -> list[tuple[float, Person]]:
    wanted = _norm(name)
    if not wanted:
        return []
    query = select(Person).order_by(Person.id)
    if role is not None:
        query = query.where(Person.role == role)
    scored: list[tuple[float, Person]] = []
    for p in session.scalars(query):
        have = _norm(p.display_name)
        words = have.split(" ")
        if have == wanted:
            score = 100.0
        elif wanted in words:
            score = 95.0  # a first name or surname on its own: "Sam" for "Sam Patel"
        else:
            score = max([fuzz.ratio(wanted, have)] + [fuzz.ratio(wanted, w) for w in words])
        if score >= 85:
            scored.append((score, p))
    scored.sort(key=lambda sp: -sp[0])
    return scored


def find_people(session: Session, name: str, role: Optional[str] = None) -> list[Person]:
    """People whose display name matches loosely ("Sam" finds "Sam Patel", "Sma" too), best first."""
    return [p for _, p in _ranked(session, name, role)]


def find_person(session: Session, name_or_id: str | int, role: Optional[str] = None) -> Optional[Person]:
    """One person by id or loose name; None when nobody matches or two match equally well
    (then call find_people and ask which one)."""
    if isinstance(name_or_id, int) or name_or_id.strip().isdigit():
        p = session.get(Person, int(name_or_id))
        return p if p is not None and (role is None or p.role == role) else None
    ranked = _ranked(session, name_or_id, role)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


ADMIN_TOKEN_LABEL = "API_ADMIN_TOKEN"  # tokens made from that setting; a new value revokes the old (bot/api/bootstrap.py)


def issue_token(session: Session, person: PersonLike, actor: Optional[PersonLike] = None,
                days: Optional[int] = None, label: Optional[str] = None, token: Optional[str] = None) -> str:
    """A new API token for a person, valid for `days` (default API_TOKEN_DAYS). The plain token is
    returned once; only its hash is stored. `token`: store this value instead of a random one
    (API_ADMIN_TOKEN). `label` says where it came from ("API_ADMIN_TOKEN", "cli", ...)."""
    p = get_person(session, person)
    a = get_person(session, actor, "admin") if actor is not None else p
    if a.id != p.id:
        require_role(a, "admin", doing="issue tokens for someone else")
    days = Settings().api_token_days if days is None else days
    if not 1 <= days <= 3650:
        raise Invalid(f"A token lasts between 1 and 3650 days, not {days}.")
    token = token or secrets.token_urlsafe(32)

    def work() -> str:
        now = utcnow()
        row = ApiToken(person_id=p.id, token_hash=_hash(token), created_at=now, expires_at=now + timedelta(days=days),
                       label=label)
        session.add(row)
        session.flush()
        audit.record(session, a, "token.issue", "api_token", row.id, person_id=p.id, days=days, label=label)
        return token

    return write(session, work)


def token_record(session: Session, token: str) -> Optional[ApiToken]:
    """The stored row of a plain token (valid or not), or None if it was never issued."""
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token))) if token else None


def is_valid(row: ApiToken) -> bool:
    return row.revoked_at is None and row.expires_at > utcnow()


def person_for_token(session: Session, token: str) -> Optional[Person]:
    """The person a bearer token belongs to, or None if unknown, expired or revoked."""
    return _person_for_hash(session, _hash(token)) if token else None


def _person_for_hash(session: Session, token_hash: str) -> Optional[Person]:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None),
                                                ApiToken.expires_at > utcnow()))
    return session.get(Person, row.person_id) if row is not None else None


def tokens_of(session: Session, person: PersonLike, actor: PersonLike) -> list[ApiToken]:
    """A person's tokens (valid, expired and revoked), oldest first: for the person or an admin."""
    p = get_person(session, person)
    a = get_person(session, actor, "admin")
    if a.id != p.id:
        require_role(a, "admin", doing="see someone else's tokens")
    return list(session.scalars(select(ApiToken).where(ApiToken.person_id == p.id).order_by(ApiToken.id)))


def revoke_token(session: Session, token: str | int, actor: PersonLike, reason: Optional[str] = None) -> ApiToken:
    """Revoke one token, given as the plain token (a str) or its id (an int): its owner or an admin.
    Revoking a token already revoked changes nothing."""
    a = get_person(session, actor, "admin")
    row = session.get(ApiToken, token) if isinstance(token, int) else token_record(session, token)
    if row is None:
        raise NotFound(f"There is no API token with id {token}." if isinstance(token, int) else "That token is not known.")
    if row.person_id != a.id:
        require_role(a, "admin", doing="revoke someone else's token")

    def work() -> ApiToken:
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(session, a, "token.revoke", "api_token", row.id, person_id=row.person_id, reason=reason)
        return row

    return write(session, work)


def revoke_tokens(session: Session, person: PersonLike, actor: PersonLike, label: Optional[str] = None,
                  keep: Optional[str] = None, reason: Optional[str] = None) -> list[ApiToken]:
    """Revoke every valid token of a person (only those with `label`, if given; never the token `keep`)."""
    p = get_person(session, person)
    query = select(ApiToken).where(ApiToken.person_id == p.id, ApiToken.revoked_at.is_(None))
    if label is not None:
        query = query.where(ApiToken.label == label)
    if keep is not None:
        query = query.where(ApiToken.token_hash != _hash(keep))
    return [revoke_token(session, row.id, actor, reason) for row in session.scalars(query).all()]
