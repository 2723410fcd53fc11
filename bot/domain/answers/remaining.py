"""Conversation 3: what the learner still needs, what-if swaps and group credit questions.

The rules engine (catalogue.rules) decides; this module only puts its report into words. It is the one
place a rules-of-combination report is rendered: the chat, the API's progress summary and the catalogue
CLI all use `summary` or the lines it is made of.
Units the learner says they have finished count here as done, but are always called "claimed" until an
assessor confirms them.
"""
from __future__ import annotations

import re

from bot.domain.replies import Button, Reply
from catalogue import rules

from . import cite, qualification, resolve
from .context import Answer, LearnerContext
from .cues import (QUAL_ASPECTS, all_optional_from, credit_amount, group_amounts, group_letters, group_unit_amounts,
                   topics_in, wants_mandatory, what_if_parts)
from .format import join_words, paged, payload, plural
from .qualification import ask_to_choose
from .structure import fewest_units, group_notes, group_text, rule_parts, structure
from .unit_info import where_else


def _title(cat, source_id: str, ref: str) -> str:
    """'Manage diary systems (H/506/1912, unit 39, 2 credits)': title, reference, the source's unit number, credits."""
    spec = cat.spec(ref, source_id) or cat.unit(ref).spec()
    number = f"unit {spec.number}, " if spec.number and spec.source == source_id else ""
    credit = "credit" if cat.source(source_id).qualification.rules.credit_name == "credits" else "credit point"
    return f"{spec.title} ({spec.ref}, {number}{plural(spec.credits, credit)})"


def _status_lines(cat, report: rules.Report) -> list[str]:
    cn = report.credit_name
    sid = report.source
    rows = []
    for g in report.groups:
        group = next(x for x in cat.source(sid).qualification.rules.groups if x.id == g.id)
        head = f"- {group_text(group, cn)}: "
        if g.mandatory:
            done = f"{len(g.units)} of {len(g.units) + len(g.missing)} units done"
            rows.append(head + (f"{done}; still to do: {'; '.join(_title(cat, sid, r) for r in g.missing)}"
                                if g.missing else "all done"))
            continue
        bits = [f"{g.counted} {cn}" + (f" from {plural(len(g.units), 'unit')}" if g.units else "")]
        if g.shortfall:
            bits.append(f"*{g.shortfall} more needed*")
        if g.unit_shortfall:
            bits.append(f"*{plural(g.unit_shortfall, 'more unit')} needed*")
        if g.max_reached:
            bits.append("maximum reached: more units here won't count")
        if g.over_max:
            bits.append(f"{g.over_max} {cn} over the maximum don't count")
        if g.met and not g.max_reached and (g.min_credits or g.min_units):
            bits.append("minimum met")
        rows.append(head + ", ".join(bits))
    if report.level:
        lv = report.level
        rows.append(f"- Level {lv.level} or above: {lv.counted} of at least {lv.required} {cn}"
                    + (f" (*{lv.shortfall} short*)" if lv.shortfall else " (met)"))
    if report.total_units is not None:
        rows.append(f"- Units: {report.units} of {report.total_units}"
                    + (f" ({report.optional_count} of {report.optional_units} optional)"
                       if report.optional_units is not None else ""))
    total = f"- Total: {report.credits} of at least {report.min_credits} {cn}"
    rows.append(total + (f" (*{report.shortfall} to go*)" if report.shortfall else " (met)"))
    for rejected in report.rejected:
        rows.append(f"- Not counted: {rejected.ref}: {rejected.reason}")
    rows += [f"- Note: {n}" for n in report.notes if "do not count" not in n]
    return rows


def _suggestion_lines(cat, source_id: str, s: rules.Suggestion, cn: str) -> list[str]:
    """The units to add, by group; mandatory units are listed above already, so only counted here."""
    groups = {g.id: g for g in cat.source(source_id).qualification.rules.groups}
    rows = []
    for gid, refs in s.by_group.items():
        if groups[gid].mandatory:
            rows.append(f"  - Group {gid}: its {plural(len(refs), 'mandatory unit')} above")
        else:
            rows.append(f"  - Group {gid}: " + "; ".join(_title(cat, source_id, r) for r in refs))
    return rows


def _size(s: rules.Suggestion, cn: str) -> str:
    return f"+{s.credits} {cn}" + (f", +{s.glh} GLH" if s.glh is not None else "")


