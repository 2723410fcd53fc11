"""#17.4/#17.5 end to end: an invented sixth qualification, written by this test, is imported into the
running stack through the API, and the bot answers on it over REST at once: its structure, a criterion's
text, and what a learner still needs after claiming some units. The model file is the same (same hash)
and no server was restarted (same process ids)."""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request

import pytest

from tests.catalogue import invented
from tests.e2e.conftest import ADMIN_TOKEN, api, texts

pytestmark = pytest.mark.e2e


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _upload(stack, body: bytes) -> tuple[int, dict]:
    req = urllib.request.Request(stack.services["api"].url + "/api/catalogue/imports?filename=nwa-l2.json",
                                 data=body, method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN_TOKEN}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_an_imported_qualification_is_answered_at_once(stack, sender, tmp_path):
    model = stack.model.resolve()  # models/current.tar.gz links to the cached model file
    before = _digest(model)
    pids = {name: svc.proc.pid for name, svc in stack.services.items() if svc.proc}
    assert pids, stack.services

    status, listed = api(stack, "GET", "/api/qualifications")
    assert status == 200 and invented.ID not in [q["id"] for q in listed]
    file = tmp_path / "nwa-l2.json"
    file.write_bytes(invented.text())  # the sixth qualification, written here
    status, body = _upload(stack, file.read_bytes())
    assert status in (200, 201) and body["source_id"] == invented.ID, body

    # its structure
    stack.say(sender, f"I'm doing the {invented.TITLE}")
    reply = texts(stack.say(sender, "how many credits is the qualification?"))
    for fact in ("12", "Group A", "Group B", "5", "T/650/1001"):
        assert fact in reply, (fact, reply)

    # a criterion's text, in the specification's own words
    ref, number, text = invented.CRITERION
    reply = texts(stack.say(sender, f"what does {number} of Handle guest feedback say?"))
    assert text in reply, reply

    # what is still needed after claiming units 1 and 3 (Group A needs unit 2; Group B 2 more credits: unit 4)
    stack.say(sender, "I've finished Welcome guests to the venue and Prepare rooms for guest events")
    reply = texts(stack.say(sender, "what do I still need?"))
    assert "T/650/1002" in reply and "T/650/1004" in reply and "5 to go" in reply, reply
    assert "T/650/1001" not in reply.split("still to do")[-1].split("\n")[0], reply

    assert _digest(model) == before  # no retraining
    assert {name: svc.proc.pid for name, svc in stack.services.items() if svc.proc} == pids  # no restart
    assert all(svc.alive() for svc in stack.services.values())
