from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bot.records import audit, people
from bot.domain.errors import Forbidden, Invalid, NotFound
from bot.records.models import ApiToken, Identity


def test_identity_creates_a_learner_once(session):
    p = people.get_or_create_person_for_identity(session, "teams", "29:abc", "Sam Patel")
    again = people.get_or_create_person_for_identity(session, "teams", "29:abc", "Someone Else")
    assert again.id == p.id and p.role == "learner" and p.display_name == "Sam Patel"
    other = people.get_or_create_person_for_identity(session, "slack", "29:abc")
    assert other.id != p.id and other.display_name == "29:abc"
    assert session.scalars(select(Identity)).all().__len__() == 2
    assert [e.action for e in audit.entries(session, "person")] == ["person.create", "person.create"]


@pytest.mark.parametrize("channel, external_id, message", [
    ("fax", "1", "Unknown channel 'fax'"), ("web", "  ", "account id is empty")])
def test_identity_rejects_bad_input(session, channel, external_id, message):
    with pytest.raises(Invalid, match=message):
        people.get_or_create_person_for_identity(session, channel, external_id)


def test_roles_only_by_admin(session):
    admin = people.create_person(session, "Ada Admin", "admin")  # the first admin of an empty database
    with pytest.raises(Forbidden):
        people.create_person(session, "Second Admin", "admin")  # no actor: refused once an admin exists
    sam = people.create_person(session, "Sam Patel")
    with pytest.raises(Forbidden, match="only admins can change roles"):
        people.grant_role(session, sam, sam, "assessor")
    with pytest.raises(Invalid, match="Unknown role"):
        people.grant_role(session, admin, sam, "wizard")
    assert people.grant_role(session, admin, sam, "assessor").role == "assessor"
    entry = audit.entries(session, "person", sam.id, "person.role")[0]
    assert entry.actor_id == admin.id and entry.detail == {"old": "learner", "new": "assessor"}


def test_find_person_loosely(session):
    people.create_person(session, "Ada Admin", "admin")
    sam = people.create_person(session, "Sam Patel")
    kim = people.create_person(session, "Kimberley Jones")
    assert people.find_person(session, "Sam") == sam
    assert people.find_person(session, "sam patel") == sam
    assert people.find_person(session, "Kimberly Jones") == kim  # typo
    assert people.find_person(session, str(kim.id)) == kim
    assert people.find_person(session, "Nobody") is None
    people.create_person(session, "Sam Okafor")
    assert people.find_person(session, "Sam") is None  # two Sams: ambiguous
    assert [p.display_name for p in people.find_people(session, "Sam")] == ["Sam Patel", "Sam Okafor"]
    assert people.find_person(session, "Sam Patel") == sam


def test_tokens_are_hashed_and_revocable(session):
    sam = people.create_person(session, "Sam Patel")
    token = people.issue_token(session, sam)
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    assert people.person_for_token(session, token) == sam
    assert people.person_for_token(session, token + "x") is None
    people.revoke_token(session, token, sam)
    assert people.person_for_token(session, token) is None
    with pytest.raises(NotFound):
        people.revoke_token(session, "nope", sam)


def test_tokens_for_others_need_admin(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    sam = people.create_person(session, "Sam Patel")
    kim = people.create_person(session, "Kim Jones")
    with pytest.raises(Forbidden):
        people.issue_token(session, sam, actor=kim)
    assert people.person_for_token(session, people.issue_token(session, sam, actor=admin)) == sam


def test_unknown_person_id(session):
    with pytest.raises(NotFound, match="learner"):
        people.get_person(session, 999, "learner")
