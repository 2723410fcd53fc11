"""Conversation 6: evidence types, and whether a kind of evidence is listed for a unit's outcome.

Each specification describes evidence differently: SFJ and the SVQ in prose, HABC only as method codes
on a blank form, NCFE as a list, C&G as a list per outcome. Where a specification says nothing, the
reply says so and names what was checked; nothing is carried over from one specification to another
without naming where it came from.
"""
from __future__ import annotations

import re

from bot.domain.replies import Button, Reply
from catalogue.model import Citation, Fact, UnitSpec

from . import cite, passages, resolve
from .context import Answer, LearnerContext
from .format import bullets, join_words, paged, payload, plural, unit_label, upper_first
from .followup import clear_unit
from .unit_info import ask_which_unit, brief_unit, not_found, primary_spec, unit_from
from .verdict import assessment_type

NAMES = {
    "professional_discussion": "professional discussion", "expert_witness": "expert witness testimony",
    "witness_testimony": "witness testimony", "reflective_account": "reflective account",
    "observation": "observation", "questioning": "questioning", "product": "product evidence",
    "report": "a report", "simulation": "simulation", "rpl": "recognition of prior learning (RPL)",
    "other": "other evidence",
}
ASK_BUTTONS = ["professional_discussion", "expert_witness", "witness_testimony", "reflective_account", "observation"]
# Unit notes that set conditions on evidence ("observed with at least three customers", "500 words")
_UNIT_NOTE_TOPICS = ("observation", "witness_testimony", "expert_witness", "professional_discussion", "simulation",
                     "centre_requirements")


def _keys(cat, text: str, entities: dict[str, list[str]]) -> list[str]:
    keys = []
    for value in entities.get("evidence_type", []):
        if value in NAMES:
            keys.append(value)
        else:
            keys += [e.key for e in resolve.evidence_types(cat, value)]
    keys += [e.key for e in resolve.evidence_types(cat, text)]
    return list(dict.fromkeys(keys))


def _type_buttons(intent: str, **extra: str) -> list[Button]:
    return [Button(upper_first(NAMES[k]), payload(intent, evidence_type=k, **extra)) for k in ASK_BUTTONS]


def _ask_type(intent: str, lead: str, **extra: str) -> Answer:
    return Answer([Reply(lead, buttons=_type_buttons(intent, **extra))])


def _kinds(cat, source_id: str) -> tuple[str, str]:
    """The kinds of evidence a specification names, as it names them."""
    doc = cat.source(source_id)
    if not doc.evidence_types:
        return (f"The {cite.title(cat, source_id)} names no kinds of evidence.", cite.name(cat, source_id))
    names = list(dict.fromkeys(e.name for e in doc.evidence_types))
    return (f"The {cite.title(cat, source_id)} names these kinds of evidence: {join_words(names)}. Ask me about "
            f"any of them.", cite.cite(cat, [e.citation for e in doc.evidence_types]))


def _sources_for(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext) -> list[str]:
    if "all" in entities.get("qualification", []):
        return list(cat.sources)
    named = [h.source_id for h in resolve.qualifications(cat, text, entities) if not h.weak]
    if named:
        return named[:1]
    return [ctx.source_id] if ctx.source_id else list(cat.sources)


# Words by which a specification limits an evidence type ("simulation is not allowed with the exception of
# the Sales units", "only in exceptional circumstances") or sets a condition on it ("must ensure ...").
_LIMITS = re.compile(r"\b(?:not (?:be )?(?:allowed|permitted|acceptable)|only|exception\w*|must not|cannot)\b", re.I)
_CONDITIONS = re.compile(r"\b(?:must|should|provided|as long as|where|if)\b", re.I)


def verdict(whose: str, name: str, statements: list[str]) -> str:
    """The plain answer that opens an evidence reply, read from the statements that follow it."""
    if any(_LIMITS.search(t) for t in statements):
        return f"*Only in some cases*: the {whose} limits {name}; its conditions are below."
    if any(_CONDITIONS.search(t) for t in statements):
        return f"*Yes*, {name} can be used in the {whose}, on the conditions below."
    return f"*Yes*, {name} is allowed: the {whose} names it as evidence."


