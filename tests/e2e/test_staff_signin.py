"""Staff in the web chat (#18.3), in Chromium through the real stack: an assessor signs in with the API
token an admin issued; the page says who is signed in and in which role, and the conversation is a new
one of theirs; signing out revokes the session token (the API token stays valid) and brings back the
browser's anonymous learner conversation, which stays anonymous. An IQA signs in the same way.
axe-core finds nothing signed in."""
from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import api
from tests.e2e.test_accessibility import violations
from tests.e2e.test_webchat import DESKTOP, open_chat

pytestmark = pytest.mark.e2e


def storage(page, kind: str, key: str):
    return page.evaluate(f"k => {{ const v = {kind}.getItem(k); return v === null ? null : v; }}", key)


def test_an_assessor_signs_in_and_out_of_the_web_chat(browser, stack):
    suffix = uuid.uuid4().hex[:6]
    status, assessor = api(stack, "POST", "/api/people", {"display_name": f"Asha Khan {suffix}", "role": "assessor"})
    assert status == 201, assessor
    status, issued = api(stack, "POST", f"/api/people/{assessor['id']}/tokens")
    assert status == 201, issued
    api_token = issued["token"]

    chat = open_chat(browser, stack, stack.services["api"].url + "/chat", DESKTOP, sender=f"web:{uuid.uuid4()}")
    page, who = chat.page, chat.page.locator("#who")
    chat.say("what can you do?")  # the anonymous learner conversation of this browser
    anonymous = page.locator("#log .msg").all_inner_texts()
    assert who.inner_text() == "Not signed in: you chat as a learner."

    page.get_by_label("Staff API token").fill(api_token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_function("() => /Signed in as/.test(document.getElementById('who').textContent)")
    chat.wait_idle()
    assert who.inner_text() == f"Signed in as Asha Khan {suffix} (assessor)."
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert not page.get_by_label("Staff API token").is_visible()
    # the page keeps a session token of its own, for this tab only, never the API token
    session_token = storage(page, "sessionStorage", "csa.chat.session")
    assert session_token and session_token != api_token
    assert api_token not in page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
    status, me = api(stack, "GET", "/api/me", token=session_token)
    assert status == 200 and me["id"] == assessor["id"]
    # a conversation of its own: greeted afresh, none of the anonymous one shown
    assert page.locator("#log .msg.user").count() == 0 and page.locator("#log .msg.bot").count() >= 1
    replies, _ = chat.say("Start a professional discussion with Nobody Atall on unit 206")
    assert not any("needs the assessor role" in line for line in replies)  # the bot knows she is an assessor
    assert violations(page) == []

    page.reload()  # a reload keeps the session and its conversation
    page.wait_for_function("() => /Signed in as/.test(document.getElementById('who').textContent)")
    assert "Nobody Atall" in page.locator("#log").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_function("() => /Signed out/.test(document.getElementById('who').textContent)")
    assert who.inner_text() == "Signed out. Not signed in: you chat as a learner."
    assert storage(page, "sessionStorage", "csa.chat.session") is None
    assert page.locator("#log .msg").all_inner_texts() == anonymous  # the anonymous conversation is back
    status, refused = api(stack, "GET", "/api/me", token=session_token)
    assert status == 401 and "revoked" in refused["detail"]  # signing out revoked the session token
    assert api(stack, "GET", "/api/me", token=api_token)[0] == 200  # the API token stays valid

    replies, _ = chat.say("Start a professional discussion with Nobody Atall on unit 206")
    assert any("needs the assessor role" in line for line in replies)  # anonymous again: a learner's chat
    assert violations(page) == []

    # an IQA signs in the same way and is shown as one
    status, iqa = api(stack, "POST", "/api/people", {"display_name": f"Lee Chen {suffix}", "role": "iqa"})
    assert status == 201, iqa
    page.get_by_label("Staff API token").fill(api(stack, "POST", f"/api/people/{iqa['id']}/tokens")[1]["token"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_function("() => /Signed in as/.test(document.getElementById('who').textContent)")
    chat.wait_idle()
    assert who.inner_text() == f"Signed in as Lee Chen {suffix} (IQA)."
    assert chat.errors == []
