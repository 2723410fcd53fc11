"""Conversation 4: what a unit is (group, level, credits, GLH, outcomes, sources, differences),
and listing the units of a group."""
from __future__ import annotations

import re

from bot.domain.replies import Button, Reply
from catalogue.model import Difference, Group, UnitSpec

from . import cite, counts, passages, resolve
from .context import Answer, LearnerContext
from .cues import group_letter, unit_level, wants_mandatory, wants_optional
from .format import paged, payload, plural, unit_label
from . import qualification
from .qualification import ask_to_choose
from .structure import group_text
from .asks import clauses
from .verdict import assessment_type, unit_verdict

_FIELD_NAMES = {"title": "Title", "level": "Level", "credits": "Credits", "glh": "GLH",
                "outcomes": "Number of outcomes", "criteria": "Number of criteria",
                "outcome_text": "Wording of outcome", "criterion_text": "Wording of criterion"}
_MAX_DIFFERENCES = 6


def primary_spec(cat, ref: str, source_id: str | None) -> UnitSpec:
    """The learner's own specification of a unit where it has one, else the first source holding it."""
    unit = cat.unit(ref)
    return unit.specs[source_id] if source_id in unit.specs else unit.spec()


def where_else(cat, ref: str, exclude: str | None = None) -> list[str]:
    """'HABC Level 3 Diploma (Group A)', 'City & Guilds unit pool (unit 402)' for each source holding the unit."""
    out = []
    for source_id, spec in cat.unit(ref).specs.items():
        if source_id == exclude:
            continue
        group = cat.group_of(source_id, ref)
        where = f"Group {group.id}" if group else (f"unit {spec.number}" if spec.number else "")
        if spec.ref != ref:
            where = f"{where}, {spec.ref}"
        out.append(f"{cite.name(cat, source_id)}" + (f" ({where})" if where else ""))
    return out


def ask_which_unit(options: list[str], cat, intent: str, lead: str, **extra: str) -> Answer:
    buttons = [Button(unit_label(cat.unit(r).spec(), with_number=False), payload(intent, unit=r, **extra))
               for r in options[:5]]
    return Answer([Reply(lead, buttons=buttons)], pending_choice=[b.payload for b in buttons])


def not_found(what: str = "that unit") -> Answer:
    return Answer([Reply(f"I couldn't find {what}. You can give its number (e.g. 206), its code "
                         f"(e.g. K/506/2155) or words from its title (e.g. \"exceed customer expectations\").")])


def _clearly(cat, found: resolve.UnitRef) -> bool:
    """Named by its code or number, or by two words of its title (not by a question's stray words)."""
    if re.fullmatch(r"\W*(?:units?\s*)?\d{1,3}(?:\s*/\s*\d{3})?\W*", found.mention, re.I):
        return True  # one number of a list ("units 13 and 14")
    return resolve.names_unit_code(found.mention) or len(
        resolve.significant(cat.unit(found.ref).title) & resolve.significant(found.mention)) >= 2


def unit_frame(cat, text: str, ctx: LearnerContext) -> str | None:
    """How unit numbers are read: the qualification (or the C&G unit pool) the question names, else the learner's."""
    hits = resolve.qualifications(cat, text)
    quals = [h.source_id for h in hits if not h.weak and cat.source(h.source_id).qualification is not None]
    pools = [h.source_id for h in hits if cat.source(h.source_id).qualification is None]  # never chosen, so "weak"
    return (quals or pools or [ctx.source_id])[0]


def unit_from(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext) -> resolve.UnitRef | None:
    """The unit a question is about; a button payload carries its ref in the `unit` entity."""
    for value in entities.get("unit", []):
        if cat.unit(value) is not None:
            return resolve.UnitRef(value, value, outside=ctx.source_id is not None and cat.spec(value, ctx.source_id) is None)
    frame = unit_frame(cat, text, ctx)
    found = resolve.unit(cat, text, frame)
    if found is not None and found.ref and frame != ctx.source_id:
        found.outside = ctx.source_id is not None and cat.spec(found.ref, ctx.source_id) is None
    if found is None:
        for value in entities.get("unit", []):  # the NLU's span, when the text itself gave nothing
            found = resolve.unit(cat, value, ctx.source_id)
            if found is not None:
                break
    return found


