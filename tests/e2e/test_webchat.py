"""The browser chat page, end to end: Debian's Chromium driven by Playwright through the FastAPI app's
/chat page, which talks to the running Rasa server through its same-origin proxy.

Two journeys: a learner on a phone-sized screen (greeting, help, a quick-reply button, a reload that
keeps the conversation) and an assessor's professional discussion on a desktop screen. Every answer
the page shows is compared with what the REST channel answers to the same words in a mirror
conversation. Screenshots go to test-artifacts/ for a person to look at.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
DISCUSSION_UNIT = "D/506/2119"  # Communicate verbally with customers (SFJ Level 2 Diploma, group B)


@pytest.fixture
def chat_url(stack) -> str:
    return stack.services["api"].url + "/chat"


def plain(text: str) -> list[str]:
    """The lines a reader sees for the bot's text: markup removed, blank lines dropped."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^\s*[-•] ", "", line)
        line = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", line)
        line = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", line)
        if line.strip():
            lines.append(re.sub(r"\s+", " ", line).strip())
    return lines


def rest_view(replies: list[dict]) -> tuple[list[str], list[str]]:
    lines = [line for r in replies if r.get("text") for line in plain(r["text"])]
    return lines, [b["title"] for r in replies for b in r.get("buttons") or []]


class ChatPage:
    def __init__(self, page, stack, mirror: bool) -> None:
        self.page, self.stack = page, stack
        # the same conversation over REST, for comparison (None: no mirror)
        self.mirror = f"web:{uuid.uuid4()}" if mirror else None
        self.errors: list[str] = []

    def wait_idle(self) -> None:
        self.page.wait_for_function(
            "() => document.getElementById('log').getAttribute('aria-busy') === 'false'", timeout=90_000)

    def bot_count(self) -> int:
        return self.page.locator("#log .msg.bot").count()

    def view_since(self, index: int) -> tuple[list[str], list[str]]:
        bubbles = self.page.locator("#log .msg.bot")
        lines, buttons = [], []
        for i in range(index, bubbles.count()):
            item = bubbles.nth(i)
            text = item.locator(".bubble").inner_text()
            lines += [re.sub(r"\s+", " ", s).strip() for s in text.split("\n") if s.strip()]
            buttons += item.locator(".choice").all_inner_texts()
        return lines, buttons

    def _turn(self, said: str, shown_as: str, act) -> tuple[list[str], list[str]]:
        expected = rest_view(self.stack.say(self.mirror, said)) if self.mirror else None
        before = self.bot_count()
        act()
        self.wait_idle()
        shown = self.view_since(before)
        if expected is not None:
            assert shown == expected, f"page shows {shown}, REST answered {expected}"
        assert shown[0], f"the bot answers {said!r}"
        assert self.page.locator("#log .msg.user .bubble").last.inner_text().strip() == shown_as
        return shown

    def say(self, text: str) -> tuple[list[str], list[str]]:
        """Type and send; returns what the page shows (checked against the REST answer if mirrored)."""
        box = self.page.get_by_label("Your message")

        def act():
            box.fill(text)
            box.press("Enter")
        return self._turn(text, text, act)

    def click(self, title: str, payload: str) -> tuple[list[str], list[str]]:
        button = self.page.locator("#log .choice:not([disabled])", has_text=title).first
        return self._turn(payload, title, button.click)

    def visible_text(self) -> str:
        return re.sub(r"\s+", " ", self.page.locator("#log").inner_text())

    def shot(self, name: str) -> Path:
        path = ARTIFACTS / f"webchat-{name}.png"
        self.page.screenshot(path=str(path), full_page=False, animations="disabled")
        return path


def open_chat(browser, stack, chat_url, viewport, sender: str | None = None) -> ChatPage:
    """A new browser profile on /chat. With `sender`, the page uses that id (as if this browser had
    talked before) and answers are not mirrored over REST."""
    context = browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE, locale="en-GB")
    if sender:
        context.add_init_script("try { if (!localStorage.getItem('csa.chat.sender')) "
                                f"localStorage.setItem('csa.chat.sender', JSON.stringify('{sender}')); }} catch (e) {{}}")
    page = context.new_page()
    chat = ChatPage(page, stack, mirror=sender is None)
    page.on("pageerror", lambda e: chat.errors.append(str(e)))
    page.on("console", lambda m: chat.errors.append(m.text) if m.type == "error" else None)
    expected = rest_view(stack.say(chat.mirror, "/greet")) if chat.mirror else None
    page.goto(chat_url)
    page.wait_for_function("() => document.querySelectorAll('#log .msg.bot').length > 0", timeout=90_000)
    chat.wait_idle()
    if expected is not None:
        assert chat.view_since(0) == expected  # a first visit is greeted, with nothing shown as sent
    assert page.locator("#log .msg.user").count() == 0
    return chat


