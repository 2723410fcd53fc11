"""Greetings, help, hand-over to a person, out-of-scope and fallback replies."""
from __future__ import annotations

from bot.domain.replies import Button, Reply

from .context import Answer, LearnerContext
from .format import payload

CAPABILITIES = (
    "I can help you with your Customer Service qualification:\n"
    "- choose your qualification (\"I'm doing the Highfield level 3 diploma\")\n"
    "- record units you have finished or plan (\"I've finished 206 and exceed customer expectations\")\n"
    "- tell you what you still need (\"what do I still need?\", \"what if I swap 206 for 207?\")\n"
    "- explain a unit or a criterion (\"tell me about unit 206\", \"what does 2.3 of unit 206 mean?\")\n"
    "- explain evidence and assessment rules (\"what is a professional discussion?\", \"is simulation allowed?\")\n"
    "- give qualification facts (credits, GLH, age, grading, dates)\n"
    "Assessors can also run a professional discussion (\"start a professional discussion with Sam on unit 206\")."
)

HELP_BUTTONS = [
    Button("What do I still need?", payload("ask_remaining")),
    Button("Choose my qualification", payload("choose_qualification")),
    Button("What is a professional discussion?", payload("ask_evidence_type", evidence_type="professional discussion")),
]


def greet(ctx: LearnerContext) -> Answer:
    hello = "Hello! I'm the Customer Service qualification assistant."
    if ctx.source_id is None:
        return Answer([Reply(f"{hello} Which qualification are you working towards?",
                             buttons=[Button("Show the qualifications", payload("choose_qualification"))]),
                       Reply(CAPABILITIES)])
    return Answer([Reply(f"{hello} What would you like to do?", buttons=list(HELP_BUTTONS))])


def help_(ctx: LearnerContext) -> Answer:
    return Answer([Reply(CAPABILITIES, buttons=list(HELP_BUTTONS))])


def goodbye(ctx: LearnerContext) -> Answer:
    return Answer([Reply("Goodbye, and good luck with your qualification!")])


def thank(ctx: LearnerContext) -> Answer:
    return Answer([Reply("You're welcome. Anything else I can help with?")])


def affirm(ctx: LearnerContext) -> Answer:
    return Answer([Reply("OK. What would you like to do next?", buttons=list(HELP_BUTTONS))])


def deny(ctx: LearnerContext) -> Answer:
    return Answer([Reply("No problem. Ask me whenever you need something, or type \"help\" to see what I can do.")])


def human_handoff(ctx: LearnerContext) -> Answer:
    return Answer([Reply(
        "I can't put you through to a person from here. Please contact your assessor or your training "
        "centre: they make all assessment decisions. I can still answer questions about your units, "
        "criteria and evidence."
    )])


def out_of_scope(ctx: LearnerContext) -> Answer:
    return Answer([Reply(
        "Sorry, that's outside what I can help with. I only know about the Customer Service "
        "qualifications I hold the specifications for.", buttons=list(HELP_BUTTONS))])


def fallback(guesses: list[tuple[str, str]]) -> Answer:
    """guesses: (button title, payload) of the best interpretations of the message, best first."""
    if guesses:
        return Answer([Reply("Sorry, I'm not sure what you meant. Did you mean one of these?",
                             buttons=[Button(t, p) for t, p in guesses[:4]])])
    return Answer([Reply("Sorry, I didn't understand that. " + CAPABILITIES, buttons=list(HELP_BUTTONS))])
