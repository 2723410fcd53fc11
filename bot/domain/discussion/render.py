"""Short, skimmable replies for the discussion: the plan, one criterion, coverage, what's left."""
from __future__ import annotations

from typing import Iterable, Optional, Protocol

from bot.domain.discussion.questions import suggest
from bot.domain.replies import MAX_REPLY_CHARS, Button, Reply


class PlannedCriterion(Protocol):
    """One criterion of a discussion plan as stored by the records layer (records.models)."""

    id: int
    position: int
    unit_ref: str
    criterion_ref: str
    kind: str
    criterion_text: str
    outcome_ref: Optional[str]
    outcome_text: Optional[str]
    pd_listed: Optional[bool]
    evidence: Optional[list[str]]
    guidance: Optional[str]
    citation: str


DECISION_BUTTONS = [Button("Met", "met"), Button("Not yet met", "not yet met"), Button("Skip", "skip")]
GUIDANCE_CHARS = 240
HELP = ("Type the learner's answer and I'll save it against the current criterion. Or say:\n"
        "- *met* / *not yet met: reason* / *skip*\n"
        "- name another criterion by number or words: *1.3 is met*, *the listening one is a not yet: no example*\n"
        "- *go to 2.3* / *back* / *change my answer to 1.2*\n"
        "- paste several at once: *1.1: ... 1.2: ...*\n"
        "- *what's left?* / *show coverage* / *pause* / *finish* / *sign*")


def fit(text: str) -> str:
    """Keep a reply within one chat message, cutting at a line end."""
    if len(text) <= MAX_REPLY_CHARS:
        return text
    return text[: MAX_REPLY_CHARS - 1].rsplit("\n", 1)[0].rsplit("; ", 1)[0] + " …"


def label(pc: PlannedCriterion, units: dict[str, str]) -> str:
    """'1.2', or '206 1.2' when the discussion covers several units."""
    return f"{units[pc.unit_ref]} {pc.criterion_ref}" if len(units) > 1 else pc.criterion_ref


def question_for(pc: PlannedCriterion) -> str:
    return suggest(pc.criterion_text, pc.kind)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _not_listed_note(pc: PlannedCriterion) -> Optional[str]:
    if pc.pd_listed is False:
        listed = ", ".join(pc.evidence or [])
        return (f"Note: for outcome {pc.outcome_ref} the specification lists {listed}, "
                "not professional discussion.")
    return None


def criterion(pc: PlannedCriterion, units: dict[str, str], position: Optional[tuple[int, int]] = None,
              guidance: bool = True) -> Reply:
    """One criterion: reference, outcome, the criterion verbatim, a suggested question, and the
    source's guidance (guidance=False leaves out guidance the assessor has just seen)."""
    where = f" ({position[0]} of {position[1]})" if position else ""
    outcome = (f"Outcome {pc.outcome_ref}: {pc.outcome_text}" if pc.outcome_ref and not pc.outcome_ref.startswith("E")
               else f"Element {pc.outcome_ref}: {pc.outcome_text}" if pc.outcome_ref
               else "Knowledge and understanding")
    lines = [f"*{label(pc, units)}*{where} · {_shorten(outcome, 160)}", f"“{pc.criterion_text}”",
             f"Ask: {question_for(pc)}"]
    if pc.guidance and guidance:
        lines.append(f"Guidance: {_shorten(pc.guidance, GUIDANCE_CHARS)}")
    note = _not_listed_note(pc)
    if note:
        lines.append(note)
    return Reply("\n".join(lines), buttons=list(DECISION_BUTTONS), source=pc.citation)


def ref_ranges(items: Iterable[PlannedCriterion], units: dict[str, str]) -> str:
    """'1.1–1.8, 2.1–2.3, 3.5': runs of consecutive planned criteria within one outcome collapsed."""
    runs: list[list[PlannedCriterion]] = []
    for pc in items:
        last = runs[-1][-1] if runs else None
        if last is not None and pc.position == last.position + 1 and (pc.unit_ref, pc.outcome_ref) == (last.unit_ref, last.outcome_ref):
            runs[-1].append(pc)
        else:
            runs.append([pc])
    parts = []
    for run in runs:
        first, last = label(run[0], units), run[-1].criterion_ref
        parts.append(first if len(run) == 1 else f"{first}, {last}" if len(run) == 2 else f"{first}–{last}")
    return ", ".join(parts) if parts else "none"


def plan(learner: str, unit_titles: list[str], source: str, items: list[PlannedCriterion],
         units: dict[str, str]) -> Reply:
    """What the discussion will cover, and where the specification does not list PD."""
    lines = [f"Professional discussion with *{learner}*: {'; '.join(unit_titles)} ({source}).",
             f"{len(items)} criteria to cover: {ref_ranges(items, units)}."]
    not_listed: dict[tuple[str, Optional[str]], list[PlannedCriterion]] = {}
    silent: list[PlannedCriterion] = []
    for pc in items:
        if pc.pd_listed is False:
            not_listed.setdefault((pc.unit_ref, pc.outcome_ref), []).append(pc)
        elif pc.pd_listed is None:
            silent.append(pc)
    for (_, outcome), group in not_listed.items():
        lines.append(f"- Outcome {outcome} ({ref_ranges(group, units)}): the specification lists "
                     f"{', '.join(group[0].evidence or [])}, not professional discussion.")
    if silent:
        lines.append(f"- {ref_ranges(silent, units)}: the specification does not list evidence types for "
                     f"{'these' if len(silent) > 1 else 'this'}.")
    lines.append("Type the learner's answers as they give them; say *help* for commands.")
    return Reply(fit("\n".join(lines)))


def coverage(cov: dict[str, list[PlannedCriterion]], reasons: dict[int, str], units: dict[str, str]) -> Reply:
    met, nym, rest = cov["met"], cov["not_yet_met"], cov["not_covered"]
    total = len(met) + len(nym) + len(rest)
    lines = [f"Coverage: {len(met)} of {total} met."]
    lines.append(f"- Met ({len(met)}): {ref_ranges(met, units)}")
    if nym:
        lines.append(f"- Not yet met ({len(nym)}): " + "; ".join(
            f"{label(pc, units)} ({_shorten(reasons.get(pc.id, ''), 60)})" if reasons.get(pc.id) else label(pc, units)
            for pc in nym))
    lines.append(f"- Not covered ({len(rest)}): {ref_ranges(rest, units)}")
    return Reply(fit("\n".join(lines)))


def remaining(open_items: list[PlannedCriterion], skipped: list[PlannedCriterion], units: dict[str, str]) -> Reply:
    if not open_items and not skipped:
        return Reply("Nothing left: every criterion has a decision. Say *finish* when you're ready.",
                     buttons=[Button("Finish", "finish"), Button("Show coverage", "show coverage")])
    lines = []
    if open_items:
        lines.append(f"Still to cover ({len(open_items)}): {ref_ranges(open_items, units)}.")
    if skipped:
        lines.append(f"Skipped ({len(skipped)}): {ref_ranges(skipped, units)}. Say *go to {label(skipped[0], units)}* to return.")
    return Reply(fit("\n".join(lines)))
