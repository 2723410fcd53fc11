"""The production profile on this machine: two Rasa servers and two action servers (behind
HAProxy) on the local PostgreSQL and Redis, with databases and a lock-key prefix of this run's own.

- One professional discussion alternates its messages between the two Rasa servers (talking to
  each directly) and keeps all of its state: the answers and decisions in the records, every
  message in one tracker in PostgreSQL, the form still active.
- Messages sent at the same moment to one conversation through both servers are handled one at a
  time (Redis lock store): in the tracker, every message's turn ends before the next one starts.
- HAProxy sends messages to the Rasa servers in turn; with every action server down a message is
  answered "please try again" (X-Assistant-Fallback), and answered again once they are back.

Slow (two Rasa servers start): marked e2e, so `make unit` skips it; run it with
    .venv/bin/python -m pytest tests/production/test_two_by_two.py -q
"""
from __future__ import annotations

import csv
import json
import socket
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.launch import haproxy
from bot.launch.service import ROOT, StackError, free_port
from bot.launch.stack import Stack
from catalogue import load_catalogue
from tests.e2e.conftest import ADMIN_TOKEN, api, texts
from tests.services import reachable

pytestmark = pytest.mark.e2e

PG = "postgres@127.0.0.1:5432"
UNIT = "D/506/2119"  # Communicate verbally with customers (SFJ L2 group B)
ANSWERS = ["Customers judge the whole organisation by how we sound on the phone",
           "I lower my pace and check they have understood",
           "Face to face I keep an open posture and eye contact"]


def say(url: str, sender: str, text: str, token: str | None = None, with_headers: bool = False):
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": text}).encode(),
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=120) as r:
        body = json.loads(r.read() or b"[]")
        return (body, r.headers) if with_headers else body


