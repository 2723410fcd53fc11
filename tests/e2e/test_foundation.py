"""The first real conversation, end to end through the action server (foundation issue)."""
import pytest

from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e


def test_greeting(stack, sender):
    reply = texts(stack.say(sender, "hello"))
    assert "Customer Service qualifications assistant" in reply


def test_help_lists_what_the_bot_can_do(stack, sender):
    reply = texts(stack.say(sender, "what can you do?")).lower()
    # The help answer comes from the action server (bot.domain.answers), not a canned response.
    for topic in ("still need", "criteri", "evidence", "professional discussion"):
        assert topic in reply, f"help should mention {topic!r}: {reply}"


def test_answer_computed_by_custom_action(stack, sender):
    reply = texts(stack.say(sender, "tell me about K/506/2155"))
    assert "Make telephone calls to customers" in reply
    assert "3 credits" in reply or "Credits: 3" in reply or "credits: 3" in reply.lower()


def test_out_of_scope(stack, sender):
    reply = texts(stack.say(sender, "what's the weather like in Leeds")).lower()
    assert reply, "out-of-scope messages still get a reply"
    assert "customer service" in reply or "help" in reply


def test_services_answer(stack):
    import urllib.request
    for name, path in (("api", "/health"), ("actions", "/health"), ("rasa", "/")):
        with urllib.request.urlopen(stack.services[name].url + path, timeout=5) as r:
            assert r.status == 200
