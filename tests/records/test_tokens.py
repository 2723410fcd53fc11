"""API tokens (#14.7): they expire, can be revoked by id or value, and a person's can be revoked at once."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import Forbidden, Invalid, NotFound
from bot.records import audit, people
from bot.records.models import utcnow


@pytest.fixture
def cast(session):
    admin = people.create_person(session, "Ada Admin", "admin")
    sam = people.create_person(session, "Sam Patel")
    kim = people.create_person(session, "Kim Jones")
    return admin, sam, kim


def test_a_token_expires_after_the_setting(session, cast, monkeypatch):
    admin, sam, _ = cast
    monkeypatch.setenv("API_TOKEN_DAYS", "7")
    token = people.issue_token(session, sam, actor=admin)
    row = people.token_record(session, token)
    assert timedelta(days=7) - timedelta(minutes=1) < row.expires_at - utcnow() <= timedelta(days=7)
    assert people.person_for_token(session, token) == sam
    row.expires_at = utcnow() - timedelta(seconds=1)  # a week later
    session.flush()
    assert people.person_for_token(session, token) is None and not people.is_valid(row)


def test_default_lifetime_is_90_days_and_days_are_bounded(session, cast, monkeypatch):
    admin, sam, _ = cast
    monkeypatch.delenv("API_TOKEN_DAYS", raising=False)
    row = people.token_record(session, people.issue_token(session, sam, actor=admin))
    assert (row.expires_at - row.created_at).days == 90
    row = people.token_record(session, people.issue_token(session, sam, actor=admin, days=1))
    assert (row.expires_at - row.created_at).days == 1
    for days in (0, 3651):
        with pytest.raises(Invalid, match="between 1 and 3650 days"):
            people.issue_token(session, sam, actor=admin, days=days)


def test_revoke_by_id_owner_or_admin(session, cast):
    admin, sam, kim = cast
    first, second = (people.issue_token(session, sam, actor=admin) for _ in range(2))
    first_id = people.token_record(session, first).id
    with pytest.raises(Forbidden):
        people.revoke_token(session, first_id, kim)
    assert people.person_for_token(session, first) == sam
    revoked = people.revoke_token(session, first_id, admin, reason="left the centre")
    assert revoked.revoked_at is not None and people.person_for_token(session, first) is None
    assert people.revoke_token(session, first_id, admin).revoked_at == revoked.revoked_at  # again: no change
    people.revoke_token(session, second, sam)  # the owner, by value
    assert people.person_for_token(session, second) is None
    with pytest.raises(NotFound, match="id 9999"):
        people.revoke_token(session, 9999, admin)
    entries = [e for e in audit.entries(session, "api_token") if e.action == "token.revoke"]
    assert [(e.entity_id, e.detail["reason"]) for e in entries] == [(str(first_id), "left the centre"),
                                                                   (str(people.token_record(session, second).id), None)]


def test_revoke_all_of_a_person_keeps_others(session, cast):
    admin, sam, kim = cast
    sams = [people.issue_token(session, sam, actor=admin) for _ in range(3)]
    kims = people.issue_token(session, kim, actor=admin)
    assert len(people.revoke_tokens(session, sam, admin)) == 3
    assert all(people.person_for_token(session, t) is None for t in sams)
    assert people.person_for_token(session, kims) == kim
    listed = people.tokens_of(session, sam, admin)
    assert len(listed) == 3 and all(r.revoked_at is not None for r in listed)
    with pytest.raises(Forbidden):
        people.tokens_of(session, sam, kim)