def describe(cat, source_id: str, key: str, detail_if_silent: bool = True) -> list[tuple[str, str]]:
    """What one specification says about one evidence type, as reply sections.
    [] when it says nothing and detail_if_silent is False (the caller lists the silent ones together)."""
    doc = cat.source(source_id)
    whose = cite.title(cat, source_id)
    name = NAMES[key]
    entries = [e for e in doc.evidence_types if e.key == key]
    bare_lines = {e.citation.line for e in entries if not e.description}
    said: dict[str, Citation] = {}
    for e in entries:
        if e.description:
            said.setdefault(e.description, e.citation)
    for f in cat.facts(source_id, key):
        if not f.units and f.citation.line not in bare_lines:
            said.setdefault(f.text, f.citation)
    unit_notes = [f for f in cat.facts(source_id, key) if f.units]
    listed = [o for u in doc.units for o in u.outcomes if any(_item_key(cat, i) == key for i in o.evidence)]
    with_lists = [o for u in doc.units for o in u.outcomes if o.evidence]
    if not said and not listed and not unit_notes:
        if entries:
            names = join_words([e.name for e in entries], "and")
            section = entries[0].citation.section or "the specification"
            what = "the method code" if "\u2013" in names else "the entry"  # HABC's key: "D – Discussion"
            return [(f"*Yes, it is listed*, but not described: the {whose} does not describe {name}; its only mention is {what} {names} in its list of "
                     f"evidence types ({section}).", cite.cite(cat, [e.citation for e in entries]))]
        if not detail_if_silent:
            return []
        checked = join_words([e.name for e in doc.evidence_types]) or "none"
        return [(f"*Not stated*: the {whose} says nothing about {name}. I checked its evidence types ({checked}) and its "
                 f"statements on assessment.", cite.name(cat, source_id))]
    header = verdict(whose, name, list(said)) + f"\n*{upper_first(name)}* in the {whose}:"
    names = sorted({e.name for e in entries if e.name.lower() != name})
    if names:
        header += "\nIt calls it: " + join_words([f'"{n}"' for n in names]) + "."
    elif entries and not said:
        header += f"\nIt is in its list of evidence types ({cite.lines(e.citation for e in entries)})."
    tail = []
    if with_lists:
        example = f" (e.g. line {listed[0].evidence_line})" if listed else ""
        tail.append(f"- It lists {name} as evidence for {len(listed)} of the {len(with_lists)} outcomes that have "
                    f"an evidence list{example}.")
    if unit_notes:
        units = plural(len({r for f in unit_notes for r in f.units}), "unit has", "units have")
        tail.append(f"- {units} notes about it (ask me about a unit to see them).")
    sections = cite.fact_sections(cat, header, list(said.items()), tail)
    if not said:  # only the list entry (and unit notes): cite the entry
        sections[0] = (sections[0][0], cite.cite(cat, [e.citation for e in entries]) if entries
                       else cite.name(cat, source_id))
    return sections


def _item_key(cat, item: str) -> str | None:
    """The evidence type of an evidence-list item ("expert witness testimony" -> expert_witness), cached."""
    memo = cat.cache.setdefault("answers.evidence_item_keys", {})
    if item not in memo:
        found = resolve.evidence_types(cat, item)
        memo[item] = found[0].key if found else None
    return memo[item]


