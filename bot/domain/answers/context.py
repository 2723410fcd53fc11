"""What the answers layer takes in and gives back (see notes/conversation.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.replies import Reply


@dataclass(slots=True)
class LearnerContext:
    """The learner's state as the records layer knows it.

    `pending` is the previous answer's `pending_choice` (kept by the action in a slot), so that
    "the second one" or "yes" picks one of the options offered last. `earlier` gives a follow-up
    ("and 2.1?", "is it mandatory?") the unit it is about.
    """

    source_id: str | None = None
    planned: list[str] = field(default_factory=list)
    claimed: list[str] = field(default_factory=list)
    achieved: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    earlier: list[str] = field(default_factory=list)  # the learner's previous messages, latest first

    @property
    def done(self) -> list[str]:
        """Units that count as done for planning: achieved, then claimed (never confirmed by us)."""
        return list(dict.fromkeys(self.achieved + self.claimed))


@dataclass(slots=True)
class Answer:
    replies: list[Reply]
    set_source: str | None = None  # the qualification the learner chose
    unit_updates: dict[str, str] = field(default_factory=dict)  # unit ref -> "planned" | "claimed"
    # the payloads of the choice buttons offered, in order: a later "the second one" dispatches the second
    pending_choice: list[str] = field(default_factory=list)