def summary(cat, result: rules.Remaining) -> str:
    """The whole report as plain text: state of every rule, then each suggested way to finish."""
    report = result.report
    sid, cn = report.source, report.credit_name
    lines = [f"{report.qualification}: " + ("the rules of combination are met." if report.valid
                                             else "not complete yet."), *_status_lines(cat, report)]
    if result.suggestions:
        what = "GLH" if result.suggestions[0].minimised == "glh" else cn
        lines.append(f"Cheapest ways to finish (fewest extra {what}):")
        for i, s in enumerate(result.suggestions, 1):
            lines += [f"{i}. {_size(s, cn)} (total {s.total_credits} {cn}):", *_suggestion_lines(cat, sid, s, cn)]
    if result.note:
        lines.append(result.note)
    return "\n".join(lines)


def remaining(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1,
              plan: bool = False) -> Answer:
    """What is left counting the finished units, or with `plan` the finished and planned ones ("I'm doing
    group A plus 17 and 18, is that enough?")."""
    if ctx.source_id is None:
        return ask_to_choose(cat, "First tell me your qualification, then I can work out what you still need.")
    sid = ctx.source_id
    done = list(dict.fromkeys(ctx.done + ctx.planned)) if plan else ctx.done
    if not done and topics_in(text, {k: QUAL_ASPECTS[k] for k in _NOT_PROGRESS}):
        return qualification.info(cat, text, entities, ctx, page)  # "what can I progress to?" is no progress report
    result = rules.remaining(cat, sid, done, "credits", 1)
    report = result.report
    q = cat.source(sid).qualification
    cn = report.credit_name
    counted = f"{plural(len(done), 'unit')} you've finished or planned" if plan else \
        f"{plural(len(done), 'unit')} you've finished"
    if report.valid:
        head = (f"With the {counted}, you meet the rules of combination of the *{q.title}* ({report.credits} {cn}).")
    else:
        more = f" ({plural(report.shortfall, 'more ' + cn.removesuffix('s'))} needed in total)" if report.shortfall else ""
        head = f"*{q.title}*: {report.credits} of {report.min_credits} {cn} so far{more}, counting {counted}."
    unconfirmed = [r for r in ctx.claimed if r not in ctx.achieved]
    if unconfirmed:
        head += f" ({plural(len(unconfirmed), 'unit is', 'units are')} your own claim, not yet confirmed by your assessor.)"
    sections = [("\n".join([head, *_status_lines(cat, report)]), cite.rules_source(cat, sid))]
    if not done and _WHOLE.search(text):  # "what do I need to pass it overall? like the whole structure"
        sections.append(structure(cat, sid))
    if not report.valid:
        sections += [(block, cite.rules_source(cat, sid)) for block in _suggestions(cat, sid, done, result, cn)]
    if ctx.planned and not plan:
        sections.append((_with_planned(cat, sid, done, ctx.planned, cn), cite.rules_source(cat, sid)))
    buttons = [Button("List my optional units", payload("ask_list_units", text="optional units"))]
    return Answer(paged(sections, intent="ask_remaining", message=text, page=page, buttons=buttons))


# aspects of a qualification a "what do I need" question may really ask about; none is a progress report
_NOT_PROGRESS = ("progression", "entry", "age", "status", "glh", "tqt")  # not grading: "what do I need to pass?"
_WHOLE = re.compile(r"\b(?:structure|overall|whole|rules?\s+of\s+combination|to\s+(?:pass|achieve|complete|get)\s+it)\b",
                    re.I)


def _suggestions(cat, sid: str, done: list[str], result: rules.Remaining, cn: str) -> list[str]:
    """One block per suggestion: fewest extra credits, then fewest GLH where that is a different set."""
    if not result.possible:
        return [result.note or "No set of additional units can complete the qualification from these units."]
    by_credits = result.suggestions[0]
    by_glh = rules.suggest(cat, sid, done, "glh", 1)
    glh = by_glh[0] if by_glh and by_glh[0].minimised == "glh" else None
    if glh is not None and glh.credits <= by_credits.credits:
        by_credits = glh  # as few credits and fewer hours: one plan is best on both counts
    other = glh if glh is not None and set(glh.units) != set(by_credits.units) else None
    # Each plan is named by what it minimises: "quickest" only when it also needs the fewest hours.
    if glh is not None and other is None:
        first = f"*Quickest way to finish* (fewest extra {cn} and fewest hours: {_size(by_credits, cn)}):"
    else:
        first = f"*Fewest extra {cn}* ({_size(by_credits, cn)}):"
    blocks = ["\n".join([first, *_suggestion_lines(cat, sid, by_credits, cn)])]
    if other is not None:
        blocks.append("\n".join([f"*Fewest guided learning hours* ({_size(other, cn)}):",
                                  *_suggestion_lines(cat, sid, other, cn)]))
    return blocks


