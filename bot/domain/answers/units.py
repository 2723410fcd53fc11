"""Conversation 2: the learner reports units finished or planned.

"Finished/done/completed" records a *claim* (the learner's word); "planning/going to/thinking of" a plan.
Nothing here marks a unit achieved: only an assessor's decisions do that (bot.records). Units outside the
learner's qualification are refused with where they can be found; unclear names are asked about.
"""
from __future__ import annotations

from bot.domain.replies import Button, Reply
from catalogue import rules
from catalogue.text import words

from . import cite, resolve
from .context import Answer, LearnerContext
from .cues import CLAIMED, PLANNED, status_segments, strip_cues, strip_whole_groups, whole_groups
from .format import bullets, join_words, payload, plural, unit_label
from .qualification import ask_to_choose
from .unit_info import where_else

_STATUS_WORDS = {CLAIMED: "finished", PLANNED: "planned"}


def report(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext) -> Answer:
    if ctx.source_id is None:
        return ask_to_choose(cat, "Which qualification are these units for? Choose it first, then tell me the "
                                  "units again.")
    sid = ctx.source_id
    given = [v for v in entities.get("unit", []) if cat.unit(v) is not None]
    if given:  # a button: the refs and the status are in the payload
        status = (entities.get("status") or [None])[0]
        found = [(status if status in (CLAIMED, PLANNED) else None,
                  resolve.UnitRef(r, r, outside=cat.spec(r, sid) is None)) for r in given]
    else:
        # "unit 3 and unit 5 of the SVQ": a qualification named in the message sets how numbers are read
        named = [h.source_id for h in resolve.qualifications(cat, text) if not h.weak
                 and cat.source(h.source_id).qualification is not None]
        frame = named[0] if named else sid
        found = []
        for status, fragment in status_segments(resolve.expand_ranges(text)):  # before "to" is taken for a cue word
            refs = _whole_group_refs(cat, sid, fragment)
            found += [(status, resolve.UnitRef(fragment, r)) for r in refs]
            rest = strip_whole_groups(fragment) if refs else fragment
            for hit in resolve.units(cat, strip_cues(rest), frame):
                if refs and hit.ref is None and len(words(hit.mention).split()) < 2:
                    continue  # a stray word left beside "all the mandatory units" is not a unit to ask about
                if hit.ref and frame != sid:
                    hit.outside = cat.spec(hit.ref, sid) is None
                found.append((status, hit))
    if not found:
        return Answer([Reply("I didn't catch a unit name there. Tell me the units by number, code or title, e.g. "
                             "\"I've finished 206 and exceed customer expectations\" or \"I'm planning buddy a "
                             "colleague\".")])
    clear = [(s, h.ref) for s, h in found if h.ref and not h.outside]
    outside = [h for _, h in found if h.outside]
    unclear = [(s, h) for s, h in found if h.ref is None and not h.outside]
    replies: list[Reply] = []
    updates: dict[str, str] = {}
    undecided = [ref for s, ref in clear if s is None]
    if undecided:
        refs = list(dict.fromkeys(undecided))
        names = bullets(unit_label(cat.spec(r, sid)) for r in refs)
        replies.append(Reply(f"Have you finished these, or are you planning them?\n{names}",
                             source=cite.name(cat, sid),
                             buttons=[Button("Finished", payload("report_units", unit=refs, status=CLAIMED)),
                                      Button("Planning", payload("report_units", unit=refs, status=PLANNED))]))
    for status in (CLAIMED, PLANNED):
        refs = list(dict.fromkeys(ref for s, ref in clear if s == status))
        confirmed = [r for r in refs if r in ctx.achieved]
        refs = [r for r in refs if r not in ctx.achieved]
        if refs:
            updates.update({r: status for r in refs})
            replies.append(_noted(cat, sid, refs, status))
        if confirmed:
            replies.append(Reply("Already confirmed as achieved by your assessor, so unchanged:\n"
                                 + bullets(unit_label(cat.spec(r, sid)) for r in confirmed), source=cite.name(cat, sid)))
    for hit in outside:
        replies.append(_refuse(cat, sid, hit))
    pending: list[str] = []
    for i, (status, hit) in enumerate(unclear):
        if hit.options and i == 0:
            options = [r for r in hit.options if cat.spec(r, sid)] or hit.options
            lead = (f"Which unit did you mean by \"{hit.mention}\"?" if not hit.weak
                    else f"I'm not sure which unit \"{hit.mention}\" is. Did you mean one of these?")
            buttons = [Button(unit_label(cat.unit(r).spec(), with_number=False),
                              payload("report_units", unit=r, status=status or "")) for r in options[:5]]
            pending = [b.payload for b in buttons]
            replies.append(Reply(lead, buttons=buttons))
        elif hit.options:
            replies.append(Reply(f"I'm also not sure which unit \"{hit.mention}\" is; tell me again with its "
                                 f"number or code."))
        else:
            replies.append(Reply(f"I couldn't find a unit called \"{hit.mention}\" in your {cite.title(cat, sid)}. "
                                 f"Try its number or code, or ask me to list the units.", source=cite.name(cat, sid)))
    if CLAIMED in updates.values():
        replies.append(_progress(cat, sid, ctx, updates))
    return Answer(replies, unit_updates=updates, pending_choice=pending)


