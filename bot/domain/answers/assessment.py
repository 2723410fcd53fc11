"""Conversation 7: assessment rules (simulation, expert witnesses, countersigning, evidence currency,
language, credit transfer, appeals, RPL ...), quoted from the specification's facts with citations.

A specification that says nothing on a topic gets a reply saying so, naming what was checked and
pointing to any assessment strategy it defers to; other specifications are offered, never mixed in.
"""
from __future__ import annotations

import re

from bot.domain.replies import Button, Reply

from . import cite, passages, resolve
from .context import Answer, LearnerContext
from .cues import RULE_TOPICS, topics_in
from .format import paged, payload, upper_first
from .evidence import NAMES, simulation_sections, verdict
from .followup import clear_unit
from .unit_info import primary_spec, unit_frame, unit_from

TOPIC_NAMES = {
    "simulation": "simulation and realistic working environments", "expert_witness": "expert witnesses",
    "witness_testimony": "witness testimony", "professional_discussion": "professional discussion",
    "observation": "observation", "countersigning": "countersigning of trainee assessors' decisions",
    "assessor_requirements": "who can assess", "iqa": "internal quality assurance",
    "evidence_currency": "how current evidence must be", "language": "the language of assessment",
    "credit_transfer": "credit transfer", "exemptions": "exemptions", "rpl": "recognition of prior learning (RPL)",
    "appeals": "appeals", "reasonable_adjustments": "reasonable adjustments",
    "resubmission": "resubmission", "identification": "identification of learners",
    "centre_requirements": "centre requirements", "assessment_method": "how it is assessed",
    "age": "age", "entry": "entry requirements", "progression": "progression", "grading": "grading",
    "status": "status",
}
ASK = ["simulation", "expert_witness", "countersigning", "evidence_currency", "language", "credit_transfer",
       "appeals", "rpl"]
_MAX_FACTS = 6


