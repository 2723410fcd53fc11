"""GDPR export and erasure of one learner: records, audit details and Rasa tracker events, on
SQLite and PostgreSQL; nobody else's data is touched and the audit log stays append-only."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from bot.flows import privacy
from bot.records import audit, discussion as disc, enrolment, people
from bot.domain.errors import Forbidden, Invalid
from bot.records.models import Answer, AuditEntry, Discussion, Identity, Person, Turn

# Rasa 3.6 SQLTrackerStore's table, as it creates it
EVENTS = ("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) "
          "NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")


@pytest.fixture
def trackers(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(EVENTS))
    return privacy.Trackers(url)


def add_events(trackers, sender, *events):
    with trackers.engine.begin() as c:
        for e in events:
            c.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, 0, :d)"),
                      {"s": sender, "t": e["event"], "d": json.dumps(e)})


def user(t, mid):
    return {"event": "user", "text": t, "message_id": mid, "parse_data": {"text": t, "entities": [{"value": t}]}}


def bot(t):
    return {"event": "bot", "text": t, "data": {"buttons": None}}


@pytest.fixture
def scene(session, world, trackers):
    """Sam (slack U-SAM) in a discussion with Alex; a second learner Kim with her own discussion."""
    kim = people.get_or_create_person_for_identity(session, "web", "kim-1", "Kim Other")
    enrolment.enrol(session, kim, "cg-pool", world.alex, actor=world.admin)
    d = disc.start(session, world.alex, world.sam, "cg-pool", ["206"], channel="slack")
    disc.record_answer(session, d, "1.1", "I slow down for older customers", world.alex, client_msg_id="m-sam-1")
    disc.decide(session, d, "1.1", "not_yet_met", "Sam did not mention pitch", world.alex, client_msg_id="m-sam-2")
    session.add(Turn(discussion_id=d.id, client_msg_id="m-sam-1", actor_id=world.alex.id))
    session.commit()
    dk = disc.start(session, world.alex, kim, "cg-pool", ["206"])
    disc.record_answer(session, dk, "1.1", "Kim's own answer", world.alex, client_msg_id="m-kim-1")
    add_events(trackers, "slack:U-SAM", user("what units do I need", "s1"), bot("You need 206"))
    add_events(trackers, "web:kim-1", user("hello", "k1"), bot("Hi Kim"))
    add_events(trackers, "slack:U-ALEX", user("start a discussion with Sam on 206", "a0"), bot("Started"),
               user("I slow down for older customers", "m-sam-1"), bot("Recorded: I slow down for older customers"),
               {"event": "slot", "name": "discussion_step", "value": "I slow down for older customers"},
               user("Kim's own answer", "m-kim-1"), bot("Recorded: Kim's own answer"))
    return world, kim, d, dk


def test_export_holds_records_audit_and_conversations(session, scene, trackers):
    world, kim, d, _ = scene
    out = privacy.export_person(session, world.sam, trackers)
    json.dumps(out)  # JSON-able as it is
    assert out["person"]["display_name"] == "Sam Patel"
    assert [(a["channel"], a["external_id"]) for a in out["accounts"]] == [("slack", "U-SAM")]
    assert [e["source_id"] for e in out["enrolments"]] == ["cg-pool"]
    [rec] = out["discussions"]
    assert rec["id"] == d.id and len(rec["plan"]) == 5
    assert [a["text"] for a in rec["answers"]] == ["I slow down for older customers"]
    assert [(x["outcome"], x["reason"]) for x in rec["decisions"]] == [("not_yet_met", "Sam did not mention pitch")]
    assert [e["text"] for e in out["conversations"]["slack:U-SAM"]] == ["what units do I need", "You need 206"]
    assert "web:kim-1" not in out["conversations"]
    carried = [t["event"].get("text") or t["event"].get("value") for t in out["turns_in_assessor_conversations"]]
    assert carried == ["I slow down for older customers", "Recorded: I slow down for older customers",
                       "I slow down for older customers"]
    actions = {e["action"] for e in out["audit"]}
    assert {"person.create", "enrolment.create", "discussion.start", "answer.record", "decision.record"} <= actions
    assert all("Kim" not in json.dumps(e) for e in out["audit"])


def test_erase_removes_everything_about_the_learner_and_nothing_else(session, scene, trackers, db_url):
    world, kim, d, dk = scene
    counts = privacy.erase_person(session, world.sam, world.admin, trackers)
    assert counts["discussions"] == 1 and counts["answers"] == 1 and counts["decisions"] == 1
    assert counts["accounts"] == 1 and counts["enrolments"] == 1 and counts["conversation_events"] == 2
    assert counts["redacted_events"] == 3 and counts["audit_redacted"] >= 5
    session.expire_all()
    sam = session.get(Person, world.sam.id)
    assert sam.display_name == f"Erased person {sam.id}"
    assert session.scalar(select(func.count()).select_from(Identity).where(Identity.person_id == sam.id)) == 0
    assert session.get(Discussion, d.id) is None
    # nothing personal left: in the records (audit details included) ...
    dump = json.dumps(privacy.export_person(session, sam, trackers))
    for secret in ("Sam Patel", "U-SAM", "older customers", "pitch"):
        assert secret not in dump
    every_detail = json.dumps([e.detail for e in session.scalars(select(AuditEntry))])
    assert "Sam Patel" not in every_detail and "U-SAM" not in every_detail and "pitch" not in every_detail
    # ... or in any conversation, while the assessor's other turns stay readable
    conversations = trackers.events(["slack:U-SAM", "slack:U-ALEX", "web:kim-1"])
    assert "slack:U-SAM" not in conversations
    alex = json.dumps(conversations["slack:U-ALEX"])
    assert "older customers" not in alex and "start a discussion with Sam on 206" in alex and "Kim's own answer" in alex
    assert [e["text"] for e in conversations["web:kim-1"]] == ["hello", "Hi Kim"]
    # Kim's records untouched
    assert session.get(Discussion, dk.id) is not None
    assert [a.text for a in session.scalars(select(Answer).where(Answer.discussion_id == dk.id))] == ["Kim's own answer"]
    # the erasure is audited, and the log is append-only again straight after
    [entry] = audit.entries(session, action="person.erase")
    assert entry.actor_id == world.admin.id and entry.detail["discussions"] == 1
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE audit_entries SET action = 'forged'"))
    session.rollback()


def test_only_an_admin_erases_and_only_a_learner(session, scene, trackers):
    world, kim, *_ = scene
    with pytest.raises(Forbidden):
        privacy.erase_person(session, world.sam, world.alex, trackers)
    with pytest.raises(Invalid):
        privacy.erase_person(session, world.alex, world.admin, trackers)
    assert session.get(Person, world.sam.id).display_name == "Sam Patel"


def test_erase_without_a_tracker_store_still_erases_records(session, scene):
    world, *_ = scene
    counts = privacy.erase_person(session, world.sam, world.admin, privacy.Trackers(None))
    assert counts["discussions"] == 1 and counts["conversation_events"] == 0


def test_erasing_within_the_retention_period_keeps_the_signed_record_anonymised(session, scene, trackers):
    """#14.10: a signed record within RECORD_RETENTION_YEARS (default 3) of sign-off is kept, anonymised."""
    world, kim, d, dk = scene
    disc.sign(session, d, world.alex, "assessor")
    session.commit()
    counts = privacy.erase_person(session, world.sam, world.admin, trackers)
    assert counts[privacy.RETAINED] == 1 and counts["turns"] == 1 and "discussions" not in counts
    assert counts["accounts"] == 1 and counts["enrolments"] == 1 and counts["conversation_events"] == 2
    session.expire_all()
    kept = session.get(Discussion, d.id)
    assert kept.status == "signed" and kept.learner_id == world.sam.id
    assert [a.text for a in session.scalars(select(Answer).where(Answer.discussion_id == d.id))] == [
        "I slow down for older customers"]
    assert session.scalar(select(func.count()).select_from(Turn).where(Turn.discussion_id == d.id)) == 0
    erased = f"Erased person {world.sam.id}"
    assert session.get(Person, world.sam.id).display_name == erased
    assert [s.role for s in disc.sign_offs(session, kept)] == ["assessor"]
    until = kept.signed_at.replace(year=kept.signed_at.year + 3)
    assert privacy.retention_note(session, world.sam) == (
        f"1 signed discussion record is kept, anonymised (the learner shows as “{erased}”), because signed "
        "assessment records are kept for 3 years after sign-off (RECORD_RETENTION_YEARS); everything else was "
        f"erased. Erase again after {until:%d %b %Y} to remove it.")
    assert session.scalar(select(func.count()).select_from(Identity).where(Identity.person_id == world.sam.id)) == 0
    assert "slack:U-SAM" not in trackers.events(["slack:U-SAM"])
    [entry] = audit.entries(session, action="person.erase")
    assert entry.detail[privacy.RETAINED] == 1


def test_after_the_retention_period_erasure_removes_the_signed_record(session, scene, trackers, monkeypatch):
    world, kim, d, dk = scene
    disc.sign(session, d, world.alex, "assessor")
    session.commit()
    monkeypatch.setenv("RECORD_RETENTION_YEARS", "0")  # the period is over the moment it is signed
    counts = privacy.erase_person(session, world.sam, world.admin, trackers)
    assert counts["discussions"] == 1 and counts["sign_offs"] == 1 and privacy.RETAINED not in counts
    session.expire_all()
    assert session.get(Discussion, d.id) is None
    assert privacy.retention_note(session, world.sam) is None


def test_the_retention_period_defaults_to_three_years(monkeypatch):
    from bot.settings import Settings

    monkeypatch.delenv("RECORD_RETENTION_YEARS", raising=False)
    assert Settings().record_retention_years == 3