def _whole_group_refs(cat, sid: str, fragment: str) -> list[str]:
    """Every unit of the groups a fragment reports as a whole ("all the mandatory units", "all of group A")."""
    letters, mandatory = whole_groups(fragment)
    groups = cat.source(sid).qualification.rules.groups
    chosen = [g for g in groups if g.id in letters or (mandatory and g.mandatory)]
    return [r for g in chosen for r in g.units]


def _noted(cat, sid: str, refs: list[str], status: str) -> Reply:
    names = bullets(unit_label(cat.spec(r, sid)) for r in refs)
    if status == CLAIMED:
        lead = (f"Noted as *finished* ({plural(len(refs), 'unit')}). This is your claim: your assessor still has "
                f"to confirm {'it' if len(refs) == 1 else 'them'}.")
    else:
        lead = f"Noted as *planned* ({plural(len(refs), 'unit')}):"
    return Reply(f"{lead}\n{names}", source=cite.name(cat, sid))


def _refuse(cat, sid: str, hit: resolve.UnitRef) -> Reply:
    """Why units outside the qualification are not recorded, and where each can be found."""
    refs = list(dict.fromkeys(hit.options or [hit.ref]))
    titles = list({words(cat.unit(r).title): cat.unit(r).title for r in reversed(refs)}.values())[::-1]
    where = "; ".join(w for r in refs for w in where_else(cat, r))
    if len(titles) == 1:
        lead = f"*{titles[0]}* is not in your {cite.title(cat, sid)}, so it can't count towards it."
    else:
        lead = (f"\"{hit.mention}\" could be {join_words([f'*{t}*' for t in titles], 'or')}, but none of them is in "
                f"your {cite.title(cat, sid)}.")
    return Reply(f"Not recorded: {lead} It is in: {where}." if len(titles) == 1 else
                 f"Not recorded: {lead} They are in: {where}.", source=cite.rules_source(cat, sid))


def _progress(cat, sid: str, ctx: LearnerContext, updates: dict[str, str]) -> Reply:
    done = list(dict.fromkeys(ctx.done + [r for r, s in updates.items() if s == CLAIMED]))
    done = [r for r in done if updates.get(r) != PLANNED or r in ctx.achieved]
    report = rules.check(cat, sid, done)
    cn = report.credit_name
    if report.valid:
        text = f"With these, your finished units meet the rules of combination ({report.credits} {cn})."
    else:
        text = (f"Your finished units now count {report.credits} of at least {report.min_credits} {cn}. "
                f"Ask \"what do I still need?\" for the rest.")
    return Reply(text, source=cite.rules_source(cat, sid),
                 buttons=[Button("What do I still need?", payload("ask_remaining"))])