def rule(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    topics = [t for t in entities.get("topic", []) if t in TOPIC_NAMES] or topics_in(text, RULE_TOPICS)
    if not topics:
        unit_ref = clear_unit(cat, text, unit_frame(cat, text, ctx))
        if unit_ref is not None:  # "c&g 322 which assessment strategy applies": that unit's own text first
            spec = primary_spec(cat, unit_ref, unit_frame(cat, text, ctx))
            found = passages.unit_sections(cat, text, spec, [spec, *[s for s in cat.unit(unit_ref).specs.values()
                                                                      if s is not spec]], quiet=True)
            if found:
                return Answer(paged(found, intent="ask_assessment_rule", message=text, page=page))
        found = passages.answer_sections(cat, text, passages.sources_for(cat, text, entities, ctx.source_id))
        if found:  # a rule no topic names ("which assessment strategy applies to 322?"): the text itself
            return Answer(paged(found, intent="ask_assessment_rule", message=text, page=page))
        return Answer([Reply("Which assessment rule do you want to know about?",
                             buttons=[Button(upper_first(TOPIC_NAMES[t]), payload("ask_assessment_rule", topic=t))
                                      for t in ASK])])
    if "all" in entities.get("qualification", []):
        sources = [d.id for d in cat.qualifications()]
    else:
        named = [h.source_id for h in resolve.qualifications(cat, text, entities)
                 if not h.weak and cat.source(h.source_id).qualification is not None]
        sources = named[:1] or ([ctx.source_id] if ctx.source_id else [d.id for d in cat.qualifications()])
    asks_about_unit = bool(entities.get("unit")) or resolve.mentions_unit(text)
    unit = unit_from(cat, text, {k: v for k, v in entities.items() if k == "unit"}, ctx) if asks_about_unit else None
    unit_ref = unit.ref if unit is not None else clear_unit(cat, text, sources[0] if len(sources) == 1 else None)
    spec = next((cat.spec(unit_ref, s) for s in sources if unit_ref and cat.spec(unit_ref, s)), None)
    if topics[0] == "simulation" and spec is not None and spec.simulation in ("allowed", "not allowed"):
        # "can <unit> be simulated?": the specification decides it unit by unit, so the verdict is the unit's
        return Answer(paged(simulation_sections(cat, spec), intent="ask_assessment_rule", message=text, page=page))
    sections = []
    for topic in topics[:2]:
        silent = []
        for sid in sources:
            found = _topic_sections(cat, sid, topic, unit_ref, detail_if_silent=len(sources) == 1, text=text)
            if found:
                sections += found
            else:
                silent.append(sid)
        if silent:
            names = ", ".join(cite.title(cat, sid) for sid in silent)
            sections.append((f"Nothing on {TOPIC_NAMES[topic]} in: {names} (I checked every statement I hold "
                             f"from them).", "; ".join(cite.name(cat, sid) for sid in silent)))
    buttons = None
    if len(sources) == 1:
        buttons = [Button("What do the other specifications say?",
                          payload("ask_assessment_rule", topic=topics[0], qualification="all"))]
    return Answer(paged(sections, intent="ask_assessment_rule", message=text, page=page, buttons=buttons,
                        entities={"topic": topics[:2], "qualification": entities.get("qualification", [])}))


def _topic_sections(cat, source_id: str, topic: str, unit_ref: str | None,
                    detail_if_silent: bool, text: str = "") -> list[tuple[str, str]]:
    """What one specification says on a topic; [] if it is silent and detail_if_silent is False."""
    whose = cite.title(cat, source_id)
    facts = cat.facts(source_id, topic)
    general = [f for f in facts if not f.units]
    specific = [f for f in facts if f.units and (unit_ref is None or unit_ref in f.units)]
    spec = cat.spec(unit_ref, source_id) if unit_ref else None
    if not general and not specific:
        return [_silent(cat, source_id, topic)] if detail_if_silent else []
    header = f"*{upper_first(TOPIC_NAMES[topic])}* in the {whose}:"
    if topic in NAMES and unit_ref is None:  # an evidence type: the verdict first (issue 13, pattern 7)
        header = verdict(whose, NAMES[topic], [f.text for f in general]) + "\n" + header
    elif (barred := _barred(text, general)) is not None:  # "can my assessor also be the IQA?"
        header = f"*No*, not as stated: the {whose} says \"{barred[0]}\" (line {barred[1]}).\n" + header
    if spec is not None and topic == "simulation" and spec.simulation:
        header += f"\nFor {spec.title} ({spec.ref}) simulation is *{spec.simulation}* in this specification."
    items = [(f.text, f.citation) for f in general[:_MAX_FACTS]]
    items += [(f"For {_unit_names(cat, source_id, f.units)}: {f.text}", f.citation) for f in specific[:_MAX_FACTS]]
    hidden = len(general) + len(specific) - len(items)
    tail = [f"...and {hidden} more statements on this."] if hidden > 0 else []
    return cite.fact_sections(cat, header, items, tail)


_MAY_I = re.compile(r"^\s*(?:\S+\s*[:-]\s*)?(?:can|could|may|is it ok(?:ay)? (?:if|for|to)|am i allowed to|are we allowed to)\b",
                    re.I)
_BARS = re.compile(r"\b(?:must not|mustn't|cannot|can't|may not|not (?:be )?(?:allowed|permitted))\b", re.I)


def _barred(text: str, facts) -> tuple[str, int] | None:
    """For a 'can I/can my X ...?' question: the sentence of a statement that forbids what it asks (it shares
    a word with the question, compared by their first five letters), with its line; else None."""
    if not _MAY_I.search(text):
        return None
    asked = {w[:5] for w in passages.query_terms(text) if len(w) > 2}
    for f in facts:
        for sentence in re.split(r"(?<=[.;])\s+", f.text):
            if _BARS.search(sentence) and asked & {w[:5] for w in passages.terms(sentence)}:
                return sentence.strip(), f.citation.line
    return None


def _silent(cat, source_id: str, topic: str) -> tuple[str, str]:
    rows = [f"The {cite.title(cat, source_id)} says nothing about {TOPIC_NAMES[topic]}. I checked every statement "
            f"on assessment, quality assurance and the qualification that I hold from it."]
    strategy = [f for f in cat.facts(source_id, "assessment_method") if "strategy" in f.text.lower()][:1]
    if strategy:
        rows.append(f"It does say: \"{strategy[0].text}\" (line {strategy[0].citation.line}); that strategy is not "
                    f"part of the specification.")
        return "\n".join(rows), cite.cite(cat, [strategy[0].citation])
    return "\n".join(rows), cite.name(cat, source_id)


def _unit_names(cat, source_id: str, refs: list[str]) -> str:
    names = []
    for ref in refs[:3]:
        spec = cat.spec(ref, source_id)
        names.append(f"{spec.title} ({ref})" if spec else ref)
    more = f" and {len(refs) - 3} more units" if len(refs) > 3 else ""
    return ", ".join(names) + more
