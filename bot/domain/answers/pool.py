"""A unit pool (the City & Guilds text): unit specifications with no qualification around them.

It has no title, number, groups or rules of combination, so nothing is "still needed" against it and no
unit in it is mandatory. What can be said exactly is said: the units named, their credits in all and by
level, a swap's effect on that count, and which qualifications hold them. Every answer says what was
checked (issue 13, patterns 4 and 5: never a crash, never an invented rule).
"""
from __future__ import annotations

from bot.domain.replies import Reply

from . import cite, resolve
from .context import Answer, LearnerContext
from .cues import unit_level, what_if_parts
from .format import join_words, plural, unit_label

# the questions a rule of combination would answer; a pool has none to answer them with
COUNTS = {"report_units", "ask_remaining", "ask_what_if", "ask_group_credits"}
_LISTED = 5  # more units than this are listed in one line


def is_pool(cat, source_id: str | None) -> bool:
    return source_id is not None and source_id in cat.sources and cat.source(source_id).qualification is None


def named_pool(cat, text: str) -> str | None:
    """The unit pool a message names ("c&g 224", "city and guilds units"), if it names no qualification."""
    hits = resolve.qualifications(cat, text)
    if any(cat.source(h.source_id).qualification is not None and not h.weak for h in hits):
        return None
    pools = [h.source_id for h in hits if is_pool(cat, h.source_id)]
    return pools[0] if pools else None


def frame(cat, text: str, ctx: LearnerContext) -> str | None:
    """The pool this message is answered in: the learner's frame if it is one, else a pool the message
    (or, for a bare follow-up, the learner's latest earlier message) names while the learner has no
    qualification."""
    if is_pool(cat, ctx.source_id):
        return ctx.source_id
    if ctx.source_id is not None:
        return None
    return named_pool(cat, text) or next((p for said in ctx.earlier[:1] if (p := named_pool(cat, said))), None)


def no_rules(cat, pool_id: str) -> str:
    """What the pool is not, and what was checked to say so."""
    doc = cat.source(pool_id)
    return (f"The {doc.short_name} has no rules of combination: it is not a qualification but {len(doc.units)} "
            f"unit specifications, with no qualification title or number, no groups and no mandatory units "
            f"(I checked the whole of {doc.file}).")


def _refs(cat, text: str | None, pool_id: str) -> list[str]:
    if not text:
        return []
    return list(dict.fromkeys(u.ref for u in resolve.units(cat, text, pool_id)
                              if u.ref and cat.spec(u.ref, pool_id) is not None))


def _tally(cat, pool_id: str, refs: list[str]) -> list[str]:
    specs = [cat.spec(r, pool_id) for r in refs]
    total = sum(s.credits for s in specs)
    levels = sorted({s.level for s in specs})
    by_level = "; ".join(f"level {lv}: {sum(s.credits for s in specs if s.level == lv)}" for lv in levels)
    if len(specs) <= _LISTED:
        rows = [f"The {plural(len(specs), 'unit')} you named:"]
        rows += [f"- {unit_label(s)}, level {s.level}, {plural(s.credits, 'credit')}" for s in specs]
    else:  # a long list in one line, so it fits one message: number, code, (level, credits)
        rows = [f"The {plural(len(specs), 'unit')} you named (level, credits): "
                + "; ".join(f"{s.number} {s.ref} (L{s.level}, {s.credits})" for s in specs) + "."]
    rows.append(f"In all: *{plural(total, 'credit')}* ({by_level}).")
    for lv in levels[1:]:
        rows.append(f"At level {lv} or above: {sum(s.credits for s in specs if s.level >= lv)} credits.")
    return rows


def _holders(cat, pool_id: str, refs: list[str]) -> str:
    held = {}
    for r in refs:
        for sid in cat.unit(r).specs:
            if sid != pool_id and cat.source(sid).qualification is not None:
                held.setdefault(sid, []).append(r)
    if not held:
        return "None of them is in a qualification I hold."
    parts = [f"the {cite.title(cat, sid)} ({len(rs)} of them)" for sid, rs in held.items()]
    return (f"They are in {join_words(parts)}. Tell me which qualification you are doing and I'll count them "
            f"against its rules.")


def counts(cat, pool_id: str, intent: str, text: str, ctx: LearnerContext) -> Answer:
    """A progress, what-if or group question framed in the pool: its units counted, no rule invented."""
    from .qualification import qualification_buttons

    head = no_rules(cat, pool_id) + " So I can't say what you still need against it."
    source = cite.name(cat, pool_id)
    if intent == "ask_what_if":
        old_text, new_text = what_if_parts(text)
        base = next((refs for said in ctx.earlier if (refs := _refs(cat, said, pool_id))), [])
        out, add = _refs(cat, old_text, pool_id), _refs(cat, new_text, pool_id)
        if base and (out or add):
            plan = [r for r in base if r not in out] + [r for r in add if r not in base]
            before = sum(cat.spec(r, pool_id).credits for r in base)
            after = sum(cat.spec(r, pool_id).credits for r in plan)
            change = " and ".join(filter(None, [f"without {join_words(_numbers(cat, pool_id, out))}" if out else "",
                                                f"with {join_words(_numbers(cat, pool_id, add))}" if add else ""]))
            rows = [f"Counting only credits, {change}: {before} -> *{after} credits*.", *_tally(cat, pool_id, plan)]
            return Answer([Reply(no_rules(cat, pool_id), source=source),
                           Reply("\n".join(rows), source=source, buttons=qualification_buttons(cat))])
    refs = _refs(cat, text, pool_id)
    if not refs:
        return Answer([Reply(head + " Which qualification are you doing?", source=source,
                             buttons=qualification_buttons(cat))])
    rows = [*_tally(cat, pool_id, refs), _holders(cat, pool_id, refs)]
    return Answer([Reply(head, source=source),
                   Reply("\n".join(rows), source=source, buttons=qualification_buttons(cat))])


def _numbers(cat, pool_id: str, refs: list[str]) -> list[str]:
    return [f"{cat.spec(r, pool_id).number} ({cat.spec(r, pool_id).credits})" for r in refs]


def facts(cat, pool_id: str, text: str) -> Answer:
    """A question about the pool as if it were a qualification: mandatory units, its number, its rules,
    or units at one level (which it can list)."""
    doc = cat.source(pool_id)
    level = unit_level(text)
    if level is not None:
        specs = [u for u in doc.units if u.level == level]
        if not specs:
            return Answer([Reply(f"The {doc.short_name} has no units at level {level}.", source=doc.short_name)])
        rows = [f"The {doc.short_name} has {plural(len(specs), 'unit')} at level {level} "
                f"({sum(u.credits for u in specs)} credits in all):"]
        rows += [f"- {unit_label(u)}, {plural(u.credits, 'credit')}" for u in specs]
        return Answer([Reply("\n".join(rows), source=doc.short_name)])
    return Answer([Reply(no_rules(cat, pool_id) + " So none of its units is mandatory, and it has no qualification "
                         "number, total credits, GLH or TQT of its own; each unit states its own level, credits and "
                         "GLH. Ask me about any of its units.", source=doc.short_name)])
