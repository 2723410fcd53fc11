from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bot.records import audit, people
from bot.domain.errors import Conflict, Forbidden, Invalid, NotFound
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


def test_the_first_admin_may_come_after_anonymous_learners(session):
    """Learners made by chatting before anyone set the centre up do not block its first admin."""
    people.get_or_create_person_for_identity(session, "web", "0c5e", "Early Learner")
    admin = people.create_person(session, "Ada Admin", "admin")
    assert admin.role == "admin" and people.has_admin(session)
    with pytest.raises(Forbidden):
        people.create_person(session, "Second Admin", "admin")


def test_rename_and_list(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    sam = people.get_or_create_person_for_identity(session, "slack", "T1:U2")  # named by the account id
    assert sam.display_name == "T1:U2"
    people.rename_person(session, admin, sam, "  Sam   Patel ")
    assert sam.display_name == "Sam Patel"
    assert audit.entries(session, "person", sam.id, "person.rename")[0].detail == {"old": "T1:U2", "new": "Sam Patel"}
    with pytest.raises(Forbidden):
        people.rename_person(session, sam, sam, "Samantha")
    with pytest.raises(Invalid, match="needs a name"):
        people.rename_person(session, admin, sam, "   ")
    with pytest.raises(Invalid, match="at most 200"):
        people.rename_person(session, admin, sam, "S" * 201)
    assert [p.display_name for p in people.list_people(session)] == ["Ada Admin", "Sam Patel"]
    assert people.list_people(session, "admin") == [admin]
    with pytest.raises(Invalid, match="Unknown role"):
        people.list_people(session, "wizard")


def test_take_a_role_and_keep_one_admin(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    asha = people.create_person(session, "Asha Khan", "assessor", actor=admin)
    with pytest.raises(Invalid, match="not an admin"):
        people.take_role(session, admin, asha, "admin")
    with pytest.raises(Invalid, match="cannot be taken away"):
        people.take_role(session, admin, asha, "learner")
    assert people.take_role(session, admin, asha, "assessor").role == "learner"
    assert audit.entries(session, "person", asha.id, "person.role")[0].detail == {"old": "assessor", "new": "learner"}
    with pytest.raises(Conflict, match="only admin"):
        people.take_role(session, admin, admin, "admin")
    with pytest.raises(Conflict, match="only admin"):
        people.grant_role(session, admin, admin, "assessor")
    people.grant_role(session, admin, asha, "admin")
    assert people.take_role(session, asha, admin, "admin").role == "learner"  # another admin remains


def test_link_checks_the_account_shape_and_moves_only_when_asked(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    asha = people.create_person(session, "Asha Khan", "assessor", actor=admin)
    first = people.get_or_create_person_for_identity(session, "slack", "T1:U-ASHA")  # chatted before being set up
    with pytest.raises(Invalid, match="<team id>:<user id>"):
        people.link_identity(session, asha, "slack", "U-ASHA", actor=admin)  # would never match a message
    with pytest.raises(Invalid, match="<tenant id>"):
        people.link_identity(session, asha, "teams", "29:", actor=admin)
    with pytest.raises(Conflict, match="already linked to T1:U-ASHA"):
        people.link_identity(session, asha, "slack", "T1:U-ASHA", actor=admin)
    with pytest.raises(Forbidden):
        people.link_identity(session, asha, "slack", "T1:U-ASHA", actor=asha, move=True)
    people.link_identity(session, asha, "slack", " T1:U-ASHA ", actor=admin, move=True)
    assert people.account_owner(session, "slack", "T1:U-ASHA") == asha
    assert people.identities_of(session, first) == []
    entry = audit.entries(session, "person", asha.id, "identity.move")[0]
    assert entry.actor_id == admin.id and entry.detail == {"channel": "slack", "external_id": "T1:U-ASHA",
                                                           "from_person": first.id}
    assert people.person_for_sender(session, "slack", "T1:U-ASHA") == asha
    # a Teams user id from the Bot Framework may itself hold a colon
    people.link_identity(session, asha, "teams", "tenant-1:29:1abc", actor=admin)
    assert people.person_for_sender(session, "teams", "tenant-1:29:1abc") == asha
