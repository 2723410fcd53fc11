"""The REST channel's identity rules (issue 14.1): it never speaks for a Slack or Teams user, and a
staff token reaches the bot only as its hash (the hooks Rasa's REST webhook calls on each request)."""
import asyncio
import hashlib

import pytest

pytest.importorskip("rasa")

from sanic.exceptions import Forbidden  # noqa: E402

from bot.engine.channels.rest import GuardedRestInput  # noqa: E402


class Request:
    def __init__(self, body: dict, headers: dict | None = None) -> None:
        self.json, self.headers = body, {k.lower(): v for k, v in (headers or {}).items()}


@pytest.mark.parametrize("sender", ["slack:T1:U2", "teams:29:abc", "SLACK:T1:U2"])
def test_a_rest_sender_can_never_be_a_slack_or_teams_user(sender):
    with pytest.raises(Forbidden, match="verified webhook"):  # Sanic answers 403 with the message
        asyncio.run(GuardedRestInput()._extract_sender(Request({"sender": sender, "message": "sign"})))


def test_an_ordinary_sender_is_passed_on_without_staff_rights():
    request = Request({"sender": "tool-1", "message": "hi", "metadata": {"staff_token_sha256": "f" * 64, "page": "x"}})
    assert asyncio.run(GuardedRestInput()._extract_sender(request)) == "tool-1"
    assert GuardedRestInput().get_metadata(request) == {"page": "x"}


def test_a_bearer_token_reaches_the_bot_as_its_hash_only():
    metadata = GuardedRestInput().get_metadata(Request({"sender": "tool-1", "message": "hi"},
                                                       {"Authorization": "Bearer tok-1"}))
    assert metadata == {"staff_token_sha256": hashlib.sha256(b"tok-1").hexdigest()}
