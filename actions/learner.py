"""The learner and explainer answers: every learner intent goes through bot.flows.learner."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entities_of, safely, staff_of, text_of
from bot.flows.assessor import looks_like_start
from bot.flows.learner import learner_turn


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or "nlu_fallback"
        return _answer(dispatcher, tracker, intent)


class ActionDidYouMean(Action):
    """Second stage of the fallback: low NLU confidence -> "did you mean ...?" with buttons."""

    def name(self) -> str:
        return "action_did_you_mean"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        return _answer(dispatcher, tracker, "nlu_fallback")


def earlier_texts(tracker: Tracker, keep: int = 4) -> list[str]:
    """The learner's previous messages in this conversation, latest first (the topic of a follow-up)."""
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][:-1]
    return [t for t in reversed(said) if t and not t.startswith("/")][:keep]


def _answer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list:
    message = tracker.latest_message
    if looks_like_start(text_of(message)):  # "PD with Zara on <a unit title the NLU took for units>"
        return [FollowupAction("action_start_discussion")]
    ranking = [r["name"] for r in message.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"][:3]
    result = safely(dispatcher, learner_turn, tracker.sender_id, intent, text_of(message), entities_of(message),
                    tracker.get_slot("pending_choice") or [], ranking, staff_of(message), earlier_texts(tracker))
    if result is None:
        return []
    messages, pending = result
    for m in messages:
        dispatcher.utter_message(**m)
    return [SlotSet("pending_choice", pending or None)]
