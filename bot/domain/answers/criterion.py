"""Conversation 5: what a criterion means.

The criterion text is quoted exactly as the learner's specification prints it. Guidance and evidence
lists come from that specification where it has them; the SFJ, HABC and NCFE texts print none for most
units, so the C&G specification of the same unit is used and named. Command verbs are explained only
from the NCFE Level 1 glossary (the one glossary in the sources), and named as such.
"""
from __future__ import annotations

import re

from bot.domain.replies import Reply
from catalogue.model import Criterion, Outcome, UnitSpec

from . import cite, counts, resolve
from .context import Answer, LearnerContext
from .format import bullets, paged, unit_label
from .unit_info import ask_which_unit, not_found, primary_spec, unit_from, unit_info

def criterion_label(c: Criterion) -> str:
    return f"AC {c.ref}" if c.kind == "ac" else c.ref


def criteria_ranges(spec: UnitSpec) -> str:
    """'1.1-1.8 and 2.1-2.10' (SVQ: 'PC1-PC9 and K&U1-K&U18')."""
    runs = [(o.criteria[0].ref, o.criteria[-1].ref) for o in spec.outcomes if o.criteria]
    if spec.source == "svq4" or not spec.outcomes:
        pcs = [c for o in spec.outcomes for c in o.criteria]
        runs = ([(pcs[0].ref, pcs[-1].ref)] if pcs else []) + (
            [(spec.knowledge[0].ref, spec.knowledge[-1].ref)] if spec.knowledge else [])
    parts = [a if a == b else f"{a}-{b}" for a, b in runs]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def explain(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    given = entities.get("criterion", [])
    mention = resolve.parse_criterion(given[0]) if given else resolve.criterion(text)
    verbs = asked_verbs(cat, text)
    if verbs and (mention is None or not resolve.mentions_unit(resolve.strip_refs(text))):
        sections = [_verb_section(cat, word, ctx) for word in verbs]
        if mention is not None and mention.ref:
            sections.append((f"To see criterion {mention.ref} itself, tell me its unit, e.g. \"{mention.ref} of unit "
                             f"206\".", None))
        return Answer(paged(sections, intent="ask_criterion", message=text, page=page))
    outcome = resolve.outcome_number(text) if mention is None else None
    if mention is None and outcome is None and counts.asked(text) and unit_from(cat, text, entities, ctx) is not None:
        return unit_info(cat, text, entities, ctx, page)  # "how many K&U in <unit>?": a count on the unit's card
    if mention is None and outcome is None:
        return Answer([Reply("Which criterion? Give its number and the unit, e.g. \"what does 2.3 of unit 206 "
                             "mean?\" (SVQ: \"PC 5 of unit 10\" or \"K&U 8 of unit 10\").")])
    if mention is not None and mention.error:
        return Answer([Reply(f"I couldn't read that criterion: {mention.error}.")])
    what = f"criterion {mention.ref}" if mention is not None else f"outcome {outcome}"
    found = unit_from(cat, text, entities, ctx)
    if found is None or (found.ref is None and not found.options):
        example = mention.ref if mention is not None else f"LO{outcome}"
        return not_found(f"the unit for {what}") if found else Answer([Reply(
            f"Which unit is {what} in? For example: \"{example} of unit 206\".")])
    if found.ref is None:
        extra = {"criterion": mention.ref} if mention is not None else {"outcome": outcome}
        return ask_which_unit(found.options, cat, "ask_criterion", f"Which unit do you mean by \"{found.mention}\"?",
                              **extra)
    spec = primary_spec(cat, found.ref, ctx.source_id)
    if mention is None:
        return Answer(paged(outcome_sections(cat, spec, outcome), intent="ask_criterion", message=text, page=page,
                            entities={"unit": [spec.ref], "outcome": [outcome]}))
    c = spec.criterion(mention.ref)
    if c is None and mention.ref[:2] in ("PC", "K&"):  # performance criteria and K&U exist only in SVQ units
        svq = [d.id for d in cat.sources.values() if any(u.knowledge for u in d.units)]
        other = resolve.unit(cat, text, svq[0]) if svq else None
        if other is not None and other.ref and cat.spec(other.ref, svq[0]) is not None:
            spec = cat.spec(other.ref, svq[0])
            c = spec.criterion(mention.ref)
    if c is None:
        return Answer([Reply(f"{unit_label(spec)} has no criterion {mention.ref}. Its criteria are "
                             f"{criteria_ranges(spec)}.", source=cite.unit_source(cat, spec))])
    sections = criterion_sections(cat, spec, c, ctx)
    return Answer(paged(sections, intent="ask_criterion", message=text, page=page,
                        entities={"unit": [spec.ref], "criterion": [c.ref]}))


def criterion_sections(cat, spec: UnitSpec, c: Criterion, ctx: LearnerContext) -> list[tuple[str, str | None]]:
    outcome = spec.outcome_of(c.ref)
    number = f"Unit {spec.number} " if spec.number else ""
    # the criterion's own words, quoted on their own line (a literal "> " is not a quote in every channel)
    head = f"*{criterion_label(c)}* of {number}{spec.title} ({spec.ref}):\n\u201c{c.text}\u201d"
    if outcome is not None:
        word = "element" if outcome.kind == "element" else "outcome"
        head += f"\nIt belongs to {word} {outcome.number}: {outcome.text}"
    elif c.kind == "ku":
        head += "\nIt is a knowledge and understanding statement of the unit."
    if ctx.source_id and spec.source != ctx.source_id and cat.spec(spec.ref, ctx.source_id) is None:
        head += f"\n(This unit is not in your {cite.title(cat, ctx.source_id)}.)"
    sections: list[tuple[str, str | None]] = [(head, f"{cite.unit_part(cat, spec)}, {criterion_label(c)}, line {c.line}")]
    verb = _verb(cat, spec, c, ctx)
    if verb:
        sections.append(verb)
    sections += _evidence(cat, spec, c, outcome)
    sections += _guidance(cat, spec, c, outcome)  # the longest part goes last
    return sections


def outcome_sections(cat, spec: UnitSpec, number: str) -> list[tuple[str, str | None]]:
    """An outcome (an SVQ element) as its unit prints it: its words, its criteria, then what is listed as evidence
    for it and its guidance ("what about LO2?")."""
    o = next((x for x in spec.outcomes if x.number in (number, f"E{number}")), None)
    if o is None:
        have = ", ".join(x.number for x in spec.outcomes) or "none"
        return [(f"{unit_label(spec)} has no outcome {number}; its outcomes are {have}.", cite.unit_source(cat, spec))]
    word = "Element" if o.kind == "element" else "Outcome"
    unit = f"Unit {spec.number} " if spec.number else ""
    head = (f"*{word} {o.number}* of {unit}{spec.title} ({spec.ref}):\n\u201c{o.text}\u201d\n"
            f"Its {len(o.criteria)} criteria:\n" + bullets(f"{criterion_label(c)} {c.text}" for c in o.criteria))
    sections = [(head, f"{cite.unit_part(cat, spec)}, {word.lower()} {o.number}, line {o.line}")]
    sections += _evidence(cat, spec, None, o)
    notes = [f"*Guidance for {word.lower()} {o.number}*:\n{o.guidance}"] if o.guidance else []
    notes += [f"*Range*:\n{o.range}"] if o.range else []
    if notes:
        sections.append(("\n".join(notes), f"{cite.unit_part(cat, spec)}, {word.lower()} {o.number}, line {o.line}"))
    return sections


def _other_specs(cat, spec: UnitSpec) -> list[UnitSpec]:
    return [s for sid, s in cat.unit(spec.ref).specs.items() if sid != spec.source]


def _guidance(cat, spec: UnitSpec, c: Criterion, outcome: Outcome | None) -> list[tuple[str, str | None]]:
    """Guidance keyed to this criterion, else the outcome's guidance and range, from the first source having any."""
    for s in [spec, *_other_specs(cat, spec)]:
        other = s.criterion(c.ref)
        o = s.outcome_of(c.ref)
        whose = "" if s is spec else f" (from the {cite.name(cat, s.source)}, which has guidance for this unit)"
        if other is not None and other.guidance:
            return [(f"*Guidance for {c.ref}*{whose}:\n{other.guidance}", f"{cite.unit_part(cat, s)}, line {other.line}")]
        parts = []
        if o is not None and o.guidance:
            parts.append(f"*Guidance for outcome {o.number}*{whose}:\n{o.guidance}")
        if o is not None and o.range:
            parts.append(f"*Range*:\n{o.range}")
        if parts:
            return [("\n".join(parts), f"{cite.unit_part(cat, s)}, outcome {o.number}, line {o.line}")]
    return []


def _glossaries(cat) -> list:
    return [d for d in cat.sources.values() if d.glossary]


def _verb(cat, spec: UnitSpec, c: Criterion, ctx: LearnerContext) -> tuple[str, str | None] | None:
    """The criterion's command verb explained from the glossary (the NCFE Level 1 one is the only glossary)."""
    words = c.text.split()
    if not words or not _glossaries(cat):
        return None
    verb = words[0].strip(".,:;").capitalize()
    if not resolve.glossary(cat, verb) and c.kind != "ac":
        return None  # SVQ performance criteria and knowledge statements do not start with a command verb
    return _verb_section(cat, verb, ctx, spec.source)


def _verb_section(cat, verb: str, ctx: LearnerContext, spec_source: str | None = None) -> tuple[str, str | None]:
    terms = resolve.glossary(cat, verb)
    docs = _glossaries(cat)
    if not terms:
        doc = docs[0]
        return (f"The {doc.short_name} glossary of command verbs (the only glossary in my specifications) does not "
                f"define \"{verb}\".", f"{doc.short_name} glossary, {cite.lines(g.citation for g in doc.glossary)}")
    term = terms[0]
    glossary = cite.name(cat, term.citation.source)
    mine = ctx.source_id or spec_source
    borrowed = "" if mine == term.citation.source else (
        f" (from the {glossary} glossary: your specification does not define command verbs)"
        if ctx.source_id else f" (from the {glossary} glossary)")
    return (f"*{term.term}* means: \"{term.definition}\"{borrowed}",
            f"{glossary} glossary, line {term.citation.line}")


_VERB_ASKED = [re.compile(p, re.I) for p in (
    r"\bdoes\s+['\"‘“]?([a-z][a-z ()]{1,30}?)['\"’”]?\s+mean\b",
    r"\bmeant?\s+by\s+['\"‘“]?([a-z][a-z ()]{1,30}?)['\"’”]?(?=\s+in\b|\s+(?:for|on)\b|[?.!]|$)",
    r"\bbetween\s+['\"‘“]?([a-z]+)['\"’”]?\s+and\s+['\"‘“]?([a-z]+)",
    r"\bmeaning\s+of\s+['\"‘“]?([a-z][a-z ()]{1,30}?)['\"’”]?(?=[?.!]|$)",
    # "command verb outline - meaning?", "the word 'state' - what does it mean", "outline: definition?"
    r"\b(?:command\s+)?(?:verb|word)\s+['\"‘“]?([a-z]+)['\"’”]?(?=.*\b(?:mean|meaning|definition)\b)",
    r"\b([a-z]+)['\"’”]?\s*[-:–]\s*(?:its\s+|the\s+)?(?:meaning|definition)\b",
)]
_NOT_VERBS = {"it", "this", "that", "the", "criterion", "criteria", "ac", "pc", "unit", "they", "he", "she"}


def asked_verbs(cat, text: str) -> list[str]:
    """Command verbs the learner asks the meaning of ("what does outline mean", "difference between state and
    list"), as typed; only single words or glossary phrases, never a criterion reference."""
    found: list[str] = []
    for pattern in _VERB_ASKED:
        for m in pattern.finditer(text):
            for word in m.groups():
                word = (word or "").strip().lower()
                if not word or word in _NOT_VERBS or any(ch.isdigit() for ch in word):
                    continue
                if " " in word and not resolve.glossary(cat, word):
                    continue  # a phrase that is no glossary term ("the criteria") is not a verb
                if word not in found:
                    found.append(word)
    return found


def _evidence(cat, spec: UnitSpec, c: Criterion | None, outcome: Outcome | None) -> list[tuple[str, str | None]]:
    if outcome is None:
        return []
    for s in [spec, *_other_specs(cat, spec)]:
        o = next((x for x in s.outcomes if x.number == outcome.number), None)
        if o is not None and o.evidence:
            whose = "" if s is spec else (f" The {cite.name(cat, spec.source)} lists no evidence per outcome; "
                                          f"the {cite.name(cat, s.source)} lists for the same unit:")
            text = (f"*Evidence listed for outcome {o.number}*:{whose}\n" + bullets(o.evidence))
            if o.notes:
                text += "\n" + "\n".join(o.notes)
            return [(text, f"{cite.unit_part(cat, s)}, outcome {o.number}, line {o.evidence_line or o.line}")]
    word = "element" if outcome.kind == "element" else "outcome"
    return [(f"None of my specifications lists evidence for {word} {outcome.number} of this unit; the "
             f"{cite.name(cat, spec.source)} names evidence types for the whole qualification (ask me \"what is "
             f"a professional discussion?\").", cite.name(cat, spec.source))]