def needs(report: rules.Report) -> list[str]:
    """What a report still lacks, in short phrases: "the 5 mandatory units of Group A", "13 more credits in Group C"."""
    cn = report.credit_name
    out = []
    for g in report.groups:
        if g.missing:
            out.append(f"{plural(len(g.missing), 'mandatory unit')} of Group {g.id}")
        if g.shortfall and not g.missing:
            out.append(f"{g.shortfall} more {cn} in Group {g.id}")
        if g.unit_shortfall and not g.missing:
            out.append(f"{plural(g.unit_shortfall, 'more unit')} from Group {g.id}")
    if report.level and report.level.shortfall:
        out.append(f"{report.level.shortfall} more {cn} at level {report.level.level} or above")
    if report.shortfall:
        out.append(f"{report.shortfall} more {cn} in total")
    if report.total_units is not None and report.units > report.total_units:
        out.append(f"{report.units - report.total_units} units fewer (exactly {report.total_units} are allowed)")
    return out


def _with_planned(cat, sid: str, done: list[str], planned: list[str], cn: str) -> str:
    report = rules.check(cat, sid, list(dict.fromkeys(done + planned)))
    if report.valid:
        return f"Your planned units ({len(planned)}) would complete the qualification."
    return (f"With your {plural(len(planned), 'planned unit')} as well you'd have {report.credits} {cn}; you'd "
            f"still need {join_words(needs(report))}.")


# --- what if ------------------------------------------------------------------------------


def _units_named(cat, text: str | None, sid: str) -> list[resolve.UnitRef]:
    """Every unit one side of a what-if names ("407 and 408"), else the one unit its words name."""
    if not text:
        return []
    found = resolve.units(cat, text, sid)
    if not found:
        one = resolve.unit(cat, text, sid)
        found = [one] if one is not None else [resolve.UnitRef(text)]
    return found


