"""Rendering the assistant's replies for each chat service.

A reply arrives from Rasa as text plus optional buttons ({"title", "payload"}). The text uses the
light markup of bot.domain.replies: `*bold*`, `_italic_` and "- " list lines. This module is the one
step that turns it into each channel's dialect: Slack mrkdwn (Block Kit sections, "•" bullets, buttons
as actions), Markdown for Teams (Adaptive Cards) and the socket.io web chat (Rasa Webchat renders
CommonMark; buttons as quick replies). The REST channel and the web chat page served by the API get
the light markup itself, which the page renders (bot/api/web/static/chat.js).
Plain Python: no Rasa, no network.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping

# Block Kit limits (Slack reference: "Block Kit" / "Button element").
SLACK_SECTION_CHARS = 3000
SLACK_BUTTON_TEXT_CHARS = 75
SLACK_BUTTON_VALUE_CHARS = 2000
SLACK_BUTTONS_PER_ACTIONS = 25

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
ADAPTIVE_CARD_VERSION = "1.2"  # the newest version every Teams client (desktop, web, mobile) renders

_LIST_LINE = re.compile(r"^(\s*)- ")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")


def buttons_of(buttons: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str]]:
    """(title, payload) pairs of Rasa buttons, skipping any without a payload to send back."""
    pairs = []
    for button in buttons or []:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip()
        if payload:
            pairs.append((title or payload, payload))
    return pairs


# ---- Slack -----------------------------------------------------------------------------------

def slack_escape(text: str) -> str:
    """Slack reads &, < and > as control characters in message text; they must be entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_mrkdwn(text: str) -> str:
    """Reply text as Slack mrkdwn: escaped, "- " list lines shown as bullets (mrkdwn has no lists)."""
    lines = [_LIST_LINE.sub(r"\1• ", line) for line in slack_escape(text).split("\n")]
    return "\n".join(lines)


def _chunks(text: str, limit: int) -> list[str]:
    """Split at line breaks (or hard, for a single over-long line) into pieces of at most `limit`."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_blocks(
    text: str,
    buttons: Iterable[Mapping[str, Any]] | None = None,
    stash: Callable[[str], str] | None = None,
) -> list[dict]:
    """Block Kit blocks: mrkdwn sections for the text, then actions blocks with one button each.

    A payload longer than a button value may hold is handed to `stash`, which returns a short
    reference the channel resolves when the button is clicked.
    """
    blocks: list[dict] = []
    mrkdwn = slack_mrkdwn(text)
    if mrkdwn.strip():
        for chunk in _chunks(mrkdwn, SLACK_SECTION_CHARS):
            if chunk.strip():
                blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    pairs = buttons_of(buttons)
    for start in range(0, len(pairs), SLACK_BUTTONS_PER_ACTIONS):
        elements = []
        for index, (title, payload) in enumerate(pairs[start:start + SLACK_BUTTONS_PER_ACTIONS], start):
            if len(payload) > SLACK_BUTTON_VALUE_CHARS:
                if stash is None:
                    raise ValueError(f"button payload of {len(payload)} characters needs a stash")
                payload = stash(payload)
            elements.append({
                "type": "button",
                "text": {"type": "plain_text", "text": _clip(title, SLACK_BUTTON_TEXT_CHARS), "emoji": True},
                "value": payload,
                "action_id": f"reply-button-{index}",
            })
        blocks.append({"type": "actions", "block_id": f"reply-buttons-{start}", "elements": elements})
    return blocks


def slack_chosen_blocks(original: list[dict], chosen_title: str) -> list[dict]:
    """The clicked message again, its buttons replaced by a note of the choice (no second click)."""
    kept = [b for b in original if b.get("type") != "actions"]
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"You chose: *{slack_escape(chosen_title)}*"}]}
    return kept + [note]


# ---- Markdown: Microsoft Teams and the socket.io web chat ---------------------------------------

_BLOCK_START = re.compile(r"^(\s*)([>#])")  # a quote or a heading in Markdown, plain text in a reply
_ITEM = re.compile(r"^\s*(?:- |\d{1,3}[.)] )")  # a list item: "- x", "  1. x" (numbered items inside a list)


def markdown(text: str) -> str:
    """Reply text as CommonMark, which Teams (text and Adaptive Card TextBlocks) and Rasa Webchat (the
    socket.io channel) both render.

    `*bold*` becomes `**bold**` and `_italic_` becomes `*italic*`. Markdown joins single line breaks,
    so lines are separated by a blank line, except between items of the same list; a line starting
    with ">" or "#" is escaped, so it is not a quote that swallows the lines after it, or a heading.
    """
    out: list[str] = []
    previous_is_item = False
    for line in text.split("\n"):
        line = _BLOCK_START.sub(r"\1\\\2", _ITALIC.sub(r"*\1*", _BOLD.sub(r"**\1**", line)))
        is_item = bool(_ITEM.match(line))
        if out:
            out.append("\n" if (is_item and previous_is_item) else "\n\n")
        out.append(line)
        previous_is_item = is_item
    return "".join(out)


def adaptive_card(text: str, buttons: Iterable[Mapping[str, Any]] | None = None) -> dict:
    """An Adaptive Card attachment: the text, then one Action.Submit per button.

    In Teams the `msteams` messageBack block makes a click arrive as an ordinary message whose text
    is the payload, showing the button title in the chat as if the user had typed it; other Bot
    Framework clients post `data` as the activity's value, whose "payload" the connector reads.
    """
    actions = [
        {
            "type": "Action.Submit",
            "title": title,
            "data": {
                "payload": payload,
                "msteams": {"type": "messageBack", "text": payload, "displayText": title,
                            "value": {"payload": payload}},
            },
        }
        for title, payload in buttons_of(buttons)
    ]
    content: dict = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": ADAPTIVE_CARD_VERSION,
        "body": [{"type": "TextBlock", "text": markdown(text), "wrap": True}],
    }
    if actions:
        content["actions"] = actions
    return {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "content": content}
