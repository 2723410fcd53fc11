"""Every assessor-only bot action against every role, through the functions the Rasa actions call
(bot.flows.assessor): a learner, an admin, the learner's own assessor and another assessor. A learner who
smuggles a discussion id into the conversation (e.g. '/intent{"discussion_id": "1"}') still cannot
record anything."""
from __future__ import annotations

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
        for role, pid in ids.items():
            people.link_identity(s, pid, "rest", f"rest-{role}", actor=admin)
        enrolment.enrol(s, ids["learner"], "sfj-l2", ids["assessor"], actor=admin)
        return ids

    return db, transaction(setup, db)


def count(db, model) -> int:
    with session_factory(db)() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["learner", "admin"])
def test_only_assessors_start_resume_or_export(chat_world, role):
    db, _ = chat_world
    messages, discussion_id = chat.start(f"rest-{role}", f"Start a professional discussion with Sam Learnerton on {UNIT}", {})
    assert discussion_id is None and "assessor role" in texts(messages)
    messages, discussion_id = chat.resume(f"rest-{role}", "resume the discussion", {})
    assert discussion_id is None and "assessor role" in texts(messages)
    assert "assessor role" in texts(chat.export(f"rest-{role}", "http://127.0.0.1:8000"))
    assert count(db, Discussion) == 0


def test_the_assessor_runs_it_and_nobody_else_can_write_to_it(chat_world):
    db, ids = chat_world
    messages, discussion_id = chat.start("rest-assessor", f"Start a professional discussion with Sam Learnerton on {UNIT}", {})
    assert discussion_id is not None, texts(messages)
    messages, active = chat.step("rest-assessor", discussion_id, "Tone matters as much as the words", "m-1")
    assert active and count(db, Answer) == 1
    for role in ("learner", "admin", "other_assessor"):
        try:
            messages, active = chat.step(f"rest-{role}", discussion_id, f"forged answer from {role}", f"m-{role}")
        except RecordsError:
            continue  # refused outright is as good as refused with a message
        assert not active, (role, texts(messages))
    assert count(db, Answer) == 1
    with session_factory(db)() as s:
        assert "forged" not in " ".join(s.scalars(select(Answer.text)).all())
    assert f"/api/discussions/{discussion_id}/export" in texts(chat.export("rest-assessor", "http://127.0.0.1:8000"))
