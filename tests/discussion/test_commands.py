"""Reading assessor messages: commands, typos, pasted blocks; answers stay answers."""
from __future__ import annotations

import pytest

from bot.domain.discussion.commands import parse


@pytest.mark.parametrize("text, kind, ref, unit, reason", [
    ("met", "met", None, None, None),
    ("Met.", "met", None, None, None),
    ("mte", "met", None, None, None),
    ("mark as met", "met", None, None, None),
    ("met: good example of a complaint", "met", None, None, "good example of a complaint"),
    ("not yet met", "not_yet_met", None, None, None),
    ("Not Yet Met", "not_yet_met", None, None, None),
    ("not yet mte", "not_yet_met", None, None, None),
    ("not yet met: No example of a written reply", "not_yet_met", None, None, "No example of a written reply"),
    ("not met because she didn't mention GDPR", "not_yet_met", None, None, "she didn't mention GDPR"),
    ("nym - too vague", "not_yet_met", None, None, "too vague"),
    ("not yet met missing the escalation step", "not_yet_met", None, None, "missing the escalation step"),
    ("skip", "skip", None, None, None),
    ("skpi", "skip", None, None, None),
    ("skip for now", "skip", None, None, None),
    ("go to 2.3", "goto", "2.3", None, None),
    ("goto 2.3", "goto", "2.3", None, None),
    ("got to 2.3", "goto", "2.3", None, None),
    ("Go to AC 2.3.", "goto", "ac 2.3", None, None),
    ("2.3", "goto", "2.3", None, None),
    ("go to 2.3 in 207", "goto", "2.3", "207", None),
    ("go to 207 2.3", "goto", "2.3", "207", None),
    ("jump to pc 5", "goto", "pc 5", None, None),
    ("go to K&U 8", "goto", "k&u 8", None, None),
    ("skip to 1.4", "goto", "1.4", None, None),
    ("back", "back", None, None, None),
    ("go back", "back", None, None, None),
    ("bakc", "back", None, None, None),
    ("previous", "back", None, None, None),
    ("what's left?", "remaining", None, None, None),
    ("Whats left", "remaining", None, None, None),
    ("what’s left", "remaining", None, None, None),
    ("whats lef", "remaining", None, None, None),
    ("show coverage", "coverage", None, None, None),
    ("show covrage", "coverage", None, None, None),
    ("pause", "pause", None, None, None),
    ("puase", "pause", None, None, None),
    ("finish", "finish", None, None, None),
    ("finsh", "finish", None, None, None),
    ("end the discussion", "finish", None, None, None),
    ("sign", "sign", None, None, None),
    ("sign off", "sign", None, None, None),
    ("help", "help", None, None, None),
])
def test_commands(text, kind, ref, unit, reason):
    cmd = parse(text)
    assert (cmd.kind, cmd.ref, cmd.unit, cmd.text) == (kind, ref, unit, reason)


@pytest.mark.parametrize("text, ref, new", [
    ("change my answer to 1.2", "1.2", None),
    ("Change my answer to 1.2: She said she Would escalate", "1.2", "She said she Would escalate"),
    ("chnage answer for 1.2", "1.2", None),
    ("edit the answer on 2.1", "2.1", None),
    ("change my answer", None, None),
    ("change 1.3", "1.3", None),
])
def test_change(text, ref, new):
    cmd = parse(text)
    assert (cmd.kind, cmd.ref, cmd.text) == ("change", ref, new)


@pytest.mark.parametrize("text", [
    "Met the customer at the door and took them to the desk",
    "I met: the manager and the customer together",
    "Not met any difficult customers yet but I would stay calm",
    "Next day I called her back",
    "Update the customer records after every call",
    "I would pass it to my manager",
    "not enough detail",
    "done",
    "none",
    "2.3 is about listening",
])
def test_answers_stay_answers(text):
    cmd = parse(text)
    assert cmd.kind == "answer" and cmd.text == text


def test_pasted_block_inline_and_by_line():
    cmd = parse("1.1: Speak clearly. 1.2: Listen actively\n1.3 - Tone matters\nand pace too")
    assert cmd.kind == "paste"
    assert cmd.items == [("1.1", "Speak clearly."), ("1.2", "Listen actively"), ("1.3", "Tone matters\nand pace too")]
    svq = parse("PC1: agreed a date PC2: kept them informed K&U1: rapport")
    assert svq.items == [("PC1", "agreed a date"), ("PC2", "kept them informed"), ("K&U1", "rapport")]
    one = parse("1.4: only one")  # one labelled answer is an answer to that criterion
    assert (one.kind, one.ref, one.text, one.items) == ("answer", "1.4", "only one", [])
