"""The web chat's accessibility in Chromium (issue 18): axe-core's WCAG 2.0/2.1/2.2 A and AA rules on a
fresh page and after a ten-turn conversation, at 1280 and 390 pixels wide, fail on any violation; and
keyboard-only use: the Tab order, Enter on a quick reply, focus back to the message box, scrolling the
conversation, and a new answer shown from its start.

axe-core is the npm package (tests/e2e/js, `bash scripts/setup.sh --test-tools`), served to the page at a
same-origin address by the browser's request routing, so the page's Content-Security-Policy stays on.
"""
from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import browser_tool
from tests.e2e.test_webchat import DESKTOP, PHONE, open_chat

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_URL = "/chat/static/__test-tools__/axe.min.js"  # answered by the test's route, never by the app

TEN_TURNS = [
    "hello",
    "what can you do?",
    "I'm doing the SFJ Level 2 Diploma in Customer Service",
    "tell me about unit 206",
    "what does 2.3 of unit 206 mean?",
    "what evidence can I use?",
    "which units are mandatory?",
    "I've done unit 206",
    "what do I still need?",
    "thanks",
]


@pytest.fixture
def chat_url(stack) -> str:
    return stack.services["api"].url + "/chat"


def violations(page) -> list[str]:
    """axe-core run on the whole page with the WCAG A/AA rules; one line per violating element."""
    axe = browser_tool("axe-core/axe.min.js")
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(axe), content_type="text/javascript"))
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           WCAG_TAGS)
    assert result["passes"], "axe ran its rules"
    return [f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]}"
            for v in result["violations"] for node in v["nodes"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_fresh_page_has_no_wcag_violation(browser, stack, chat_url, viewport):
    chat = open_chat(browser, stack, chat_url, viewport)
    assert violations(chat.page) == []
    assert chat.errors == []


def test_ten_turn_conversation_has_no_wcag_violation_at_either_width(browser, stack, chat_url):
    chat = open_chat(browser, stack, chat_url, DESKTOP)
    for said in TEN_TURNS:
        chat.say(said)
    assert chat.page.locator("#log .msg.user").count() == 10
    assert chat.page.locator("#log .bubble li").count() > 5  # lists were shown, inside the conversation list
    found = violations(chat.page)
    chat.shot("a11y-ten-turns-1280")
    chat.page.set_viewport_size(PHONE)
    found += violations(chat.page)
    chat.shot("a11y-ten-turns-390")
    assert found == []
    assert chat.errors == []


def focused(page) -> str:
    return page.evaluate("() => { const e = document.activeElement; return e.id || e.className || e.tagName; }")


def test_keyboard_only(browser, stack, chat_url):
    chat = open_chat(browser, stack, chat_url, DESKTOP)
    page = chat.page
    # Tab order: skip link, New conversation, the conversation (scrollable), its quick replies, the message box
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order[:3] == ["skip", "restart", "log-wrap"], order
    assert "message" in order or page.locator("#log .choice:not([disabled])").count() > 0

    # a typed question whose answer offers quick replies; Tab from the box goes back to them with Shift+Tab
    page.get_by_label("Your message").focus()
    page.keyboard.type("what can you do?")
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_idle()
    assert chat.bot_count() > before
    choice = page.locator("#log .choice:not([disabled])").first
    title = choice.inner_text()
    choice.focus()
    before = chat.bot_count()
    page.keyboard.press("Enter")  # Enter on a quick reply sends it ...
    chat.wait_idle()
    assert chat.bot_count() > before
    assert page.locator("#log .msg.user .bubble").last.inner_text().strip() == title
    assert focused(page) == "message"  # ... and the keyboard is back in the message box, not at the page top

    # a long answer (longer than a phone's screen) is shown from its start: the top of its first bubble
    # is at the top of the conversation, where it used to be scrolled past to the last bubble
    page.set_viewport_size(PHONE)
    page.get_by_label("Your message").fill("list the units of the SFJ level 2 diploma")
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_idle()
    geometry = page.evaluate("""i => {
        const wrap = document.getElementById('log-wrap'), bots = document.querySelectorAll('#log .msg.bot');
        const top = e => e.getBoundingClientRect().top - wrap.getBoundingClientRect().top;
        return {first: top(bots[i]), last_end: bots[bots.length - 1].getBoundingClientRect().bottom
                - wrap.getBoundingClientRect().top, height: wrap.clientHeight};
    }""", before)
    assert geometry["last_end"] > geometry["height"], f"the answer is longer than the screen: {geometry}"
    assert 0 <= geometry["first"] <= 40, geometry

    # the conversation scrolls from the keyboard once focused
    wrap = page.locator("#log-wrap")
    wrap.focus()
    page.keyboard.press("End")  # (Chromium scrolls smoothly: wait for each scroll to arrive)
    page.wait_for_function("() => { const e = document.getElementById('log-wrap'); "
                           "return e.scrollHeight - e.clientHeight - e.scrollTop <= 2; }")
    bottom = wrap.evaluate("e => e.scrollTop")
    assert bottom > 0
    page.keyboard.press("PageUp")
    page.wait_for_function(f"() => document.getElementById('log-wrap').scrollTop < {bottom} - 100")
    page.keyboard.press("Home")
    page.wait_for_function("() => document.getElementById('log-wrap').scrollTop === 0")
    assert chat.errors == []
