"""The production profile's launcher part (bot/launch/profile.py), without starting servers: settings,
the services it plans, and restarting a service that died."""
from __future__ import annotations

import sys

import pytest

from bot.launch import profile
from bot.launch.service import ROOT, Service, StackError
from bot.launch.stack import Stack


def plan(tmp_path, monkeypatch, **env) -> Stack:
    monkeypatch.setattr(profile, "ensure_databases", lambda env: None)
    ports = {"rasa": 15005, "actions": 15055, "api": 18000}
    stack = Stack(ports=ports, env={"CSA_PROFILE": "production", **env}, var=tmp_path)
    stack._build()
    return stack


def test_settings_from_redis_url_and_defaults():
    conf = profile.settings({"REDIS_URL": "redis://:s3cret@cache.internal:6380/4"})
    assert (conf["REDIS_HOST"], conf["REDIS_PORT"], conf["REDIS_DB"], conf["REDIS_PASSWORD"]) == \
        ("cache.internal", "6380", "4", "s3cret")
    assert conf["DATABASE_URL"].startswith("postgresql+psycopg://") and conf["RASA_SERVERS"] == "2"


def test_default_profile_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("CSA_PROFILE", raising=False)
    stack = Stack(ports={"rasa": 15005, "actions": 15055, "api": 18000}, env={}, var=tmp_path)
    stack._build()
    assert set(stack.services) == {"actions", "rasa", "api"}
    with pytest.raises(StackError, match="production"):
        profile.is_production({"CSA_PROFILE": "prod"})


def test_production_plans_servers_behind_haproxy(tmp_path, monkeypatch):
    stack = plan(tmp_path, monkeypatch, RASA_SERVERS="3", ACTION_SERVERS="2", DATABASE_URL="postgresql+psycopg://u@db/r")
    s = stack.services
    assert set(s) == {"actions-1", "actions-2", "rasa-1", "rasa-2", "rasa-3", "rasa", "api"}
    assert [s[f"rasa-{i}"].port for i in (1, 2, 3)] == [15006, 15007, 15008]
    assert [s[f"actions-{i}"].port for i in (1, 2)] == [15055, 15056]
    rasa = s["rasa-2"].argv
    assert rasa[1:4] == ["-m", "bot.engine", "run"]  # Rasa's own command with bot/engine/patches.py's fixes
    assert rasa[rasa.index("--endpoints") + 1] == str(ROOT / "endpoints.production.yml")
    assert rasa[rasa.index("--port") + 1] == "15007" and rasa[rasa.index("--interface") + 1] == "127.0.0.1"
    front = s["rasa"].argv
    assert s["rasa"].port == 15005 and front[-2:] == ["-f", str(tmp_path / "haproxy.cfg")]
    config = (tmp_path / "haproxy.cfg").read_text()  # checked with haproxy -c before use
    assert "bind 127.0.0.1:15005" in config and "server actions-2 127.0.0.1:15056 check" in config
    assert "server rasa-3 127.0.0.1:15008 check" in config and "req.body_size gt 60000" in config
    env = s["actions-1"].env
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:15005/webhook"  # actions go through HAProxy
    assert env["DATABASE_URL"] == "postgresql+psycopg://u@db/r" and env["SQL_POOL_SIZE"] == "10"
    assert env["RASA_TELEMETRY_ENABLED"] == "false"


def test_a_bad_server_count_is_refused(tmp_path, monkeypatch):
    with pytest.raises(StackError, match="RASA_SERVERS"):
        plan(tmp_path, monkeypatch, RASA_SERVERS="0")
    with pytest.raises(StackError, match="MAX_MESSAGE_BYTES"):
        plan(tmp_path, monkeypatch, MAX_MESSAGE_BYTES="many")


def test_a_dead_service_is_started_again_a_few_times(tmp_path, monkeypatch):
    monkeypatch.setattr(profile, "_deaths", {})
    stack = Stack(ports={}, env={"CSA_PROFILE": "production"}, var=tmp_path)
    svc = Service("actions-1", [sys.executable, "-c", "pass"], 1, "/", {}, tmp_path / "x.log")
    svc.start()
    svc.proc.wait()
    revived = [profile.revive(stack, svc) for _ in range(6)]
    assert revived == [True] * 5 + [False]  # then the launcher stops, as in the default profile
    assert not profile.revive(Stack(ports={}, env={"CSA_PROFILE": "default"}, var=tmp_path), svc)
