"""The learner and explainer answers layer: catalogue in, Reply list out (no Rasa, no database).

    from bot.domain.answers import respond, LearnerContext
    answer = respond("ask_unit_info", "tell me about unit 206", {}, LearnerContext(source_id="sfj-l2"))
    answer.replies            # list[bot.domain.replies.Reply], each factual one with .source
    answer.set_source         # a qualification the learner chose, for the action to store
    answer.unit_updates       # {unit ref: "claimed" | "planned"} to record
    answer.pending_choice     # payloads of the choice buttons offered ("the second one" picks one later)

See notes/conversation.md for the contract and each module for its conversation.
"""
from .context import Answer, LearnerContext
from .dispatch import fallback, respond

__all__ = ["Answer", "LearnerContext", "fallback", "respond"]
