"""Every assessor-only bot action against every role, through the functions the Rasa actions call
(bot.flows.assessor): a learner, an admin, the learner's own assessor and another assessor. A learner who
smuggles a discussion id into the conversation (e.g. '/intent{"discussion_id": "1"}') still cannot
record anything. Staff chat over REST with their API token (the channel passes on its hash); a
staff member's REST sender id without it is refused."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from bot.flows import assessor as chat
from bot.records import enrolment, people
from bot.records.db import session_factory, transaction
from bot.domain.errors import RecordsError
from bot.records.models import Answer, Discussion

UNIT = "D/506/2119"  # SFJ L2, Communicate verbally with customers


def texts(messages):
    return " ".join(m.get("text") or "" for m in messages)


@pytest.fixture
def chat_world(db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db)

    def setup(s) -> dict[str, int]:
        admin = people.create_person(s, "Ada Admin", "admin")
        ids = {"admin": admin.id}
        for role, name, kind in (("assessor", "Asha Assessor", "assessor"), ("other_assessor", "Otto Assessor", "assessor")):
            ids[role] = people.create_person(s, name, kind, actor=admin).id
        ids["learner"] = people.create_person(s, "Sam Learnerton", "learner", actor=admin).id
        people.link_identity(s, ids["learner"], "rest", "rest-learner", actor=admin)
        for role, pid in ids.items():
            if role != "learner":
                STAFF[role] = hashlib.sha256(people.issue_token(s, pid, actor=admin).encode()).hexdigest()
        enrolment.enrol(s, ids["learner"], "sfj-l2", ids["assessor"], actor=admin)
        return ids

    STAFF.clear()
    return db, transaction(setup, db)


STAFF: dict[str, str] = {}  # role -> the hash of that person's API token, as the channel passes it on


def staff(role: str) -> dict:
    return {"staff": STAFF.get(role)}


def count(db, model) -> int:
    with session_factory(db)() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["learner", "admin"])
def test_only_assessors_start_resume_or_export(chat_world, role):
    db, _ = chat_world
    messages, discussion_id = chat.start(f"rest-{role}", f"Start a professional discussion with Sam Learnerton on {UNIT}", {}, **staff(role))
    assert discussion_id is None and "assessor role" in texts(messages)
    messages, discussion_id = chat.resume(f"rest-{role}", "resume the discussion", {}, **staff(role))
    assert discussion_id is None and "assessor role" in texts(messages)
    assert "assessor role" in texts(chat.export(f"rest-{role}", "http://127.0.0.1:8000", **staff(role)))
    assert count(db, Discussion) == 0


def test_the_assessor_runs_it_and_nobody_else_can_write_to_it(chat_world):
    db, ids = chat_world
    messages, discussion_id = chat.start("rest-assessor", f"Start a professional discussion with Sam Learnerton on {UNIT}", {}, **staff("assessor"))
    assert discussion_id is not None, texts(messages)
    messages, active = chat.step("rest-assessor", discussion_id, "Tone matters as much as the words", "m-1", **staff("assessor"))
    assert active and count(db, Answer) == 1
    for role in ("learner", "admin", "other_assessor"):
        try:
            messages, active = chat.step(f"rest-{role}", discussion_id, f"forged answer from {role}", f"m-{role}", **staff(role))
        except RecordsError:
            continue  # refused outright is as good as refused with a message
        assert not active, (role, texts(messages))
    assert count(db, Answer) == 1
    with session_factory(db)() as s:
        assert "forged" not in " ".join(s.scalars(select(Answer.text)).all())
    assert f"/api/discussions/{discussion_id}/export" in texts(chat.export("rest-assessor", "http://127.0.0.1:8000", **staff("assessor")))


def test_a_rest_sender_is_never_staff_without_the_token(chat_world):
    db, ids = chat_world
    start = f"Start a professional discussion with Sam Learnerton on {UNIT}"
    # the assessor's sender id alone, a made-up token hash, the learner's own token-less chat: refused
    for sender, token in (("rest-assessor", None), ("rest-assessor", "0" * 64), ("rest-learner", None)):
        messages, discussion_id = chat.start(sender, start, {}, staff=token)
        assert discussion_id is None, (sender, token)
    # someone who chatted over REST first and was then made an assessor: that chat is not them
    transaction(lambda s: people.grant_role(s, ids["admin"], ids["learner"], "assessor"), db)
    assert "sign in with their API token" in texts(chat.start("rest-learner", start, {})[0])
    assert "not valid" in texts(chat.start("rest-x", start, {}, staff="0" * 64)[0])
    assert count(db, Discussion) == 0


def test_a_verified_slack_identity_linked_by_an_admin_acts_for_its_person(chat_world):
    db, ids = chat_world
    transaction(lambda s: people.link_identity(s, ids["assessor"], "slack", "T1:U-ASHA", actor=ids["admin"]), db)
    messages, discussion_id = chat.start("slack:T1:U-ASHA", f"Start a professional discussion with Sam Learnerton on {UNIT}", {})
    assert discussion_id is not None, texts(messages)


def test_an_unverified_account_cannot_be_linked_to_staff(chat_world):
    db, ids = chat_world
    for channel in ("rest", "web"):
        with pytest.raises(RecordsError, match="not verified"):
            transaction(lambda s: people.link_identity(s, ids["assessor"], channel, "x-1", actor=ids["admin"]), db)


def test_starting_with_a_learner_not_assigned_to_you_says_how_to_fix_it(chat_world):
    db, ids = chat_world
    messages, discussion_id = chat.start("rest-other_assessor", f"Start a professional discussion with Sam Learnerton on {UNIT}",
                                         {}, **staff("other_assessor"))
    assert discussion_id is None
    assert texts(messages) == ("Sam Learnerton is not assigned to you; an admin can assign them to you "
                               "(see README: Identity and roles).")
    assert count(db, Discussion) == 0
