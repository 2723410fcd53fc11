"""A qualification the message names that the catalogue does not hold.

"the ILM level 3 certificate", "the SFJ level 3 diploma", "svq 3 at scqf 6": answering about the
nearest qualification we do hold would state another qualification's facts as this one's, so the
answer says it is not here and names what was checked. Read from the catalogue's own metadata, so an
imported qualification counts as held without any change here.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.domain.replies import Reply

from .context import Answer

# Awarding bodies and brands with no specification in the catalogue unless one is imported.
_OTHER_BODIES = ("ilm", "ocr", "aqa", "btec", "edexcel", "cmi", "sqa", "vtct", "tquk", "skillsfirst", "focus awards",
                 "open awards", "gateway qualifications", "nocn", "ascentis", "lantra", "proqual", "qualifi", "othm",
                 "cipd", "1st4sport")
_BRANDS = {"edexcel": "pearson", "btec": "pearson"}  # Pearson's own brands: its other qualifications
_KINDS = ("certificate", "diploma", "award", "svq", "nvq")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
# "level 3" of a qualification: next to its kind or its awarding body ("level 3 diploma", "highfield
# level 3", "diploma in customer service level 2"), never of units ("units at level 4 on the diploma")
_N = r"(?:level|lvl|l)\s*([1-8]|one|two|three|four|five|six|seven|eight)\b"
_KIND_WORD = r"(?:certificates?|diplomas?|awards?|svqs?|nvqs?)"
_LEAD = r"(?:certificate|diploma|award|svq|nvq|ilm|ocr|ncfe|sfj|habc|highfield|pearson|btec|awards|guilds|c&g)"
_LEVEL_AFTER = re.compile(rf"\b{_N}\s+(?:(?!units?\b|on\b|of\b|for\b)[a-z&']+\s+){{0,2}}{_KIND_WORD}\b")
_LEVEL_BEFORE = re.compile(rf"\b{_LEAD}\s+(?:(?!units?\b|and\b|or\b)[a-z&']+\s+){{0,3}}{_N}"
                           r"(?!\s*(?:units?|credits?|or\s+(?:above|higher)|and\s+above|\+))")
_SVQ = re.compile(r"\bsvq\s*([1-5])\b")
_SCQF = re.compile(r"\bscqf\s*(?:level\s*)?(\d{1,2})\b")
_SUBJECT = re.compile(r"\b(?:certificate|diploma|award|nvq|svq\s*\d?)\s+(?:in|of)\s+([a-z][a-z &']{2,60})")
_STOP = {"the", "of", "and", "in", "for", "a", "an", "&"}


def _stated_levels(low: str) -> set[int]:
    said = _LEVEL_AFTER.findall(low) + _LEVEL_BEFORE.findall(low)
    return {int(x) if x.isdigit() else _WORDS[x] for x in said} | {int(x) for x in _SVQ.findall(low)}


def _levels_of(q) -> set[int]:
    held = {q.level} if q.level else set()
    held |= {int(x) for x in _SCQF.findall((q.framework or "").lower())}
    held |= {int(x) for x in _SVQ.findall(q.title.lower())}
    return held


def _names_body(low: str, doc) -> bool:
    q = doc.qualification
    names = {q.awarding_body.lower(), doc.short_name.split()[0].lower()}
    if "highfield" in low and "habc" in names:  # HABC is Highfield Awarding Body for Compliance
        return True
    return any(re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", low) for n in names)


def _matches(low: str, doc, level: int | None, kinds: list[str], subject: str | None) -> bool:
    q = doc.qualification
    title = q.title.lower()
    if level is not None and level not in _levels_of(q):
        return False
    if any(k not in title for k in kinds if k != "nvq"):  # learners call any of these an NVQ
        return False
    if subject:
        key = " ".join([w for w in subject.split() if w not in _STOP][:2])
        if key and fuzz.partial_ratio(key, title) < 80:
            return False
    return True


def unheld(cat, text: str) -> str | None:
    """What the message calls a qualification, when no qualification in the catalogue fits it; else None."""
    low = " ".join(re.sub(r"[^a-z0-9&' ]", " ", (text or "").lower()).split())
    foreign = next((b for b in _OTHER_BODIES if re.search(rf"\b{re.escape(b)}\b", low)), None)
    kinds = [k for k in _KINDS if re.search(rf"\b{k}s?\b", low)]
    levels = _stated_levels(low) | {int(x) for x in _SCQF.findall(low)}
    m = _SUBJECT.search(low)
    subject = m.group(1).strip() if m else None
    if not foreign and not (kinds and (levels or subject)):
        return None  # no qualification named: nothing to say here
    docs = [d for d in cat.sources.values() if d.qualification is not None]
    foreign = _BRANDS.get(foreign, foreign)
    if foreign:
        held = [d for d in docs if foreign in d.qualification.title.lower() or foreign in d.qualification.awarding_body.lower()]
        if not held:
            return _phrase(text, foreign)
        docs = held
    bodies = [d for d in docs if _names_body(low, d)]
    docs = bodies or docs
    for level in levels or {None}:
        if not any(_matches(low, d, level, kinds, subject) for d in docs):
            return _phrase(text, foreign)
    return None


_STARTS = re.compile(r"(?i)^(?:level|lvl|l\d|svq|scqf|pearson|highfield|habc|sfj|ncfe|city|c&g|"
                     + "|".join(_OTHER_BODIES) + "|" + "|".join(_KINDS) + r")")
_TRAILING = {"how", "many", "much", "credits", "credit", "glh", "tqt", "what's", "whats", "structure", "on", "here",
             "please", "units", "rules"}


def _phrase(text: str, foreign: str | None) -> str:
    """The words of the message that name the qualification, for the reply."""
    head = re.split(r"\s-\s|[?,;:!]", text or "")[0].split()
    while head and not _STARTS.match(head[0]):
        head.pop(0)
    while head and head[-1].lower().strip(".") in _TRAILING:
        head.pop()
    return " ".join(head).strip(" .") or (foreign.upper() if foreign else "that qualification")


def answer(cat, named: str) -> Answer:
    held = [d.qualification.title for d in cat.sources.values() if d.qualification is not None]
    pools = [d.short_name for d in cat.sources.values() if d.qualification is None]
    checked = "; ".join(held + [f"{p} (units only)" for p in pools])
    return Answer([Reply(f"I don't have the specification of *{named}*, so I can't answer about it without "
                         f"guessing. I checked the qualifications I hold: {checked}. I can answer about any of "
                         "those; your centre can add another qualification to the catalogue.")])
