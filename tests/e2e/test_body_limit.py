"""One body limit on the running Rasa server (#14.12): REST, socket.io polling and the Slack and
Teams webhooks all refuse a body over MAX_REQUEST_BYTES (default 1 MiB, not Sanic's 100 MB) with a
413 and a sentence, and a message under it is answered as before. The API's side: tests/api/test_body_limit.py."""
from __future__ import annotations

import json

import pytest

from bot.limits import DEFAULT_MAX_REQUEST_BYTES
from tests.e2e.channel_helpers import post

pytestmark = pytest.mark.e2e

ROUTES = ["/webhooks/rest/webhook", "/webhooks/slack/webhook", "/webhooks/teams/webhook",
          "/socket.io/?EIO=4&transport=polling&sid=unknown"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_body_over_the_limit_is_refused_with_a_sentence(stack, route):
    body = json.dumps({"sender": "e2e-big", "message": "x" * (2 * DEFAULT_MAX_REQUEST_BYTES)}).encode()
    status, text = post(stack.services["rasa"].url + route, body, {"Content-Type": "application/json"})
    assert status == 413, (route, status, text[:200])
    detail = json.loads(text)["detail"]
    assert detail.startswith("This request is 2.0 MB; the assistant accepts at most 1.0 MB in one request.")


def test_a_message_under_the_limit_is_answered(stack, sender):
    body = json.dumps({"sender": sender, "message": "hello"}).encode()
    status, text = post(stack.services["rasa"].url + "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    assert status == 200 and json.loads(text), text
