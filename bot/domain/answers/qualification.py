"""Conversations 1 and 8: choosing a qualification, and facts about it.

The C&G text is a unit pool (no title, number or rules of combination), so it can never be chosen.
Fields of `Qualification` carry no line; facts with the same topic do, and are cited where they exist.
"""
from __future__ import annotations

import re

from bot.domain.replies import Button, Reply

from . import cite, passages, resolve
from .context import Answer, LearnerContext
from .cues import QUAL_ASPECTS, topics_in
from .format import paged, payload
from .structure import structure

_ENROL = ("enrol", "register", "registration", "sign up", "join", "start", "still running", "still available",
          "still open", "still valid", "withdrawn", "discontinued", "closed", "can i still")


def qualification_buttons(cat, ids: list[str] | None = None) -> list[Button]:
    ids = ids or [d.id for d in cat.qualifications()]
    return [Button(cite.title(cat, i), payload("choose_qualification", qualification=i)) for i in ids]


def ask_to_choose(cat, lead: str = "Which qualification are you working towards?") -> Answer:
    return Answer([Reply(lead, buttons=qualification_buttons(cat))])


def _pool_reply(cat, pool_id: str) -> Reply:
    doc = cat.source(pool_id)
    shared = sorted({s for u in doc.units for s in cat.unit(u.ref).specs if s != pool_id})
    names = ", ".join(cite.title(cat, s) for s in shared)
    return Reply(
        f"The {doc.short_name} is not a qualification: it is a set of {len(doc.units)} unit specifications with "
        f"no qualification title, number or rules of combination, so I can't track your progress against it. "
        f"Its units also appear in: {names}. Which qualification are you doing?",
        buttons=qualification_buttons(cat), source=doc.short_name)


_WHICH = re.compile(r"\b(?:which|what)\b.*\b(?:am i on|have i got|have you got me|am i doing|is mine|is set|got set|"
                    r"down for|registered on)\b", re.I)


def choose(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext) -> Answer:
    if _WHICH.search(text) and not entities.get("qualification"):
        if ctx.source_id:
            return Answer([Reply(f"You're set up for the *{cite.title(cat, ctx.source_id)}*. To change it, tell me "
                                 f"the other one.", source=cite.name(cat, ctx.source_id),
                                 buttons=qualification_buttons(cat))])
        return ask_to_choose(cat, "You haven't chosen a qualification yet. Which one are you doing?")
    found = resolve.qualifications(cat, text, entities)
    quals = [h for h in found if cat.source(h.source_id).qualification is not None]
    pools = [h for h in found if cat.source(h.source_id).qualification is None]
    if not quals and pools:
        return Answer([_pool_reply(cat, pools[0].source_id)])
    if not quals:
        return ask_to_choose(cat, "I have the specifications of these qualifications. Which one are you doing?")
    if len(quals) > 1 or quals[0].weak:
        ids = [h.source_id for h in quals]
        why = f" ({quals[0].reason})" if len(quals) == 1 and quals[0].reason else ""
        lead = ("Which of these did you mean?" if len(ids) > 1
                else f"Did you mean the {cite.title(cat, ids[0])}{why}?")
        buttons = qualification_buttons(cat, ids)
        choices = [b.payload for b in buttons]
        if len(ids) < len(cat.qualifications()):
            buttons.append(Button("Another one", payload("choose_qualification", qualification="all")))
        return Answer([Reply(lead, buttons=buttons)], pending_choice=choices)
    return _confirm(cat, quals[0].source_id, ctx)


def _confirm(cat, source_id: str, ctx: LearnerContext) -> Answer:
    q = cat.source(source_id).qualification
    number = f" ({q.number})" if q.number else ""
    rules = q.rules
    size = f"{rules.min_credits} {rules.credit_name}" if rules and rules.min_credits else f"{q.credits} credits"
    already = ctx.source_id == source_id
    lead = "You're already set up for" if already else "Got it: you're doing the"
    text = f"{lead} *{q.title}*{number}, {size}. I'll answer your questions for this qualification."
    replies = [Reply(text, source=cite.name(cat, source_id),
                     buttons=[Button("What units are mandatory?", payload("ask_list_units", text="mandatory units")),
                              Button("What do I still need?", payload("ask_remaining"))])]
    if q.status == "withdrawn":
        replies += [Reply(text, source=source) for text, source in status_sections(cat, source_id)]
    return Answer(replies, set_source=None if already else source_id)


