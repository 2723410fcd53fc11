"""HAProxy in the production profile (bot/launch/haproxy.py): the generated configuration passes
`haproxy -c`, and a real HAProxy in front of stand-in servers fails over between servers, never
sends a delivered message twice, says "please try again" (Rasa's format, X-Assistant-Fallback)
when no server can answer or one answers nothing, and keeps too-long messages from Rasa."""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.launch import haproxy
from bot.launch.service import free_port

pytestmark = pytest.mark.skipif(not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()),
                                reason="HAProxy is not installed: `bash scripts/setup.sh --production` (make unit runs it)")


class StandIn:
    """A server answering every POST with a fixed JSON body (or dropping the connection), counting the calls."""

    def __init__(self, body, drop: bool = False):
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.calls += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if drop:  # delivered, then the server dies before answering
                    self.connection.close()
                    return
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
        self.server.handle_error = lambda *_: None  # HAProxy resets health-check connections once answered
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


DEAD = free_port()  # nothing listens there: connection refused


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return r.status, json.loads(r.read()), r.headers  # case-insensitive: HAProxy sends names in lower case


def test_the_generated_configuration_passes_haproxy_check(tmp_path):
    plan = haproxy.Plan("127.0.0.1:15005", [15006, 15007, 15008], [15055, 15056], socket=str(tmp_path / "s.sock"))
    argv = haproxy.write_checked(plan, tmp_path / "haproxy.cfg")
    text = (tmp_path / "haproxy.cfg").read_text()
    assert argv[-2:] == ["-f", str(tmp_path / "haproxy.cfg")]
    assert text.count("server rasa-3 127.0.0.1:15008 check") == 3  # REST, socket.io and other Rasa paths
    assert "server actions-2 127.0.0.1:15056 check" in text and "retry-on conn-failure" in text
    done = subprocess.run([haproxy.binary(), "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert done.returncode == 0 and "WARNING" not in done.stdout + done.stderr, done.stdout + done.stderr


def test_a_configuration_haproxy_refuses_stops_the_launch(tmp_path, monkeypatch):
    monkeypatch.setattr(haproxy, "render", lambda plan: "frontend f\n    bind 127.0.0.1:1\n    no_such_keyword\n")
    with pytest.raises(haproxy.StackError, match="haproxy -c"):
        haproxy.write_checked(haproxy.Plan("127.0.0.1:1", [2], [3]), tmp_path / "bad.cfg")


@pytest.fixture
def front(tmp_path):
    procs = []

    def start(rasa: list[int], actions: list[int]) -> str:
        port = free_port()
        plan = haproxy.Plan(f"127.0.0.1:{port}", rasa, actions, max_body=5000)
        p = subprocess.Popen(haproxy.write_checked(plan, tmp_path / f"{port}.cfg"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        deadline = time.monotonic() + 20
        while True:  # listening, and its first health checks done
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{haproxy.HEALTH}", timeout=2)
            except urllib.error.HTTPError:
                pass
            except OSError:
                assert time.monotonic() < deadline and p.poll() is None, "HAProxy did not start"
                time.sleep(0.1)
                continue
            time.sleep(2.5)
            return f"http://127.0.0.1:{port}"

    yield start
    for p in procs:
        p.kill()
        p.wait()


def test_action_calls_go_round_robin_skip_a_dead_server_and_say_503_when_none_is_up(front):
    a, b = StandIn({"events": [], "responses": [{"text": "a"}]}), StandIn({"events": [], "responses": [{"text": "b"}]})
    url = front([DEAD], [a.port, DEAD, b.port])
    said = [post(url + "/webhook", {"next_action": "action_answer"})[1]["responses"][0]["text"] for _ in range(6)]
    assert sorted(said) == ["a"] * 3 + ["b"] * 3 and a.calls == b.calls == 3
    long_tracker = {"next_action": "action_answer", "tracker": {"events": [{"text": "x" * 1000}] * 100}}
    assert post(url + "/webhook", long_tracker)[0] == 200  # 100 kB: over the body limit, which is the users'
    url = front([DEAD], [DEAD])
    with pytest.raises(urllib.error.HTTPError) as e:
        post(url + "/webhook", {"next_action": "validate_discussion_form"})
    assert e.value.code == 503  # Rasa then drops the action's events: the form stays where it was


def test_users_are_told_to_try_again_never_left_in_silence(front):
    empty = StandIn([])
    url = front([empty.port], [DEAD])
    status, body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u\"1", "message": "hello"})
    assert status == 200 and empty.calls == 1 and headers["X-Assistant-Fallback"] == "empty"
    assert body[0]["recipient_id"] == "u\"1" and "please try again" in body[0]["text"].lower()
    url = front([DEAD], [DEAD])
    status, body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u2", "message": "hello"})
    assert status == 200 and headers["X-Assistant-Fallback"] == "rasa-down" and body[0]["recipient_id"] == "u2"
    assert "please try again" in body[0]["text"].lower()


def test_a_delivered_message_is_never_sent_again(front):
    dying, other = StandIn(None, drop=True), StandIn([{"recipient_id": "u1", "text": "Hi!"}])
    url = front([dying.port, other.port], [DEAD])
    outcomes = [post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "hello"}) for _ in range(4)]
    fallbacks = [h.get("X-Assistant-Fallback") for _s, _b, h in outcomes]
    assert dying.calls == 2 and other.calls == 2  # round robin, and the lost ones went nowhere else
    assert fallbacks.count("rasa-lost") == 2 and fallbacks.count(None) == 2


def test_a_reply_passes_through_and_a_too_long_message_never_reaches_rasa(front):
    rasa = StandIn([{"recipient_id": "u1", "text": "Hi!"}])
    url = front([DEAD, rasa.port], [DEAD])
    for _ in range(3):  # the refused port is skipped: the message still reaches the live server
        assert post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "hello"})[1] == \
            [{"recipient_id": "u1", "text": "Hi!"}]
    assert post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": "x" * 4900})[1][0]["text"] == "Hi!"
    for text in ("x" * 5000, "y" * 70000):  # over the 5,000-byte body limit; over HAProxy's buffer too
        status, body, headers = post(url + "/webhooks/rest/webhook", {"sender": "u1", "message": text})
        assert status == 200 and headers["X-Assistant-Refused"] == "too-long" and "send it in parts" in body[0]["text"]
        assert body[0]["recipient_id"] == "u1"
    assert rasa.calls == 4
    with pytest.raises(urllib.error.HTTPError) as e:
        post(url + "/webhooks/slack/webhook", {"text": "z" * 6000})
    assert e.value.code == 413
