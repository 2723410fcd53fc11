"""The long-message guard every channel applies before the NLU (runs in the engine environment)."""
from bot.engine.channels.guard import LONG_MESSAGE, MAX_NLU_CHARS, guard


def test_ordinary_text_passes_unchanged():
    assert guard("what does 2.3 of unit 206 mean?", {"a": 1}) == ("what does 2.3 of unit 206 mean?", {"a": 1})


def test_long_text_becomes_an_intent_payload_with_the_text_in_metadata():
    text = "x" * (MAX_NLU_CHARS + 1)
    out, metadata = guard(text, {"channel": "slack"})
    assert out == LONG_MESSAGE
    assert metadata == {"channel": "slack", "full_text": text}


def test_many_words_are_long_too():
    out, metadata = guard("a " * 900)
    assert out == LONG_MESSAGE and metadata["full_text"].startswith("a a")


def test_non_text_and_nul_bytes():
    assert guard(None) == ("", None)
    assert guard(12345) == ("12345", None)
    assert guard("hi\x00there") == ("hithere", None)
