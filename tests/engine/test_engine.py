"""bot/engine/patches.py: the Rasa server's fixes change how fast Rasa checks an action server's reply,
never what it accepts or how it refuses (runs in the Rasa engine environment)."""
from __future__ import annotations

import copy

import pytest

pytest.importorskip("rasa")

import jsonschema  # noqa: E402
from rasa.core import run  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402

from bot.engine import patches as engine  # noqa: E402

ORIGINAL = RemoteAction._validate_action_result
ORIGINAL_LOAD = run.load_agent_on_start
GOOD = {"events": [{"event": "slot", "name": "pending_choice", "value": None, "timestamp": None}],
        "responses": [{"text": "Unit 206 has 4 learning outcomes.", "buttons": [{"title": "1.1", "payload": "1.1"}]}]}
BAD = [
    {"events": "not a list"},
    {"events": [{"event": 7}]},
    {"events": [{"event": "slot", "timestamp": "yesterday"}]},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": "hello"},
]


@pytest.fixture
def patched(monkeypatch):
    """bot.engine's fixes applied, and Rasa's own functions back afterwards."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    monkeypatch.setattr(run, "load_agent_on_start", ORIGINAL_LOAD)
    engine.apply()
    return RemoteAction("action_answer", None)


def _error(fn, action, result) -> str | None:
    try:
        fn(action, copy.deepcopy(result))
    except jsonschema.ValidationError as error:
        return error.message
    return None


def test_the_server_runs_with_the_fixed_check(patched):
    assert RemoteAction._validate_action_result is engine._validate_action_result
    assert patched._validate_action_result(copy.deepcopy(GOOD)) is True


@pytest.mark.parametrize("result", BAD)
def test_a_bad_reply_is_refused_with_rasas_own_message(patched, result):
    mine = _error(engine._validate_action_result, patched, result)
    assert mine is not None and "Failed to validate Action server response" in mine
    assert mine == _error(ORIGINAL, patched, result)


def test_the_schema_is_checked_once_not_on_every_reply(patched, monkeypatch):
    engine.action_response_validator.cache_clear()
    calls = []
    cls = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    real = cls.check_schema.__func__
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, s, *a, **k: (calls.append(1), real(c, s, *a, **k))[1]))
    for _ in range(5):
        patched._validate_action_result(copy.deepcopy(GOOD))
    assert len(calls) == 1
    ORIGINAL(patched, copy.deepcopy(GOOD))  # Rasa's own check re-validates the schema every time
    assert len(calls) == 2


def test_what_the_model_leaves_behind_is_frozen_once_it_is_loaded(patched, monkeypatch):
    import asyncio
    import gc
    from types import SimpleNamespace

    engine.apply()  # twice: still one wrapper
    assert run.load_agent_on_start.__wrapped__ is ORIGINAL_LOAD

    async def fake_load_agent(**kwargs):
        return "agent"

    monkeypatch.setattr("rasa.core.agent.load_agent", fake_load_agent)
    app = SimpleNamespace(ctx=SimpleNamespace())
    gc.unfreeze()
    try:
        assert asyncio.run(run.load_agent_on_start("m.tar.gz", None, None, app, None)) == "agent"
        assert app.ctx.agent == "agent" and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