def haproxy_stats(stack) -> dict[tuple[str, str], dict]:
    """`show stat` from HAProxy's runtime socket: (backend, server) -> its row."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(stack.var / "haproxy.sock"))
        s.sendall(b"show stat\n")
        raw = b"".join(iter(lambda: s.recv(65536), b""))
    rows = csv.DictReader(raw.decode().lstrip("# ").splitlines())
    return {(r["pxname"], r["svname"]): r for r in rows}


def pg(database: str, sql: str, *args):
    import psycopg

    with psycopg.connect(f"postgresql://{PG}/{database}", autocommit=True) as c:
        return c.execute(sql, args).fetchall() if sql.lstrip().upper().startswith("SELECT") else c.execute(sql, args)


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    if not (reachable(5432) and reachable(6379)):
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
    run = uuid.uuid4().hex[:10]
    dbs = {"records": f"csa_t{run}_records", "tracker": f"csa_t{run}_tracker"}
    env = {"CSA_PROFILE": "production", "API_ADMIN_TOKEN": ADMIN_TOKEN, "REDIS_KEY_PREFIX": f"t{run}",
           "DATABASE_URL": f"postgresql+psycopg://{PG}/{dbs['records']}",
           "TRACKER_DATABASE_URL": f"postgresql://{PG}/{dbs['tracker']}"}
    ports = {n: free_port() for n in ("actions", "rasa", "api", "rasa-1", "rasa-2", "actions-1", "actions-2")}
    s = Stack(ports=ports, env=env, model=ROOT / "models" / "current.tar.gz", var=tmp_path_factory.mktemp("prod"))
    try:
        s.start(say=lambda m: print(m, flush=True), timeout=420)
    except StackError as e:
        pytest.fail(str(e))
    s.dbs = dbs
    yield s
    s.stop()
    for name in dbs.values():
        pg("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def events(stack, sender: str) -> list[dict]:
    rows = pg(stack.dbs["tracker"], "SELECT data FROM events WHERE sender_id = %s ORDER BY id", sender)
    return [json.loads(d) for (d,) in rows]


def test_the_profile_runs_two_of_each_on_the_shared_stores(prod):
    assert {"rasa-1", "rasa-2", "actions-1", "actions-2", "rasa", "api"} <= set(prod.services)
    with urllib.request.urlopen(prod.services["rasa"].url + haproxy.HEALTH, timeout=10) as r:
        assert r.status == 200
    servers = [("rasa_rest", "rasa-1"), ("rasa_rest", "rasa-2"), ("rasa", "rasa-2"), ("actions", "actions-1"),
               ("actions", "actions-2")]
    deadline = time.monotonic() + 30  # the launcher waits for each server; HAProxy's next check sees it
    while any(haproxy_stats(prod)[s]["status"] != "UP" for s in servers):
        assert time.monotonic() < deadline, {s: haproxy_stats(prod)[s]["status"] for s in servers}
        time.sleep(0.5)
    status, body = api(prod, "GET", "/health")
    assert status == 200 and body["database"]["backend"] == "postgresql", body


def test_a_discussion_alternating_between_two_rasa_servers_keeps_its_state(prod):
    sender = f"assessor-{uuid.uuid4().hex[:8]}"
    suffix = uuid.uuid4().hex[:6]
    status, assessor = api(prod, "POST", "/api/people", {"display_name": f"Asha Assessor {suffix}", "role": "assessor"})
    assert status == 201, assessor
    status, token = api(prod, "POST", f"/api/people/{assessor['id']}/tokens")
    assert status == 201, token
    name = f"Sam Q{suffix}"
    status, learner = api(prod, "POST", "/api/people", {"display_name": name, "role": "learner"})
    assert status == 201, learner
    assert api(prod, "POST", "/api/enrolments", {"learner_id": learner["id"], "source_id": "sfj-l2",
                                                 "assessor_id": assessor["id"]})[0] == 201
    crits = load_catalogue().spec(UNIT, "sfj-l2").criteria
    servers = [prod.services["rasa-1"].url, prod.services["rasa-2"].url]
    script = [f"Start a professional discussion with {name} on {UNIT}", ANSWERS[0], "met", ANSWERS[1], "met", ANSWERS[2]]
    replies = [texts(say(servers[i % 2], sender, text, token["token"])) for i, text in enumerate(script)]
    assert crits[0].text in replies[0], replies[0]
    assert crits[1].text in replies[2], replies[2]  # server 2 recorded, server 1 moved on: shared state
    assert crits[2].text in replies[4], replies[4]

    status, discussions = api(prod, "GET", "/api/discussions")
    [d] = [x for x in discussions if x["learner_id"] == learner["id"]]
    status, record = api(prod, "GET", f"/api/discussions/{d['id']}/export?format=json")
    assert status == 200, record
    by_ref = {c["criterion_ref"]: c for c in record["criteria"]}
    assert by_ref[crits[0].ref]["answer"] == script[1] and by_ref[crits[0].ref]["decision_code"] == "met"
    assert by_ref[crits[1].ref]["answer"] == script[3] and by_ref[crits[1].ref]["decision_code"] == "met"
    assert by_ref[crits[2].ref]["answer"] == script[5] and by_ref[crits[2].ref]["decision_code"] is None

    # one conversation in the shared tracker store: every message, in order, and the form still on
    stored = events(prod, sender)
    assert [e["text"] for e in stored if e["event"] == "user"] == script
    loops = [e.get("name") for e in stored if e["event"] == "active_loop"]
    assert loops and loops[-1] == "discussion_form", loops


def test_concurrent_messages_to_one_conversation_are_serialised(prod):
    sender = f"learner-{uuid.uuid4().hex[:8]}"
    say(prod.services["rasa-1"].url, sender, "hello")
    servers = [prod.services["rasa-1"].url, prod.services["rasa-2"].url]
    messages = [f"what is unit {n}" for n in (201, 202, 203, 204, 205, 206, 207, 208)]
    with ThreadPoolExecutor(len(messages)) as pool:
        answers = list(pool.map(lambda im: say(servers[im[0] % 2], sender, im[1]), enumerate(messages)))
    assert all(answers), answers  # every message answered
    stored = events(prod, sender)
    assert sorted(e["text"] for e in stored if e["event"] == "user") == sorted(["hello", *messages])
    # each turn runs to its action_listen before the next message is taken
    open_turn = False
    for e in stored:
        if e["event"] == "user":
            assert not open_turn, "two messages of one conversation were processed at the same time"
            open_turn = True
        elif e["event"] == "action" and e.get("name") == "action_listen":
            open_turn = False
    assert not open_turn


def test_haproxy_takes_turns_and_says_try_again_while_every_action_server_is_down(prod):
    front, sender = prod.services["rasa"].url, f"learner-{uuid.uuid4().hex[:8]}"
    before = haproxy_stats(prod)
    for _ in range(4):
        assert texts(say(front, sender, "what is unit 201"))
    after = haproxy_stats(prod)
    served = [int(after[("rasa_rest", f"rasa-{i}")]["stot"]) - int(before[("rasa_rest", f"rasa-{i}")]["stot"])
              for i in (1, 2)]
    assert served == [2, 2], served  # round robin over the two Rasa servers
    for name in ("actions-1", "actions-2"):
        prod.services[name].stop()
    deadline = time.monotonic() + 30
    while any(haproxy_stats(prod)[("actions", n)]["status"] == "UP" for n in ("actions-1", "actions-2")):
        assert time.monotonic() < deadline, "HAProxy did not notice the action servers stopped"
        time.sleep(0.5)
    body, headers = say(front, sender, "what is unit 202", with_headers=True)
    assert headers["X-Assistant-Fallback"] and "please try again" in texts(body).lower(), (headers, body)
    for name in ("actions-1", "actions-2"):
        prod.services[name].start()
    prod.wait_ready(names=["actions-1", "actions-2"], say=lambda *_: None)
    time.sleep(2.5)  # HAProxy's health checks (every second while a server is down) see them up
    body, headers = say(front, sender, "what is unit 202", with_headers=True)
    assert headers["X-Assistant-Fallback"] is None and "please try again" not in texts(body).lower(), body


def test_no_log_holds_an_answer_or_a_secret(prod):
    """Run last: every server's log file, after the conversations above."""
    logs = list((prod.var / "logs").glob("*.log"))
    assert {p.name for p in logs} >= {"rasa-1.log", "rasa-2.log", "actions-1.log", "actions-2.log", "haproxy.log", "api.log"}
    for path in logs:
        text = path.read_text(errors="replace")
        for secret in (*ANSWERS, ADMIN_TOKEN):
            assert secret not in text, f"{path.name} holds {secret!r}"