def test_learner_journey_on_a_phone(browser, stack, chat_url):
    chat = open_chat(browser, stack, chat_url, PHONE)
    page = chat.page
    sender = page.evaluate("() => JSON.parse(localStorage.getItem('csa.chat.sender'))")
    assert re.fullmatch(r"web:[0-9a-f-]{36}", sender)
    chat.shot("learner-1-greeting")

    lines, buttons = chat.say("what can you do?")
    assert buttons, "the help answer offers quick replies"
    chat.shot("learner-2-help")
    help_buttons = stack.say(f"web:{uuid.uuid4()}", "what can you do?")
    first = next(b for r in help_buttons for b in r.get("buttons") or [])
    chat.click(first["title"], first["payload"])
    assert page.locator("#log .choice.chosen").count() >= 1  # the chosen reply stays marked
    chat.say("tell me about K/506/2155")
    assert "Make telephone calls to customers" in page.locator("#log").inner_text()
    # the page fits the phone: no sideways scrolling, message box and send button visible
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("button", name="Send").is_visible()
    chat.shot("learner-3-unit")

    before = page.locator("#log .msg").all_inner_texts()
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#log .msg').length > 0")
    assert page.locator("#log .msg").all_inner_texts() == before  # the conversation survives a reload
    assert page.evaluate("() => JSON.parse(localStorage.getItem('csa.chat.sender'))") == sender
    # ... and so does the bot's memory of it: the same sender id carries on in the same tracker
    chat.say("thanks")
    chat.shot("learner-4-after-reload")
    assert chat.errors == []


def test_keyboard_and_screen_reader_basics(browser, stack, chat_url):
    chat = open_chat(browser, stack, chat_url, DESKTOP)
    page = chat.page
    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    page.keyboard.press("Tab")  # the skip link comes first and leads to the message box
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the message box"
    page.keyboard.press("Tab")  # "New conversation"
    page.keyboard.press("Tab")  # the conversation itself, to scroll it (tests/e2e/test_accessibility.py)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "message"
    page.keyboard.type("hello")
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_idle()
    assert chat.bot_count() > before
    # each message is announced with who said it
    assert page.locator("#log .msg.user .who").last.inner_text() == "You said:"
    assert chat.errors == []


def test_professional_discussion_journey_on_a_desktop(browser, stack, chat_url):
    """An assessor signs in to the web chat with their API token and runs a discussion with a learner."""
    from catalogue import load_catalogue
    from tests.e2e.conftest import api

    criteria = load_catalogue().spec(DISCUSSION_UNIT, "sfj-l2").criteria
    web_id, suffix = str(uuid.uuid4()), uuid.uuid4().hex[:6]
    status, assessor = api(stack, "POST", "/api/people", {"display_name": f"Asha Assessor {suffix}", "role": "assessor"})
    assert status == 201, assessor
    status, token = api(stack, "POST", f"/api/people/{assessor['id']}/tokens")
    assert status == 201, token
    learner_name = f"Sam W{suffix}"
    status, learner = api(stack, "POST", "/api/people", {"display_name": learner_name, "role": "learner"})
    assert status == 201, learner
    status, enrolment = api(stack, "POST", "/api/enrolments", {"learner_id": learner["id"], "source_id": "sfj-l2",
                                                               "assessor_id": assessor["id"]})
    assert status == 201, enrolment

    chat = open_chat(browser, stack, chat_url, DESKTOP, sender=f"web:{web_id}")
    who = chat.page.locator("#who")
    assert "Not signed in" in who.inner_text()  # a web chat is an anonymous learner's until staff sign in
    chat.page.get_by_label("Staff API token").fill("not-a-token")
    chat.page.get_by_role("button", name="Sign in").click()
    chat.page.wait_for_function("() => /not valid/.test(document.getElementById('who').textContent)")
    assert chat.errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    chat.errors.clear()  # the browser logs the refused token's 401; that refusal is what is tested here
    chat.page.get_by_label("Staff API token").fill(token["token"])
    chat.page.get_by_role("button", name="Sign in").click()
    chat.page.wait_for_function("() => /Signed in as/.test(document.getElementById('who').textContent)")
    chat.wait_idle()  # signing in starts a conversation of the assessor's own, with a greeting
    assert who.inner_text() == f"Signed in as Asha Assessor {suffix} (assessor)."
    chat.say(f"Start a professional discussion with {learner_name} on {DISCUSSION_UNIT}")
    assert plain(criteria[0].text)[0] in chat.visible_text()  # the first criterion, verbatim
    chat.shot("discussion-1-started")
    chat.say("I'd say communication matters because customers judge us on how we sound")
    chat.say("met")
    assert plain(criteria[1].text)[0] in chat.visible_text()  # moved on to the next criterion
    chat.shot("discussion-2-next-criterion")
    chat.say("show coverage")
    chat.shot("discussion-3-coverage")
    chat.say("pause")
    chat.page.reload()  # the conversation and the discussion survive a reload
    chat.page.wait_for_function("() => document.querySelectorAll('#log .msg').length > 0")
    resumed, _ = chat.say("resume the discussion")
    assert plain(criteria[1].text)[0] in " ".join(resumed)  # picks up at the first undecided criterion
    chat.shot("discussion-4-resumed")
    assert chat.errors == []