def unit_info(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    if not entities.get("unit"):
        frame = unit_frame(cat, text, ctx)
        refs = list(dict.fromkeys(u.ref for u in resolve.units(cat, text, frame) if u.ref and _clearly(cat, u)))
        if len(refs) > 1:  # "highfield units 26 and 27, credits for each?"
            return several_units(cat, refs, text, ctx, frame, page)
    found = unit_from(cat, text, entities, ctx)
    if found is None:
        if any(not h.weak and cat.source(h.source_id).qualification for h in resolve.qualifications(cat, text, entities)):
            return qualification.info(cat, text, entities, ctx, page)  # no unit in it: a question on the qualification
        return not_found()
    if found.ref is None and not found.options:
        return not_found(f"\"{found.mention}\" in any of my specifications")
    if found.ref is None:
        lead = (f"Which unit do you mean by \"{found.mention}\"?" if not found.weak
                else f"I couldn't find a unit called \"{found.mention}\" in my specifications. Did you mean one "
                     f"of these?")
        return ask_which_unit(found.options, cat, "ask_unit_info", lead)
    spec = primary_spec(cat, found.ref, unit_frame(cat, text, ctx) if not entities.get("unit") else ctx.source_id)
    text_out = describe_unit(cat, spec, ctx)
    counted = counts.unit_counts(spec, text)
    said = unit_verdict(cat, spec, text, ctx.source_id) or counted
    # "which NOS does 217 map to?": what the card doesn't say, from the unit's own text, before the card
    named = [h.source_id for h in resolve.qualifications(cat, text)] + [ctx.source_id or spec.source]
    holding = sorted(cat.unit(spec.ref).specs.values(), key=lambda s: named.index(s.source) if s.source in named
                     else len(named))
    extra = [] if counted else _beyond_card(cat, text, spec, holding, quiet=bool(said))
    sections = extra + [(text_out, cite.unit_source(cat, spec))]
    if said:  # "is it mandatory?": the plain answer first, then what says so
        sections = [(said, cite.unit_source(cat, spec))] + sections
    return Answer(paged(sections, intent="ask_unit_info", message=text, page=page))


def _beyond_card(cat, text: str, spec: UnitSpec, holding: list[UnitSpec], quiet: bool) -> list[tuple[str, str]]:
    """The unit's own passage for each ask of the message ("how long is the report, and can it be done on
    e-volve?"), each once; what was searched when none answers (unless `quiet`)."""
    found: list[tuple[str, str]] = []
    parts = clauses(text)
    for part in parts if len(parts) > 1 else []:
        found += [s for s in passages.unit_sections(cat, part, spec, holding, quiet=True) if s not in found]
    return found or passages.unit_sections(cat, text, spec, holding, quiet=quiet)


def several_units(cat, refs: list[str], text: str, ctx: LearnerContext, frame: str | None, page: int = 1) -> Answer:
    """The facts of every unit a question names ("units 15 and 16 - credit points and codes?"), one
    block each, in the order named; 'tell me about <unit>' gives one unit's whole description."""
    sections = []
    for ref in refs:
        spec = primary_spec(cat, ref, frame or ctx.source_id)
        sections.append((brief_unit(cat, spec, ctx), cite.unit_source(cat, spec)))
    return Answer(paged(sections, intent="ask_unit_info", message=text, page=page))


def brief_unit(cat, spec: UnitSpec, ctx: LearnerContext) -> str:
    """Code, title, number, group in the learner's qualification, level, credits, GLH and counts."""
    number = f"unit {spec.number}, " if spec.number else ""
    glh = f"{spec.glh} GLH" if spec.glh is not None else "GLH not stated"
    credit = "credit point" if spec.source == "svq4" else "credit"
    total = sum(len(o.criteria) for o in spec.outcomes)
    kind = "outcome" if spec.source != "svq4" else "element"
    rows = [f"*{spec.title}* ({spec.ref}, {number}{cite.name(cat, spec.source)}): level {spec.level}, "
            f"{plural(spec.credits, credit)}, {glh}; {plural(len(spec.outcomes), kind)}, "
            f"{plural(total, 'criterion', 'criteria')}"
            + (f", {plural(len(spec.knowledge), 'knowledge statement')}" if spec.knowledge else "")]
    if ctx.source_id:
        group = cat.group_of(ctx.source_id, spec.ref)
        if group is not None:
            rows.append(f"- In your {cite.title(cat, ctx.source_id)}: {group_text(group)}")
        elif cat.spec(spec.ref, ctx.source_id) is None:
            rows.append(f"- *Not in your {cite.title(cat, ctx.source_id)}.*")
    return "\n".join(rows)


def describe_unit(cat, spec: UnitSpec, ctx: LearnerContext) -> str:
    ref = spec.ref
    rows = [f"*{spec.title}* ({ref})"]
    if ctx.source_id:
        group = cat.group_of(ctx.source_id, ref)
        mine = cite.title(cat, ctx.source_id)
        if group is not None:
            number = f"Unit {spec.number}, " if spec.number and spec.source == ctx.source_id else ""
            rows.append(f"- In your {mine}: {number}{group_text(group)}")
        elif cat.spec(ref, ctx.source_id) is None:
            rows.append(f"- *Not in your {mine}.*")
    glh = f"{spec.glh} GLH" if spec.glh is not None else "GLH not stated"
    credit = "credit point" if spec.source == "svq4" else "credit"
    rows.append(f"- Level {spec.level}, {plural(spec.credits, credit)}, {glh} ({cite.name(cat, spec.source)})")
    if (stated := assessment_type(cat, ref)) is not None:
        rows.append(f"- Assessment type: {stated[0]} ({cite.name(cat, stated[1].source)})")
    total = sum(len(o.criteria) for o in spec.outcomes)  # counts said, not left to add up (issue 13, pattern 3)
    kind = "outcomes" if spec.source != "svq4" else "elements"
    rows.append(f"- {len(spec.outcomes)} {kind}, {plural(total, 'criterion', 'criteria')} in all:")
    for o in spec.outcomes:
        rows.append(f"  {o.number}. {o.text} ({plural(len(o.criteria), 'criterion', 'criteria')})")
    if spec.knowledge:
        rows.append(f"- {plural(len(spec.knowledge), 'knowledge statement')} "
                    f"({spec.knowledge[0].ref}-{spec.knowledge[-1].ref})")
    others = where_else(cat, ref, exclude=spec.source)
    if others:
        rows.append(f"- Also in: {'; '.join(others)}")
    rows += differences_text(cat, cat.differences_for(ref))
    return "\n".join(rows)


def differences_text(cat, differences: list[Difference]) -> list[str]:
    """Real differences between sources only: differences of case, quotes or hyphens change nothing a
    learner must do, so they stay in the catalogue (and the API) and are not said in the chat."""
    real = [d for d in differences if not d.minor]
    if not real:
        return []
    rows = ["- Where the sources differ:"]
    for d in real[:_MAX_DIFFERENCES]:
        what = _FIELD_NAMES.get(d.field, d.field) + (f" {d.item}" if d.item else "")
        values = "; ".join(f"{_short(v)} in the {cite.name(cat, s)}" for s, v in d.values.items())
        rows.append(f"  {what}: {values}")
    if len(real) > _MAX_DIFFERENCES:
        rows.append(f"  ...and {len(real) - _MAX_DIFFERENCES} more differences.")
    return rows


def _short(value: object) -> str:
    text = str(value)
    return f"\"{text}\"" if isinstance(value, str) else text


# --- listing units ------------------------------------------------------------------------


def list_units(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    named = [h.source_id for h in resolve.qualifications(cat, text, entities) if not h.weak]
    source_id = named[0] if named else ctx.source_id
    if source_id is None:
        return ask_to_choose(cat, "Which qualification's units? Choose your qualification first:")
    doc = cat.source(source_id)
    if doc.qualification is None:
        rows = [f"- {unit_label(u)}, level {u.level}, {u.credits} credits" for u in doc.units]
        body = f"The {doc.short_name} has {len(doc.units)} units (no groups: it is not a qualification):\n"
        return Answer(paged(body + "\n".join(rows), doc.short_name, "ask_list_units", text, page))
    groups = doc.qualification.rules.groups
    letter = (entities.get("group") or [None])[0] or group_letter(text)
    if letter:
        chosen = [g for g in groups if g.id == letter.upper()]
        if not chosen:
            ids = ", ".join(g.id for g in groups)
            return Answer([Reply(f"The {doc.qualification.title} has no group {letter.upper()}; its groups are {ids}.",
                                 source=cite.rules_source(cat, source_id),
                                 buttons=[Button(f"Group {g.id}", payload("ask_list_units", group=g.id,
                                                                          qualification=source_id)) for g in groups])])
    elif wants_mandatory(text) and not wants_optional(text):
        chosen = [g for g in groups if g.mandatory]
    elif wants_optional(text) and not wants_mandatory(text):
        chosen = [g for g in groups if not g.mandatory]
    else:
        chosen = groups
    done, planned = set(ctx.done), set(ctx.planned)
    level = unit_level(text)
    cn = doc.qualification.rules.credit_name
    rows = [f"Units at level {level}:"] if level is not None else []
    for g in chosen:
        specs = [cat.spec(ref, source_id) for ref in g.units]
        specs = [u for u in specs if level is None or u.level == level]
        if not specs:
            continue
        credit = "credit point" if cn != "credits" else "credit"
        rows.append(f"*{group_text(g, cn)}*: {g.label} ({plural(len(specs), 'unit')}, "
                    f"{plural(sum(u.credits for u in specs), credit)})")
        for spec in specs:
            mark = " - done" if spec.ref in done else (" - planned" if spec.ref in planned else "")
            rows.append(f"- {unit_label(spec)}, level {spec.level}, {plural(spec.credits, 'credit')}{mark}")
    if level is not None and len(rows) == 1:
        rows = [f"The {doc.qualification.title} has no units at level {level}."]
    return Answer(paged("\n".join(rows), cite.rules_source(cat, source_id), "ask_list_units", text, page,
                        entities={k: v for k, v in entities.items() if k in ("group", "qualification")}))
