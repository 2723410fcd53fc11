"""The assessor's professional discussion. The loop is a Rasa form whose only slot is filled from
every message; validate_discussion_form hands each message to bot.flows.assessor.step."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entities_of, safely, staff_of, text_of
from bot.flows import assessor
from bot.settings import Settings


def _utter(dispatcher: CollectingDispatcher, messages: list[dict]) -> None:
    for m in messages:
        dispatcher.utter_message(**m)


def _enter_loop(discussion_id: int | None) -> list:
    if discussion_id is None:
        return [SlotSet("discussion_id", None)]
    return [SlotSet("discussion_id", str(discussion_id)), SlotSet("discussion_step", None),
            FollowupAction("discussion_form")]


class _EnterDiscussion:
    """Start or resume a discussion; on success, hand the conversation to the discussion form.
    (A mixin, not an Action: rasa-sdk registers every Action subclass it finds.)"""

    turn = staticmethod(assessor.start)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        m = tracker.latest_message
        result = safely(dispatcher, self.turn, tracker.sender_id, m.get("text") or "", entities_of(m), staff_of(m))
        if result is None:
            return []
        messages, discussion_id = result
        _utter(dispatcher, messages)
        return _enter_loop(discussion_id)


class ActionStartDiscussion(_EnterDiscussion, Action):
    turn = staticmethod(assessor.start)

    def name(self) -> str:
        return "action_start_discussion"


class ActionResumeDiscussion(_EnterDiscussion, Action):
    turn = staticmethod(assessor.resume)

    def name(self) -> str:
        return "action_resume_discussion"


class ActionExportRecord(Action):
    def name(self) -> str:
        return "action_export_record"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        messages = safely(dispatcher, assessor.export, tracker.sender_id, Settings().public_url,
                          staff_of(tracker.latest_message))
        _utter(dispatcher, messages or [])
        return []


class ValidateDiscussionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_discussion_form"

    def validate_discussion_step(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: dict[str, Any]) -> dict[str, Any]:
        discussion_id = tracker.get_slot("discussion_id")
        if value is None:
            # the reset on entering the loop, not a message: nothing to record
            return {"discussion_step": None}
        if not discussion_id:
            return {"discussion_step": "done"}
        message_id = tracker.latest_message.get("message_id")
        if (tracker.latest_message.get("metadata") or {}).get("full_text"):
            value = text_of(tracker.latest_message)  # a long answer the channel kept from the NLU
        result = safely(dispatcher, assessor.step, tracker.sender_id, discussion_id, str(value or ""), message_id,
                        staff_of(tracker.latest_message), Settings().public_url)
        if result is None:
            return {"discussion_step": None}  # stay in the loop: nothing was lost, try again
        messages, active = result
        _utter(dispatcher, messages)
        if active:
            # keep the loop going. The next criterion is already said, and the domain has no
            # action_ask_/utter_ask_discussion_step, so the form asks nothing more (and makes no
            # second call to this server per message)
            return {"discussion_step": None}
        return {"discussion_step": "done", "discussion_id": None}
