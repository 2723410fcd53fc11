"""Issue 14 point 2: Rasa and the action server listen on loopback unless LISTEN_ADDRESS says
otherwise, the action server answers only Rasa's shared secret, CORS only for the API's origin,
and the channel guide publishes only the verified webhooks."""
from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request

import pytest

from bot.launch import profile
from bot.launch.service import ROOT, Service, StackError, free_port
from bot.launch.stack import Stack


def planned(tmp_path, **env) -> Stack:
    stack = Stack(ports={"rasa": 15005, "actions": 15055, "api": 18000}, env=env, var=tmp_path)
    stack._build()
    return stack


def arg(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def test_default_profile_binds_loopback_with_one_secret_and_the_apis_origin(tmp_path, monkeypatch):
    for var in ("LISTEN_ADDRESS", "ACTION_SERVER_TOKEN", "API_PUBLIC_URL", "CSA_PROFILE", "SANIC_HOST"):
        monkeypatch.delenv(var, raising=False)
    s = planned(tmp_path).services
    rasa = s["rasa"].argv
    assert arg(rasa, "--interface") == "127.0.0.1" and s["actions"].env["SANIC_HOST"] == "127.0.0.1"
    assert rasa[rasa.index("--cors") + 1:] == ["http://127.0.0.1:18000", "http://localhost:18000"]
    token = s["actions"].env["ACTION_SERVER_TOKEN"]
    assert len(token) >= 32 and s["rasa"].env["ACTION_SERVER_TOKEN"] == token
    assert planned(tmp_path).services["rasa"].env["ACTION_SERVER_TOKEN"] != token  # fresh per run


def test_a_setting_opens_the_address_and_names_the_public_origin(tmp_path, monkeypatch):
    monkeypatch.delenv("CSA_PROFILE", raising=False)
    s = planned(tmp_path, LISTEN_ADDRESS="0.0.0.0", ACTION_SERVER_TOKEN="given-secret",
                API_PUBLIC_URL="https://assistant.example.org/app").services
    assert arg(s["rasa"].argv, "--interface") == "0.0.0.0" and s["actions"].env["SANIC_HOST"] == "0.0.0.0"
    assert arg(s["rasa"].argv, "--cors") == "https://assistant.example.org"
    assert s["actions"].env["ACTION_SERVER_TOKEN"] == "given-secret"
    with pytest.raises(StackError, match="LISTEN_ADDRESS"):
        planned(tmp_path, LISTEN_ADDRESS="everywhere")


def test_production_servers_bind_loopback_too(tmp_path, monkeypatch):
    monkeypatch.setattr(profile, "ensure_databases", lambda env: None)
    monkeypatch.delenv("LISTEN_ADDRESS", raising=False)
    s = planned(tmp_path, CSA_PROFILE="production").services
    assert all(arg(s[n].argv, "--interface") == "127.0.0.1" for n in ("rasa-1", "rasa-2"))
    assert s["actions-1"].env["SANIC_HOST"] == "127.0.0.1"
    assert s["actions-1"].env["ACTION_SERVER_TOKEN"] == s["rasa-2"].env["ACTION_SERVER_TOKEN"]


def test_both_endpoint_files_send_the_secret():
    for name in ("endpoints.yml", "endpoints.production.yml"):
        assert "Authorization: Bearer ${ACTION_SERVER_TOKEN}" in (ROOT / name).read_text()


def test_the_channel_guide_publishes_only_the_verified_webhooks():
    text = (ROOT / "docs" / "channels" / "README.md").read_text()
    published = set(re.findall(r"https://assistant\.example\.org(/webhooks/[a-z/]*)", text))
    assert published == {"/webhooks/slack/webhook", "/webhooks/teams/webhook"}


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_SERVER_TOKEN": "the-shared-secret", "SANIC_HOST": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('a') / 'records.db'}"}
    svc = Service("actions", [str(ROOT / ".venv" / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
                              "--port", str(port)], port, "/health", env, tmp_path_factory.mktemp("log") / "a.log")
    svc.start()
    deadline = time.monotonic() + 60
    while not svc.ready():
        assert svc.alive() and time.monotonic() < deadline, svc.log_tail()
        time.sleep(0.3)
    yield svc
    svc.stop()


def call(url: str, headers: dict[str, str]) -> int:
    body = json.dumps({"next_action": "action_no_such_thing", "sender_id": "x",
                       "tracker": {"sender_id": "x", "slots": {}, "events": [], "latest_message": {}}}).encode()
    req = urllib.request.Request(url + "/webhook", data=body, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "the-shared-secret"},
                                     {"Authorization": "Basic the-shared-secret"}])
def test_the_action_server_refuses_a_call_without_the_secret(action_server, headers):
    assert call(action_server.url, headers) == 401


def test_the_action_server_answers_rasa_with_the_secret(action_server):
    # past the check, rasa-sdk's executor itself answers: 404, no action of that name
    assert call(action_server.url, {"Authorization": "Bearer the-shared-secret"}) == 404
    assert action_server.ready()  # /health stays open for probes
