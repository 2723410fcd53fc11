"""A session start the user asked for ("/session_start", e.g. the web chat's "New conversation")
gets a reply; one Rasa starts by itself after a long pause stays silent. Slots carry over, as the
domain's session_config asks (a custom action_session_start has to do that itself)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

NEW_SESSION = ("New conversation started. Your qualification and units are remembered. "
               "Type *help* to see what I can do.")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]):
        events: list = [SessionStarted()]
        # requested_slot belongs to a form loop, which a new session ends
        events += [SlotSet(k, v) for k, v in tracker.slots.items() if v is not None and k != "requested_slot"]
        if (tracker.latest_message.get("intent") or {}).get("name") == "session_start":
            dispatcher.utter_message(text=NEW_SESSION)
        events.append(ActionExecuted("action_listen"))
        return events