# --- qualification facts (conversation 8) ---------------------------------------------------

Section = tuple[str, str]


def info(cat, text: str, entities: dict[str, list[str]], ctx: LearnerContext, page: int = 1) -> Answer:
    named = [h.source_id for h in resolve.qualifications(cat, text, entities)
             if cat.source(h.source_id).qualification is not None and not (h.weak and ctx.source_id)]
    ids = named or ([ctx.source_id] if ctx.source_id else [d.id for d in cat.qualifications()])
    aspects = topics_in(text, QUAL_ASPECTS)
    if any(w in text.lower() for w in _ENROL):
        aspects = ["status"] + [a for a in aspects if a not in ("status", "dates")]
    if "status" in aspects and "dates" in aspects:
        aspects.remove("dates")
    if named and "level" in aspects and len(aspects) > 1:
        aspects.remove("level")  # "the level 1 certificate" names the qualification, it doesn't ask its level
    if named and aspects == ["level"] and "level" not in resolve.without_qualification(text).lower():
        aspects = []  # "level 3" only named it: "what's the tutor ratio for habc level 3?"
    if len(ids) == 1 and not aspects:
        if passages.query_terms(text):  # something the facts above have no field for: the text itself
            found = passages.answer_sections(cat, text, ids)
            if found:
                return Answer(paged(found, intent="ask_qualification_info", message=text, page=page))
        sections = [(_overview(cat, ids[0]), cite.name(cat, ids[0])), structure(cat, ids[0])]
        return Answer(paged(sections, intent="ask_qualification_info", message=text, page=page))
    aspects = aspects or ["credits"]
    sections = [section for sid in ids for aspect in aspects[:2] for section in _ASPECT[aspect](cat, sid)]
    if len(ids) == 1:
        sections = _beyond_fields(cat, text, ids[0]) + sections
    return Answer(paged(sections, intent="ask_qualification_info", message=text, page=page))


def _beyond_fields(cat, text: str, source_id: str) -> list[Section]:
    """The specification's own passage when the question asks more than the fields hold ("aim reference",
    "what's one credit point worth in hours"): a passage holding a word no field answers; else nothing."""
    beyond = set(passages.query_terms(text)) - _ASPECT_WORDS
    if not beyond:
        return []
    found = passages.search(cat, text, [source_id], limit=1)
    if not found or not beyond & set(passages.terms(found[0].text)):
        return []
    return passages.answer_sections(cat, text, [source_id]) or []


_ASPECT_WORDS = set(passages.terms(" ".join(w for words in QUAL_ASPECTS.values() for w in words) + " number"))


def status_sections(cat, source_id: str) -> list[Section]:
    q = cat.source(source_id).qualification
    facts = cat.facts(source_id, "status")
    if q.status == "withdrawn":
        withdrawn = [f for f in facts if "withdraw" in f.text.lower()]
        last, end = q.dates.get("last_registration"), q.dates.get("certification_end")
        others = [f"{k.replace('_', ' ')}: {v}" for k, v in q.dates.items()
                  if k not in ("last_registration", "certification_end")]
        text = (f"The *{q.title}* is *withdrawn*: no learners can be registered after {last}, and all "
                f"certifications had to be completed by {end}. You can't enrol on it now; ask your centre which "
                f"qualification replaces it." + (f" Its other dates: {'; '.join(others)}." if others else ""))
        return [(text, cite.cite(cat, [f.citation for f in withdrawn or facts]) if facts else cite.name(cat, source_id))]
    stated = [f"{k.replace('_', ' ')}: {v}" for k, v in q.dates.items()]
    status = f"It is marked \"{q.status}\". " if q.status else ""
    text = (f"{status}The {q.title} specification states no withdrawal, last registration or certification end "
            f"date" + (f" (it gives only {'; '.join(stated)})" if stated else "") +
            ". Your centre can confirm whether it is still open for registration.")
    return [(text, cite.cite(cat, [f.citation for f in facts]) if facts else cite.name(cat, source_id))]


