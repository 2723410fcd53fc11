"""Secrets come only from the environment and are never logged; learners' answers stay out of the
application logs (the API and the actions here; the running servers' log files are checked by
tests/production/test_two_by_two.py)."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from tests.api.conftest import ADMIN_TOKEN, client, world  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = re.compile(r"^\s*([\w.-]*(token|secret|password|passwd|key)[\w.-]*)\s*:\s*(.+?)\s*$", re.I)
LITERAL_SECRETS = [re.compile(p) for p in (r"xox[abpr]-[0-9A-Za-z-]{10,}", r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
                                           r"(?i)(password|secret|api_key)\s*=\s*['\"][^'\"${}]{6,}['\"]")]
CODE = ["bot", "actions", "catalogue", "scripts", "credentials.yml", "endpoints.yml", "endpoints.production.yml"]


def test_secret_settings_in_the_config_files_are_environment_references():
    for name in ("credentials.yml", "endpoints.yml", "endpoints.production.yml"):
        for line in (ROOT / name).read_text().splitlines():
            m = SECRET_KEY.match(line.split("#")[0])
            if m and m.group(3) not in ("", "null", "~"):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+\}", m.group(3)), f"{name}: {line.strip()}"


def test_no_secret_is_written_into_the_code():
    for top in CODE:
        paths = [ROOT / top] if (ROOT / top).is_file() else (ROOT / top).rglob("*.py")
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            for pattern in LITERAL_SECRETS:
                assert not pattern.search(text), f"{path.relative_to(ROOT)}: {pattern.pattern}"


def test_the_api_logs_neither_tokens_nor_answers(world, caplog):
    caplog.set_level(logging.DEBUG)
    answer = "MY-PRIVATE-ANSWER about the complaints procedure 7f3a"
    r = world.call("assessor", "POST", f"/api/discussions/{world.d_open}/answers",
                   json={"criterion_ref": "1.2", "text": answer})
    assert r.status_code == 201, r.text
    assert world.call("assessor", "GET", f"/api/discussions/{world.d_open}").status_code == 200
    assert world.call("learner", "GET", f"/api/discussions/{world.d_open}/export?format=json").status_code == 200
    world.call("anonymous", "GET", "/api/me", headers={"Authorization": "Bearer not-a-real-token-5c1e"})
    # an error on the way must not echo the answer either
    world.call("assessor", "POST", "/api/discussions/999999/answers", json={"criterion_ref": "1.1", "text": answer})
    logged = caplog.text
    assert answer not in logged and "7f3a" not in logged
    for token in (*world.tokens.values(), ADMIN_TOKEN, "not-a-real-token-5c1e"):
        assert token not in logged


def test_a_failed_turn_logs_the_error_type_not_what_was_typed(caplog):
    pytest.importorskip("rasa_sdk")
    from rasa_sdk.executor import CollectingDispatcher

    from actions.common import SORRY, safely

    def fails(text):
        raise ValueError(f"could not parse {text!r}")

    dispatcher = CollectingDispatcher()
    caplog.set_level(logging.DEBUG)
    assert safely(dispatcher, fails, "my answer: I shouted at the customer 91c2") is None
    assert dispatcher.messages[0]["text"] == SORRY
    assert "ValueError" in caplog.text and "91c2" not in caplog.text