def what_if(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    if ctx.source_id is None:
        return ask_to_choose(cat, "First tell me your qualification, then I can try out changes.")
    sid = ctx.source_id
    old_text, new_text = what_if_parts(text)
    olds, news = _units_named(cat, old_text, sid), _units_named(cat, new_text, sid)
    if not olds and not news:
        return Answer([Reply("Tell me the change, e.g. \"what if I swap 206 for 207\", \"what if I drop exceed "
                             "customer expectations\" or \"what if I add buddy a colleague\".")])
    for part in olds + news:
        if part.ref is None:
            options = ", ".join(_title(cat, sid, r) for r in part.options if cat.spec(r, sid))
            maybe = f" (possibly: {options})" if options else ""
            return Answer([Reply(f"I'm not sure which unit \"{part.mention}\" is{maybe}. Try its number or code.")])
    replies = [_outside_reply(cat, sid, p) for p in news if p.outside]
    replies += [_outside_reply(cat, sid, p, "so leaving it out changes nothing") for p in olds if p.outside]
    out_refs = [p.ref for p in olds if not p.outside]
    in_refs = [p.ref for p in news if not p.outside]
    if not out_refs and not in_refs:
        return Answer(replies)
    base = list(dict.fromkeys(ctx.done + ctx.planned))
    plan = [r for r in base if r not in out_refs] + [r for r in in_refs if r not in base]
    before, after = rules.check(cat, sid, base), rules.check(cat, sid, plan)
    cn = after.credit_name
    change = " and ".join(filter(None, [
        f"without {join_words([_title(cat, sid, r) for r in out_refs])}" if out_refs else None,
        f"with {join_words([_title(cat, sid, r) for r in in_refs])}" if in_refs else None]))
    rows = [f"Your plan (finished and planned units) {change}:"]
    missing = [r for r in out_refs if r not in base]
    if missing:
        rows.append(f"(Note: {join_words([_title(cat, sid, r) for r in missing])} isn't in your finished or "
                    f"planned units.)")
    rows.append(f"- Total: {before.credits} -> {after.credits} {cn} (at least {after.min_credits} needed)")
    for b, a in zip(before.groups, after.groups):
        if (b.counted, b.met, b.over_max) != (a.counted, a.met, a.over_max):
            limit = (f"; at most {a.max_credits} count, so {a.over_max} of its {a.credits} {cn} would not count"
                     if a.over_max else "")
            rows.append(f"- Group {a.id}: {b.counted} -> {a.counted} {cn}" + ("" if a.met else " (not met)") + limit)
    if after.level and before.level and after.level.counted != before.level.counted:
        rows.append(f"- Level {after.level.level}+: {before.level.counted} -> {after.level.counted} of "
                    f"{after.level.required}")
    if after.total_units is not None and before.units != after.units:
        rows.append(f"- Units: {before.units} -> {after.units} of {after.total_units}")
    if after.valid:
        rows.append("That plan would meet the rules of combination.")
    else:
        rows.append(f"It would still need {join_words(needs(after))}.")
        finish = rules.remaining(cat, sid, plan, "credits", 1)
        if finish.possible and finish.suggestions:  # which units would complete each rule still unmet
            rows += [f"Units that would complete it ({_size(finish.suggestions[0], cn)}):",
                     *_suggestion_lines(cat, sid, finish.suggestions[0], cn)]
    return Answer([Reply("\n".join(rows), source=cite.rules_source(cat, sid)), *replies])


def _outside_reply(cat, sid: str, found: resolve.UnitRef, consequence: str = "so it can't count towards it") -> Reply:
    spec = cat.unit(found.ref).spec()
    places = "; ".join(where for r in (found.options or [found.ref]) for where in where_else(cat, r))
    return Reply(f"{spec.title} ({found.ref}) is not in your {cite.title(cat, sid)}, {consequence}. "
                 f"It is in: {places}.", source=cite.rules_source(cat, sid))


# --- group credits --------------------------------------------------------------------------


def group_credits(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    if ctx.source_id is None:
        return ask_to_choose(cat, "Which qualification? Choose yours first:")
    sid = ctx.source_id
    q = cat.source(sid).qualification
    groups = {g.id: g for g in q.rules.groups}
    cn = q.rules.credit_name
    letters = [v.upper() for v in entities.get("group", [])] or group_letters(text)
    if not letters and wants_mandatory(text):
        letters = [g.id for g in q.rules.groups if g.mandatory]
    unknown = [x for x in letters if x not in groups]
    rows = []
    if unknown:
        rows.append(f"The {q.title} has no group {join_words(unknown, 'or')}; its groups are "
                    f"{join_words(list(groups))}.")
    asked = [groups[x] for x in letters if x in groups]
    if not asked:  # no group named: the rule of every group
        rows += [(f"Group {g.id}: mandatory, every unit." if g.mandatory else _group_rule(g, cn))
                 + f" ({_available(cat, sid, g, cn)})" for g in q.rules.groups]
        rows.append(_totals(q.rules))
        return Answer([Reply("\n".join(rows), source=cite.rules_source(cat, sid))])
    amounts = group_amounts(text)
    if (everything := all_optional_from(text)) in groups:  # "all my optional credits from group A"
        amounts[everything] = q.rules.min_credits - sum(_credits_of(cat, sid, g) for g in q.rules.groups if g.mandatory)
    unit_amounts = group_unit_amounts(text)
    single = credit_amount(text) if len(asked) == 1 and not amounts else None
    for group in asked:
        if group.id in unit_amounts:
            rows.append(_group_units_answer(cat, sid, group, unit_amounts[group.id]))
        else:
            rows.append(_group_answer(cat, sid, q, group, amounts.get(group.id, single), text))
        rows += [f"It states: \"{note}\" (line {line})" for line, note in group_notes(cat, sid, group)]
    others = [g for g in q.rules.groups if g not in asked and (g.mandatory or g.min_credits or g.min_units)]
    if others:
        rows.append("You also need: " + "; ".join(_need(cat, sid, g, cn) for g in others) + ".")
    return Answer([Reply("\n".join(rows), source=cite.rules_source(cat, sid))])


def _credits_of(cat, sid: str, group) -> int:
    return sum(cat.spec(r, sid).credits for r in group.units)


def _group_units_answer(cat, sid: str, group, n: int) -> str:
    """'can I do 3 units from group D?': the group's unit limits, and its units when there are few."""
    units = [cat.spec(r, sid) for r in group.units]
    listed = f" ({'; '.join(f'{u.title}, {u.ref}' for u in units)})" if len(units) <= 3 else ""
    holds = f"Group {group.id} holds {plural(len(units), 'unit')}{listed}"
    if group.mandatory:
        return f"Group {group.id} is mandatory: you take all of its {plural(len(units), 'unit')}{listed}."
    if n > len(units):
        return f"*No*: {holds}, so {n} isn't possible."
    if group.max_units is not None and n > group.max_units:
        return f"*No*: at most {plural(group.max_units, 'unit')} from Group {group.id} count. {holds}."
    if group.min_units and n < group.min_units:
        return f"*Not enough*: Group {group.id} needs at least {plural(group.min_units, 'unit')}. {holds}."
    return f"*Yes*: {plural(n, 'unit')} from Group {group.id} is within its rule. {_group_rule(group, cn_of(cat, sid))} {holds}."


def cn_of(cat, sid: str) -> str:
    return cat.source(sid).qualification.rules.credit_name


def _available(cat, sid: str, group, cn: str) -> str:
    return f"{plural(len(group.units), 'unit')} worth {sum(cat.spec(r, sid).credits for r in group.units)} {cn}"


def _totals(rules_: "rules.RuleSet") -> str:
    text = f"In total at least {rules_.min_credits} {rules_.credit_name}"
    if rules_.level_credits:
        text += f", {rules_.level_credits[1]} of them from units at level {rules_.level_credits[0]} or above"
    if rules_.total_units:
        text += f"; exactly {rules_.total_units} units ({rules_.optional_units} optional)"
    return text + "."


def _group_answer(cat, sid: str, q, group, amount: int | None, text: str = "") -> str:
    cn = q.rules.credit_name
    available = sum(cat.spec(r, sid).credits for r in group.units)
    fewest = fewest_units(cat, sid, group, cn)
    facts = f"Group {group.id} has {_available(cat, sid, group, cn)} in total" + (f"; {fewest}." if fewest else ".")
    if group.mandatory:
        return f"Group {group.id} is mandatory: you take all of its units, {available} {cn}."
    if amount is None:
        answer = _group_rule(group, cn, text)
    elif amount > available:
        answer = f"*No*: Group {group.id} only holds {available} {cn} in total, so {amount} isn't possible."
    elif group.max_credits is not None and amount > group.max_credits:
        answer = (f"*No*: at most {group.max_credits} {cn} count from Group {group.id}; "
                  f"{amount - group.max_credits} of your {amount} wouldn't count towards the {q.rules.min_credits}.")
    elif group.min_credits and amount < group.min_credits:
        answer = f"*Not enough*: Group {group.id} needs at least {group.min_credits} {cn}."
    elif amount == 0 and not group.min_units:
        answer = f"*Yes*: Group {group.id} has no minimum, so you need take nothing from it. {_group_rule(group, cn)}"
    else:
        answer = f"*Yes*: {amount} {cn} from Group {group.id} is within its rule. {_group_rule(group, cn)}"
    return f"{answer}\n{facts}"


_ASKS_MAX = re.compile(r"\b(?:max(?:imum)?|most|upper|limit|cap)\b", re.I)


def _group_rule(group, cn: str, text: str = "") -> str:
    parts = rule_parts(group, cn)
    if not parts:
        return f"Group {group.id}: the specification states no minimum and no maximum for it."
    unstated = ["no maximum is stated"] if _ASKS_MAX.search(text) and group.max_credits is None \
        and group.max_units is None else []
    return f"Group {group.id}: {join_words(parts + unstated)}."


def _need(cat, sid: str, g, cn: str) -> str:
    if g.mandatory:
        return f"all of Group {g.id} ({sum(cat.spec(r, sid).credits for r in g.units)} {cn})"
    if g.min_credits:
        return f"at least {g.min_credits} {cn} from Group {g.id}"
    return f"at least {plural(g.min_units, 'unit')} from Group {g.id}"
