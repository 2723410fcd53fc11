"""The assessor's professional discussion over the REST channel, end to end (assessor issue)."""
from __future__ import annotations

import functools

import pytest

from catalogue import load_catalogue
from tests.e2e.conftest import api, texts

pytestmark = pytest.mark.e2e

UNIT = "D/506/2119"  # Communicate verbally with customers: SFJ group B, C&G unit 206


def _criteria():
    spec = load_catalogue().spec(UNIT, "sfj-l2")
    return [c for c in spec.criteria]


def _record(stack, discussion_id):
    status, body = api(stack, "GET", f"/api/discussions/{discussion_id}/export?format=json")
    assert status == 200, body
    return body


def _latest_discussion(stack, learner_id):
    status, rows = api(stack, "GET", "/api/discussions")
    assert status == 200, rows
    mine = [r for r in rows if r["learner_id"] == learner_id]
    assert mine, rows
    return max(mine, key=lambda r: r["id"])


def test_full_discussion_with_restart_navigation_paste_and_amendment(stack, sender, assessor_and_learner):
    crits = _criteria()
    name = assessor_and_learner["name"]
    say = functools.partial(stack.say, sender, token=assessor_and_learner["token"])  # the assessor, signed in

    reply = texts(say(f"Start a professional discussion with {name} on {UNIT}"))
    assert crits[0].text in reply, reply  # the first criterion, verbatim
    d = _latest_discussion(stack, assessor_and_learner["learner"]["id"])
    assert d["status"] == "open" and d["unit_refs"] == [UNIT]

    # 1.1: an answer, then a decision
    say("I'd say communication matters because customers judge us on how we sound")
    reply = texts(say("met"))
    assert crits[1].text in reply, reply  # moved on to 1.2

    # a pasted block answering 1.2 and 1.3 at once
    say(f"{crits[1].ref}: tone of voice shows we care\n{crits[2].ref}: body language matters face to face")
    rec = _record(stack, d["id"])
    answered = {c["criterion_ref"]: c["answer"] for c in rec["criteria"] if c.get("answer")}
    assert answered[crits[0].ref].startswith("I'd say communication matters")
    assert answered[crits[1].ref] == "tone of voice shows we care"
    assert answered[crits[2].ref] == "body language matters face to face"

    # navigation
    reply = texts(say("go to 2.3"))
    assert load_catalogue().spec(UNIT, "sfj-l2").criterion("2.3").text in reply
    reply = texts(say("show coverage")).lower()
    assert "met" in reply and "not covered" in reply

    # pause, restart both servers, resume: nothing lost, picks up at the first open criterion
    say("pause")
    stack.restart("actions")
    stack.restart("rasa")
    reply = texts(say("resume the discussion"))
    assert crits[1].text in reply, reply  # 1.2 is the first criterion without a decision
    rec = _record(stack, d["id"])
    assert {c["criterion_ref"] for c in rec["criteria"] if c.get("answer")} >= {crits[0].ref, crits[1].ref, crits[2].ref}
    assert [c["decision_code"] for c in rec["criteria"] if c["criterion_ref"] == crits[0].ref] == ["met"]

    # decide the rest quickly, then finish and sign
    for _ in range(len(crits) - 1):
        say("met")
    reply = texts(say("finish")).lower()
    assert "summary" in reply or "met" in reply
    say("sign")
    say("yes")
    say("yes")  # learner present and confirms
    rec = _record(stack, d["id"])
    assert (rec["status"], rec["status_code"]) == ("Signed off", "signed"), rec["status"]
    assert {s["role_code"] for s in rec["signoffs"]} >= {"assessor"}
    assert all(c["decision_code"] == "met" for c in rec["criteria"])

    # after sign-off, a change in chat is an audited amendment with a reason
    reply = texts(say("resume the discussion")).lower()
    assert "signed off" in reply
    say(f"change my answer to {crits[0].ref}")
    reply = texts(say("Customers judge the whole organisation by how we speak")).lower()
    assert "why" in reply and "amend" in reply
    say("the learner added to the answer after the session")
    rec = _record(stack, d["id"])
    assert rec["status_code"] == "signed"
    amendment = rec["amendments"][-1]
    assert amendment["criterion_ref"] == crits[0].ref
    assert amendment["new"] == "Customers judge the whole organisation by how we speak"
    assert amendment["reason"] == "the learner added to the answer after the session"

    # the same through the API, with the assessor's own token (an admin may not amend)
    status, body = api(stack, "POST", f"/api/discussions/{d['id']}/amendments",
                       {"criterion_ref": crits[1].ref, "unit_ref": UNIT, "field": "answer",
                        "new": "Tone of voice shows we care", "reason": "capitalisation"})
    assert status == 403, body
    token = {"token": assessor_and_learner["token"]}
    status, body = api(stack, "POST", f"/api/discussions/{d['id']}/amendments",
                       {"criterion_ref": crits[1].ref, "unit_ref": UNIT, "field": "answer",
                        "new": "Tone of voice shows we care", "reason": "capitalisation"}, token=token["token"])
    assert status == 201, body
    assert len(_record(stack, d["id"])["amendments"]) == 2


def test_learner_cannot_start_a_discussion(stack, sender):
    reply = texts(stack.say(sender, "start a professional discussion with Sam on unit 206")).lower()
    assert "assessor role" in reply


def test_nobody_poses_as_the_assessor_over_rest(stack, sender, assessor_and_learner):
    """The assessor's sender id without their token, a Slack user's id, a forged token: no discussion."""
    import urllib.error

    start = f"Start a professional discussion with {assessor_and_learner['name']} on {UNIT}"
    assert "assessor role" in texts(stack.say(sender, start))  # the sender id alone is an anonymous learner
    assert "not valid" in texts(stack.say(sender, start, token="forged-token"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        stack.say("slack:T1:U1", start)
    assert refused.value.code == 403
    status, rows = api(stack, "GET", "/api/discussions")
    assert not [r for r in rows if r["learner_id"] == assessor_and_learner["learner"]["id"]], rows
