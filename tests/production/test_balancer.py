"""The balancer (bot/engine/balancer.py, run in the Rasa engine environment) against stand-in servers:
failover between action servers, "please try again" when none answers (keeping a form where it
was), when no Rasa server is up or one returns nothing, and too-long messages kept from Rasa."""
from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.launch.service import ROOT, free_port


class StandIn:
    """A server answering every POST with a fixed JSON body, counting the calls."""

    def __init__(self, body):
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.calls += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.reply(body)

            def do_GET(self):  # health checks: not counted
                self.reply({"status": "ok"})

            def reply(self, payload):
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read()), dict(r.headers)


@pytest.fixture
def balancer():
    procs = []

    def start(rasa: list[str], actions: list[str]) -> str:
        port = free_port()
        p = subprocess.Popen([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "bot.engine.balancer", "--port", str(port),
                              "--rasa", ",".join(rasa), "--actions", ",".join(actions)], cwd=ROOT,
                             env={"PYTHONPATH": str(ROOT), "BALANCER_MAX_MESSAGE_WORDS": "50"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/balancer/health", timeout=2)
            except urllib.error.HTTPError:
                break  # answering (503 while a kind of server is down)
            except OSError:
                assert time.monotonic() < deadline and p.poll() is None, "the balancer did not start"
                time.sleep(0.2)
                continue
            break
        return f"http://127.0.0.1:{port}"

    yield start
    for p in procs:
        p.kill()
        p.wait()


DEAD = f"http://127.0.0.1:{free_port()}"  # nothing listens there: connection refused


def test_an_action_call_fails_over_and_then_says_try_again(balancer):
    action = StandIn({"events": [], "responses": [{"text": "from the live action server"}]})
    url = balancer([DEAD], [DEAD, action.url])
    body, _ = post(url + "/webhook", {"next_action": "action_answer", "tracker": {"slots": {}}})
    assert body["responses"][0]["text"] == "from the live action server" and action.calls == 1
    url = balancer([DEAD], [DEAD])
    body, headers = post(url + "/webhook", {"next_action": "validate_discussion_form",
                                            "tracker": {"slots": {"requested_slot": "discussion_step"}}})
    assert "please try again" in body["responses"][0]["text"].lower()
    assert body["events"] == [{"event": "slot", "name": "discussion_step", "value": None}]  # the form stays
    assert headers["X-Assistant-Fallback"] == "actions"


def test_users_are_told_to_try_again_never_left_in_silence(balancer):
    empty = StandIn([])
    url = balancer([DEAD, empty.url], [DEAD])
    body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "hello"})
    assert empty.calls == 1 and headers["X-Assistant-Fallback"] == "empty"
    assert body[0]["recipient_id"] == "u1" and "please try again" in body[0]["text"].lower()
    url = balancer([DEAD], [DEAD])
    body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "hello"})
    assert headers["X-Assistant-Fallback"] == "rasa-down" and "please try again" in body[0]["text"].lower()


def test_a_reply_passes_through_and_a_too_long_message_never_reaches_rasa(balancer):
    rasa = StandIn([{"recipient_id": "u1", "text": "Hi!"}])
    url = balancer([rasa.url], [DEAD])
    assert post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "hello"})[0] == [{"recipient_id": "u1", "text": "Hi!"}]
    body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "unit 206 " * 40})
    assert headers["X-Assistant-Refused"] == "too-long" and "send it in parts" in body[0]["text"]
    assert rasa.calls == 1