def _fact_sections(cat, source_id: str, topic: str, what: str, field_value: str | None = None) -> list[Section]:
    facts = [f for f in cat.facts(source_id, topic) if not f.units]
    q = cat.source(source_id).qualification
    if facts:
        return cite.fact_sections(cat, f"*{what}* ({q.title}):", [(f.text, f.citation) for f in facts])
    if field_value:
        return [(f"*{what}* ({q.title}): {field_value}", cite.name(cat, source_id))]
    return [(f"The {q.title} specification says nothing about {what.lower()}.", cite.name(cat, source_id))]


def _credits(cat, source_id: str) -> list[Section]:
    """Any question on size or make-up gets the whole rule of combination (issue 13, pattern 3)."""
    return [structure(cat, source_id)]


def _hours(cat, source_id: str, field: str, name: str) -> list[Section]:
    q = cat.source(source_id).qualification
    value = getattr(q, field)
    if value is None:
        extra = " It sizes the qualification in SCQF credit points only." if q.rules.credit_name != "credits" else ""
        return [(f"The {q.title} specification does not state {name}.{extra}", cite.name(cat, source_id))]
    note = " (depending on the units chosen)" if field == "glh" and "-" in str(value) else ""
    return [(f"The *{q.title}* has {name} of {value}{note}.", cite.name(cat, source_id))]


def _number(cat, source_id: str) -> list[Section]:
    q = cat.source(source_id).qualification
    if q.number:
        return [(f"The qualification number of the *{q.title}* is {q.number}.", cite.name(cat, source_id))]
    return [(f"The {q.title} specification prints no qualification number (it says a code appears on the "
             f"certificate, but none is given).", cite.name(cat, source_id))]


def _level(cat, source_id: str) -> list[Section]:
    q = cat.source(source_id).qualification
    framework = f" ({q.framework})" if q.framework else ""
    return [(f"The *{q.title}* is a level {q.level} qualification{framework}.", cite.name(cat, source_id))]


def _grading(cat, source_id: str) -> list[Section]:
    q = cat.source(source_id).qualification
    if cat.facts(source_id, "grading") or q.grading:
        return _fact_sections(cat, source_id, "grading", "Grading", q.grading)
    return [(f"The {q.title} specification says nothing about grading: I found no statement on grades, pass, "
             f"merit or distinction in it.", cite.name(cat, source_id))]


_ASPECT = {
    "status": status_sections,
    "dates": status_sections,
    "credits": _credits,
    "glh": lambda cat, s: _hours(cat, s, "glh", "guided learning hours (GLH)"),
    "tqt": lambda cat, s: _hours(cat, s, "tqt", "total qualification time (TQT)"),
    "age": lambda cat, s: _fact_sections(cat, s, "age", "Age", cat.source(s).qualification.age),
    "entry": lambda cat, s: _fact_sections(cat, s, "entry", "Entry requirements", cat.source(s).qualification.entry),
    "grading": _grading,
    "assessment": lambda cat, s: _fact_sections(cat, s, "assessment_method", "How it is assessed"),
    "progression": lambda cat, s: _fact_sections(cat, s, "progression", "Progression"),
    "number": _number,
    "level": _level,
}


def _overview(cat, source_id: str) -> str:
    q = cat.source(source_id).qualification
    rules = q.rules
    rows = [f"*{q.title}*", f"- Awarding body: {q.awarding_body}"]
    rows.append(f"- Qualification number: {q.number or 'not stated'}")
    rows.append(f"- Level: {q.level}" + (f" ({q.framework})" if q.framework else ""))
    rows.append(f"- Size: at least {rules.min_credits} {rules.credit_name}"
                + (f", {rules.level_credits[1]} of them at level {rules.level_credits[0]} or above"
                   if rules.level_credits else ""))
    rows.append(f"- GLH: {q.glh or 'not stated'}; TQT: {q.tqt or 'not stated'}")
    rows.append(f"- Age: {q.age or 'not stated'}")
    rows.append(f"- Grading: {q.grading or 'not stated'}")
    if q.status:
        rows.append(f"- Status: {q.status}")
    rows += [f"- {k.replace('_', ' ').capitalize()}: {v}" for k, v in q.dates.items()]
    return "\n".join(rows)
