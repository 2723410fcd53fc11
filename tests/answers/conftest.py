"""Fixtures for the answers layer: the real catalogue, and a helper that asks one question."""
from __future__ import annotations

import pytest

from bot.domain.answers import Answer, LearnerContext, respond
from bot.domain.replies import MAX_REPLY_CHARS
from catalogue import load_catalogue


@pytest.fixture(scope="session")
def cat():
    return load_catalogue()


class Asker:
    def __init__(self, cat):
        self.cat = cat

    def __call__(self, intent: str, text: str, ctx: LearnerContext | None = None, **entities) -> Answer:
        ents = {k: v if isinstance(v, list) else [v] for k, v in entities.items()}
        answer = respond(intent, text, ents, ctx or LearnerContext(), cat=self.cat)
        for reply in answer.replies:  # every reply fits a chat message, and nothing failed
            assert len(reply.text) <= MAX_REPLY_CHARS, reply.text
            assert "something went wrong" not in reply.text, (intent, text)
        return answer


@pytest.fixture(scope="session")
def ask(cat):
    return Asker(cat)


def text(answer: Answer) -> str:
    return "\n".join(r.text for r in answer.replies)


def buttons(answer: Answer) -> list:
    return [b for r in answer.replies for b in r.buttons]


def sources(answer: Answer) -> list[str]:
    return [r.source for r in answer.replies if r.source]
