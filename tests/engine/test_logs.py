"""The Rasa server's structlog output (#14.8, bot/engine/logs.py): a failed REST message's text and
an exception's message or locals never reach the log; event names, numbers and the error type do."""
from __future__ import annotations

import json
import logging

import pytest

pytest.importorskip("rasa")

import structlog  # noqa: E402

from bot.engine import logs  # noqa: E402


def test_rasa_structlog_withholds_text_and_exception_detail(caplog, monkeypatch):
    from rasa.utils import log_utils

    monkeypatch.setattr(log_utils, "configure_structlog", log_utils.configure_structlog)  # undone after
    logs.install()
    log_utils.configure_structlog(logging.INFO)  # as `rasa run` does, with our processors after
    try:
        secret = "I told Mrs Okafor her refund was coming"
        logger = structlog.get_logger()
        try:
            raise RuntimeError(secret)
        except RuntimeError:
            logger.exception("rest.message.received.failure", text=secret, sender_id="slack:T1:U2", events=3)
        line = caplog.records[-1].getMessage()
    finally:
        structlog.reset_defaults()
    entry = json.loads(line)
    assert entry["event"] == "rest.message.received.failure" and entry["events"] == 3
    assert entry["text"] == f"<withheld: {len(secret)} chars>" and "U2" not in line
    assert entry["exception"].startswith("RuntimeError (message withheld)")
    assert "Okafor" not in line
