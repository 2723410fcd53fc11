"""bot.engine.stores.ResilientSQLTrackerStore writes exactly the events a turn added, without Rasa's
counting query on every save (runs in the Rasa engine environment, on SQLite and, when it is
running, PostgreSQL)."""
from __future__ import annotations

import asyncio
import subprocess
import uuid

import pytest

pytest.importorskip("rasa")

import sqlalchemy as sa  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (ActionExecuted, BotUttered, SessionStarted, SlotSet,  # noqa: E402
                                     UserUttered)

from bot.engine.stores import ResilientSQLTrackerStore  # noqa: E402
from tests.services import reachable  # noqa: E402

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  pending_choice:
    type: list
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
""")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
        return
    if not reachable(5432):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"csa_t{uuid.uuid4().hex[:8]}_tracker"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    s = ResilientSQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1", port=5432,
                                 login_db="postgres", db=name, username="postgres")
    yield s
    s.engine.dispose()
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)


def stored(store, sender: str) -> list[str]:
    with store.engine.connect() as c:
        rows = c.execute(sa.text("SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"),
                         {"s": sender}).all()
    return [f"{t}:{a}" if a else t for t, a in rows]


def counting_queries(store) -> list[str]:
    seen: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: seen.append(statement) if "count(" in statement.lower() else None)
    return seen


def turn(store, sender: str, *events) -> None:
    async def run():
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for e in events:
            tracker.update(e)
        await store.save(tracker)
    asyncio.run(run())


def test_each_turn_adds_its_own_events_once_and_nothing_is_counted(store):
    sender = f"learner-{uuid.uuid4().hex[:6]}"
    turn(store, sender, ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    counts = counting_queries(store)  # from here on every tracker was read by this store
    turn(store, sender, UserUttered("hello"), ActionExecuted("utter_greet"), BotUttered("hi"),
         ActionExecuted("action_listen"))
    turn(store, sender, UserUttered("what units do I need?"), ActionExecuted("action_answer"),
         SlotSet("pending_choice", ["J/506/2132"]), ActionExecuted("action_listen"))
    assert stored(store, sender) == [
        "action:action_session_start", "session_started", "action:action_listen",
        "user", "action:utter_greet", "bot", "action:action_listen",
        "user", "action:action_answer", "slot:pending_choice", "action:action_listen"]
    assert counts == []
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker.get_slot("pending_choice") == ["J/506/2132"] and len(tracker.events) == 10  # from session_started


def test_a_new_session_in_the_middle_of_a_turn(store):
    sender = f"learner-{uuid.uuid4().hex[:6]}"
    turn(store, sender, ActionExecuted("action_session_start"), SessionStarted(timestamp=1.0),
         ActionExecuted("action_listen", timestamp=1.1), UserUttered("hi", timestamp=1.2))
    turn(store, sender, ActionExecuted("action_session_start", timestamp=9.0), SessionStarted(timestamp=9.1),
         ActionExecuted("action_listen", timestamp=9.2), UserUttered("hello again", timestamp=9.3))
    assert stored(store, sender) == ["action:action_session_start", "session_started", "action:action_listen",
                                     "user"] * 2
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker.latest_message.text == "hello again" and "hi" not in [e.as_dict().get("text") for e in tracker.events]


def test_a_tracker_read_whole_or_saved_twice_writes_nothing_twice(store):
    sender = f"learner-{uuid.uuid4().hex[:6]}"
    turn(store, sender, ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    full = asyncio.run(store.retrieve_full_tracker(sender))
    full.update(UserUttered("hello"))
    asyncio.run(store.save(full))
    asyncio.run(store.save(full))
    assert stored(store, sender) == ["action:action_session_start", "session_started", "action:action_listen", "user"]


def test_a_tracker_it_did_not_read_is_saved_the_way_rasa_does(store):
    sender = f"learner-{uuid.uuid4().hex[:6]}"
    tracker = store.init_tracker(sender)
    tracker.update(UserUttered("hello"))
    counts = counting_queries(store)
    asyncio.run(store.save(tracker))
    assert len(counts) == 1 and stored(store, sender) == ["user"]
