"""What the logs hold (#14.8, docs/security.md "What is logged"): through the real stack (Rasa,
action server, API; Slack and Teams through their fakes), a conversation naming a learner, with an
answer the records layer fails to store, leaves no message text, no name and no chat account id
in any process's log file. The failure itself is logged (type and frames), so the test sees the
path it checks."""
from __future__ import annotations

import functools
import json
import os
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.channel_helpers import post
from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e

UNIT = "D/506/2119"  # SFJ Level 2 Diploma, group B (C&G unit 206)


def _database_url(stack) -> str:
    return os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{stack.var / 'assistant.db'}"


class AnswersFail:
    """While in force, every insert into `answers` fails inside the database (a fault the records
    layer does not expect, with the answer's text in the driver's error message)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.postgres = self.engine.dialect.name == "postgresql"

    def __enter__(self):
        with self.engine.begin() as c:
            if self.postgres:
                c.execute(text("CREATE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS "
                               "$$ BEGIN RAISE EXCEPTION 'injected fault: %', NEW.text; END $$"))
                c.execute(text("CREATE TRIGGER injected_fault BEFORE INSERT ON answers "
                               "FOR EACH ROW EXECUTE FUNCTION injected_fault()"))
            else:
                c.execute(text("CREATE TRIGGER injected_fault BEFORE INSERT ON answers "
                               "BEGIN SELECT * FROM injected_fault_no_such_table; END"))
        return self

    def __exit__(self, *_exc):
        with self.engine.begin() as c:
            c.execute(text("DROP TRIGGER injected_fault" + (" ON answers" if self.postgres else "")))
            if self.postgres:
                c.execute(text("DROP FUNCTION injected_fault()"))
        self.engine.dispose()


def _sizes(stack) -> dict:
    return {p: p.stat().st_size for p in (stack.var / "logs").glob("*.log")}


def _logs_since(stack, sizes: dict) -> str:
    """What every process logged since `sizes` (the other tests of the session logged before)."""
    parts = []
    for path in sorted((stack.var / "logs").glob("*.log")):
        with path.open("rb") as f:
            f.seek(sizes.get(path, 0))
            parts.append(f.read().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_logs_hold_no_text_names_or_accounts(stack, sender, assessor_and_learner):
    mark = uuid.uuid4().hex[:8]
    name = assessor_and_learner["name"]  # "Sam Q<hex>"
    say = functools.partial(stack.say, sender, token=assessor_and_learner["token"])
    before = _sizes(stack)

    # an assessor runs a discussion with a named learner; one answer is stored, one fails
    reply = texts(say(f"Start a professional discussion with {name} on {UNIT}"))
    assert "1.1" in reply or "communicat" in reply.lower(), reply
    stored = f"Stored answer {mark}: we listen first and repeat the request back"
    say(stored)
    failing = f"Failing answer {mark}: I told Mrs Okonkwo-{mark} her refund was on its way"
    with AnswersFail(_database_url(stack)):
        reply = texts(say(failing))
    assert "sorry" in reply.lower() or "try again" in reply.lower(), reply

    # a learner question naming someone, over REST with no token
    learner_sender = f"e2e-logs-{mark}"
    stack.say(learner_sender, f"hi, I'm Priya Nandakumar-{mark}, what is unit 206 about?")

    # Slack and Teams messages through the verified webhooks
    slack = stack.fakes.slack
    slack_user = f"U{mark.upper()}"
    body, headers = slack.signed_event(slack.event(f"slack text {mark} from Dev Anand-{mark}", user=slack_user,
                                                   channel=f"D{mark.upper()}"))
    assert post(stack.services["rasa"].url + "/webhooks/slack/webhook", body, headers)[0] == 200
    slack.wait_for_messages(f"D{mark.upper()}")
    teams = stack.fakes.teams
    teams_user = f"29:{mark}teams"
    activity = teams.message(f"teams text {mark}", user_id=teams_user, conversation_id=f"a:{mark}")
    activity["from"]["name"] = f"Lee Teamsname-{mark}"
    status, _ = post(stack.services["rasa"].url + "/webhooks/teams/webhook", json.dumps(activity).encode(),
                     teams.headers(activity))
    assert status == 200
    teams.connector.wait_for_replies(f"a:{mark}")

    time.sleep(1)  # let the servers flush their logs
    logged = _logs_since(stack, before)
    assert "turn failed" in logged or "answer failed" in logged, "the failing answer was not logged at all"
    forbidden = [stored, failing, mark, name, name.split()[-1], "Okonkwo", "Nandakumar", "Dev Anand", "Teamsname",
                 slack_user, teams_user, learner_sender, sender, assessor_and_learner["token"],
                 assessor_and_learner["assessor"]["display_name"]]
    found = [f for f in forbidden if f in logged]
    assert not found, f"the logs hold {found}:\n" + "\n".join(
        line for line in logged.splitlines() if any(f in line for f in found))[:3000]