def evidence_type(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    keys = _keys(cat, text, entities)
    sources = _sources_for(cat, text, entities, ctx)
    if keys and not entities.get("unit") and clear_unit(cat, resolve.without_evidence(text), sources[0]) is not None:
        return allowed(cat, text, entities, ctx, page)  # "can simulation be used for <unit>?": that unit's answer
    if not keys:
        if len(sources) == len(cat.sources) and not entities.get("qualification"):
            return _ask_type("ask_evidence_type", "Which kind of evidence do you want to know about?")
        sections = [_kinds(cat, sid) for sid in sources]
        return Answer(paged(sections, intent="ask_evidence_type", message=text, page=page,
                            buttons=_type_buttons("ask_evidence_type")))
    sections = []
    for key in keys[:2]:
        silent = []
        for sid in sources:
            found = describe(cat, sid, key, detail_if_silent=len(sources) == 1)
            sections += found
            if not found:
                silent.append(sid)
        if silent:
            sections.append((f"Nothing on {NAMES[key]} in: {', '.join(cite.title(cat, s) for s in silent)} (I "
                             f"checked their evidence types and statements on assessment).",
                             "; ".join(cite.name(cat, s) for s in silent)))
    buttons = None
    if len(sources) == 1 and len(cat.sources) > 1:
        buttons = [Button("What do the other specifications say?",
                          payload("ask_evidence_type", evidence_type=keys[0], qualification="all"))]
    return Answer(paged(sections, intent="ask_evidence_type", message=text, page=page, buttons=buttons,
                        entities={"evidence_type": keys[:2], "qualification": entities.get("qualification", [])}))


# --- can I use X for unit Y (outcome Z)? ---------------------------------------------------------


def allowed(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    keys = _keys(cat, text, entities)
    extra = {k: v[0] for k, v in entities.items() if k in ("outcome", "criterion") and v}
    key = keys[0] if keys else None
    found = unit_from(cat, resolve.without_evidence(text), entities, ctx)
    if found is None and key is None:
        found_text = passages.answer_sections(cat, text, passages.sources_for(cat, text, entities, ctx.source_id),
                                              evidence=True)
        if found_text:  # evidence no type names ("worksheets", "peer reports"): what the specification says
            return Answer(paged(found_text, intent="ask_evidence_allowed", message=text, page=page))
        return _ask_type("ask_evidence_allowed", "Which kind of evidence do you want to use?", **extra)
    if found is None:
        ask = Reply(f"For which unit? For example: \"can I use {NAMES[key]} for unit 206 outcome 1?\"")
        general = describe(cat, ctx.source_id, key) if ctx.source_id else []  # meanwhile, the general rule
        return Answer([ask, *[Reply(t, source=src) for t, src in general]])
    if found.ref is None and not found.options:
        return not_found()
    if found.ref is None:
        if key:
            extra["evidence_type"] = key
        return ask_which_unit(found.options, cat, "ask_evidence_allowed", f"Which unit do you mean by "
                              f"\"{found.mention}\"?", **extra)
    spec = primary_spec(cat, found.ref, ctx.source_id)
    number = _outcome(cat, spec, text, entities)
    if isinstance(number, Answer):
        return number
    if key == "simulation" and spec.simulation in ("allowed", "not allowed"):
        return Answer(paged(simulation_sections(cat, spec), intent="ask_evidence_allowed", message=text, page=page))
    listing = _listing_spec(cat, spec)
    sections = [_listing(cat, spec, listing, key, number)]
    notes = _unit_notes(cat, spec.ref)
    if notes:
        sections.append(notes)
    if key and listing is not None and listing is not spec:
        sections += describe(cat, spec.source, key)  # what the learner's own specification says in general
    if _CARD_FACTS.search(resolve.without_qualification(text)):  # "cg 222: GLH and how many observations?"
        sections.append((brief_unit(cat, spec, ctx), cite.unit_source(cat, spec)))
    return Answer(paged(sections, intent="ask_evidence_allowed", message=text, page=page,
                        entities={"unit": [spec.ref], "evidence_type": [key] if key else [],
                                  **{k: [v] for k, v in extra.items()}}))


def simulation_sections(cat, spec: UnitSpec) -> list[tuple[str, str]]:
    """The verdict for simulating one unit, where its specification decides it unit by unit (SFJ: not
    allowed under the Skills CFA strategy, except the Sales units), then the statements that say so."""
    whose = cite.title(cat, spec.source)
    label = unit_label(spec)
    facts = cat.facts(spec.source, "simulation")
    own = [f for f in facts if spec.ref in f.units]
    if spec.simulation == "allowed":
        lead = f"*Yes*, simulation can be used for {label} in the {whose}, on the conditions below."
        said = own
    else:
        lead = f"*No*, simulation is not allowed for {label} in the {whose}; what says so:"
        said = own or [f for f in facts if not f.units and "not allowed" in f.text]
    return cite.fact_sections(cat, lead, [(f.text, f.citation) for f in said[:3]])


_CARD_FACTS = re.compile(r"\b(?:glh|guided\s+learning|credits?|credit\s+points?|level)\b", re.I)


def _outcome(cat, spec: UnitSpec, text: str, entities: dict[str, list[str]]) -> str | None | Answer:
    number = (entities.get("outcome") or [None])[0] or resolve.outcome_number(text)
    given = entities.get("criterion", [])
    mention = resolve.parse_criterion(given[0]) if given else resolve.criterion(text)
    if number is None and mention is not None and mention.ref:
        o = spec.outcome_of(mention.ref)
        if o is None:
            return Answer([Reply(f"{unit_label(spec)} has no criterion {mention.ref}.",
                                 source=cite.unit_source(cat, spec))])
        number = o.number
    if number is not None and not any(o.number in (number, f"E{number}") for o in spec.outcomes):
        have = join_words([o.number for o in spec.outcomes])
        return Answer([Reply(f"{unit_label(spec)} has no outcome {number}; its outcomes are {have}.",
                             source=cite.unit_source(cat, spec))])
    return number


def _listing_spec(cat, spec: UnitSpec) -> UnitSpec | None:
    """The learner's spec of the unit if it lists evidence per outcome, else another source's that does."""
    others = [x for x in cat.unit(spec.ref).specs.values() if x is not spec]
    return next((s for s in [spec, *others] if any(o.evidence for o in s.outcomes)), None)


def _listing(cat, spec: UnitSpec, listing: UnitSpec | None, key: str | None, number: str | None) -> tuple[str, str]:
    """Whether `key` is listed for the outcome(s); with no key, what is listed."""
    label = f"Unit {spec.number} {spec.title}" if spec.number else f"{spec.title} ({spec.ref})"
    if listing is None and key is None:
        return (f"None of my specifications lists evidence per outcome for {label}. "
                f"{_kinds(cat, spec.source)[0]}", _kinds(cat, spec.source)[1])
    stated = assessment_type(cat, spec.ref)
    if listing is None and stated is not None and "portfolio" not in stated[0].lower():
        # C&G 228: "Short Answer Questions (C&G) Assignment or Skills CFA on-line ERR workbook", no portfolio
        return (f"*No*, not as stated: {label} is assessed by \"{stated[0]}\" (its assessment type in the "
                f"{cite.name(cat, stated[1].source)}), not a portfolio of {NAMES[key]} or other evidence.",
                cite.unit_source(cat, stated[1]))
    if listing is None:
        general = describe(cat, spec.source, key)
        text, source = general[0]
        return (f"*Not stated* for this unit: none of my specifications lists evidence per outcome for {label}, so I "
                f"can't say whether it is "
                f"listed for this unit. What the {cite.name(cat, spec.source)} says in general:\n{text}", source)
    intro = ""
    if listing is not spec:
        intro = (f"The {cite.title(cat, spec.source)} lists no evidence per outcome for {label}. The "
                 f"{cite.name(cat, listing.source)} lists evidence for the same unit (unit {listing.number}):\n")
    outcomes = [o for o in listing.outcomes if number is None or o.number == number]
    if key is not None:
        intro = _outcome_verdict(cat, NAMES[key], key, outcomes) + "\n" + intro
    rows = []
    for o in outcomes:
        if not o.evidence:
            rows.append(f"Outcome {o.number} ({o.text}): no evidence list is given.")
            continue
        if key is None:
            rows.append(f"Outcome {o.number} ({o.text}): {', '.join(o.evidence)}.")
            continue
        yes = any(_item_key(cat, i) == key for i in o.evidence)
        verdict = "*Yes*, listed" if yes else "*Not listed*"
        rows.append(f"Outcome {o.number} ({o.text}): {verdict}. It lists: {', '.join(o.evidence)}.")
    citations = [Citation(listing.source, o.evidence_line or o.line) for o in outcomes]
    return intro + "\n".join(rows), cite.cite(cat, citations)


def _outcome_verdict(cat, name: str, key: str, outcomes) -> str:
    """Yes / no / for some outcomes only, before the outcome-by-outcome detail."""
    listed = [o.number for o in outcomes if o.evidence and any(_item_key(cat, i) == key for i in o.evidence)]
    with_list = [o.number for o in outcomes if o.evidence]
    if not with_list:
        return f"*Not stated*: no evidence list is given for {'this outcome' if len(outcomes) == 1 else 'these outcomes'}."
    if not listed:
        return f"*No*, {name} is not listed for {_outcomes(with_list)}."
    if len(listed) == len(with_list):
        return f"*Yes*, {name} is listed for {_outcomes(listed)}."
    others = [n for n in with_list if n not in listed]
    return f"*Yes, for {_outcomes(listed)}* only; it is not listed for {_outcomes(others)}."


def _outcomes(numbers: list[str]) -> str:
    return ("outcome " if len(numbers) == 1 else "outcomes ") + join_words(numbers)


def _unit_notes(cat, ref: str) -> tuple[str, str] | None:
    """Conditions the sources set on evidence for this unit (observation counts, report length ...)."""
    notes: dict[str, Fact] = {}
    for source_id in cat.unit(ref).specs:
        for f in cat.facts(source_id):
            if ref in f.units and f.topic in _UNIT_NOTE_TOPICS and not f.text.startswith("Evidence may be"):
                notes.setdefault(f.text, f)
    if not notes:
        return None
    text = "*Special requirements for this unit:*\n" + bullets(notes)
    return text, cite.cite(cat, [f.citation for f in notes.values()])
