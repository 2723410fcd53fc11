from __future__ import annotations

import pytest

from bot.domain.discussion.questions import suggest


@pytest.mark.parametrize("text, kind, question", [
    ("explain the importance of effective communication in customer service", "ac",
     "Can you explain the importance of effective communication in customer service?"),
    ("Describe the importance of active listening", "ac", "Talk me through the importance of active listening."),
    ("describe different questioning techniques that can be used when communicating with customers.", "ac",
     "Talk me through different questioning techniques that can be used when communicating with customers."),
    ("Identify the features of effective telephone communication", "ac",
     "What are the features of effective telephone communication?"),
    ("identify the person responsible for complaints", "ac", "What is the person responsible for complaints?"),
    ("identify how to escalate a complaint", "ac", "Can you tell me how to escalate a complaint?"),
    ("outline the stages of event organisation", "ac", "Can you outline the stages of event organisation?"),
    ("adapt their response in accordance with customers’ changing behaviour", "ac",
     "Tell me about a time you had to adapt your response in accordance with customers’ changing behaviour."),
    ("describe how customers perceive their experience of the service", "ac",
     "Talk me through how customers perceive their experience of the service."),
    ("explain how to adapt their own communication style to meet customers' needs", "ac",
     "Can you explain how to adapt your own communication style to meet customers' needs?"),
    ("agree expectations with customers", "pc", "Tell me about a time you had to agree expectations with customers."),
    ("how to build rapport with customers", "ku", "Can you tell me how to build rapport with customers?"),
    ("the importance of rapport", "ku", "Can you explain the importance of rapport?"),
])
def test_suggested_questions(text, kind, question):
    assert suggest(text, kind) == question
