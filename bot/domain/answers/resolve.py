"""Reading catalogue things out of a learner's message, through catalogue.lookup only.

lookup finds units, criteria, qualifications and evidence types in loose text; this module adds what
a conversation needs on top: the learner's qualification as the frame (a unit found only elsewhere is
reported as outside it, not silently accepted), question words stripped before a lookup, and a
criterion or outcome reference cut out of the text so that "2.3 of unit 206" finds unit 206.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from catalogue import lookup
from catalogue.text import compact, words

STRONG = 90.0  # a unit found outside the learner's qualification at least this well is "that unit"


@dataclass(slots=True)
class UnitRef:
    """One unit mention, resolved against the learner's qualification (if any)."""

    mention: str
    ref: str | None = None  # the unit, when clear (it may be outside the qualification: see `outside`)
    outside: bool = False  # ref exists but not in the learner's qualification
    options: list[str] = field(default_factory=list)  # ambiguous / weak guesses: refs to offer, best first
    weak: bool = False  # options are guesses, not near-ties


@dataclass(slots=True)
class QualHit:
    source_id: str
    weak: bool = False  # only a level or a generic word matched
    reason: str | None = None


_QUESTION = re.compile(
    r"^\s*(?:(?:hi|hello|hey|ok|okay|so|please|and|but)\b[,!]*\s*)*"
    r"(?:can you |could you |please )*"
    r"(?:(?:can|could|may|am|do)\s+i\s+(?:be\s+allowed\s+to\s+)?(?:use|submit|give|count)?\s*)?"
    r"(?:tell me (?:about|more about)|what(?:'s| is| are| does| do)|what about|info(?:rmation)? (?:on|about)|"
    r"explain|describe|show me|details? (?:of|on|for|about)|give me|i want to know about|how about|about|"
    r"which group is|what group is|how many credits is|how many credits (?:are|does)|is)?\s*"
    r"(?:(?:in|of|for|on|from|the|a|an|as|evidence)\s+)*", re.I)
_TRAIL = re.compile(r"\b(?:unit|mean|about|in|is|please|worth|have|has|for me)?\s*[?.!]*\s*$", re.I)
_EXPLICIT = re.compile(r"\b[A-Za-z]\s?/\s?\d{3}\s?/\s?\d{4}\b|\bCFA[A-Za-z]{2,3}\s?\d{1,3}\b|"
                       r"\bunits?\s*(?:no\.?|number)?\s*\d{1,3}(?:\s*/\s*\d{3})?\b|(?<![\d.])\d{3}(?:/\d{3})?(?![\d.])",
                       re.I)


def _in(cat, source_id: str | None, ref: str) -> bool:
    return source_id is None or cat.spec(ref, source_id) is not None


def _judge(cat, found: "lookup.UnitLookup", source_id: str | None, query: str | None = None) -> UnitRef:
    """Turn a lookup result into a UnitRef. Within a qualification, a much better match elsewhere wins
    over a middling one inside it ("champion customer service" is not "Communication in customer service")."""
    query = query if query is not None else found.query
    best = found.best
    top_here = found.results[0].score if found.results else 0.0
    covering = _covering(cat, query, source_id)
    if covering is not None:
        return covering
    if source_id is not None and top_here < 100.0:
        wide = lookup.find_unit(cat, query, None)
        outside = [m for m in wide.candidates if not _in(cat, source_id, m.ref)]
        if outside and outside[0].score >= STRONG and outside[0].score > top_here + lookup.MARGIN:
            # several units can share a title across sources ("Champion customer service"): keep them all
            return UnitRef(query, outside[0].ref, outside=True, options=[m.ref for m in outside])
    if found.results and found.results[0].how == "title" and not _shares_a_word(cat, query, found):
        return UnitRef(query)  # "dragon taming for customer service advisors": no unit holds its own words
    if best is not None:
        shared = _titles_containing(cat, found, query)
        if len(shared) > 1:  # the words fit several titles equally ("communicate with customers")
            return UnitRef(query, options=shared)
        return UnitRef(query, best.ref, outside=not _in(cat, source_id, best.ref))
    if found.ambiguous:
        return UnitRef(query, options=[m.ref for m in found.candidates])
    if found.results:
        return UnitRef(query, options=[m.ref for m in found.results[:3]], weak=True)
    return UnitRef(query)


_EVERY_TITLE = {"customer", "customers", "service", "services"}  # in most titles: they tell none apart


def _shares_a_word(cat, query: str, found: "lookup.UnitLookup") -> bool:
    """Does some matched title hold one of the query's own words (typos allowed), beyond "customer service"?"""
    own = _significant(query) - _EVERY_TITLE
    if not own:
        return True
    for m in found.results:
        title = _significant(m.title) | _significant(cat.unit(m.ref).title)
        if any(fuzz.ratio(w, t) >= 80 or (len(w) > 4 and (t.startswith(w[:5]) or w.startswith(t[:5])))
               for w in own for t in title):
            return True
    return False


def mentions_unit(text: str) -> bool:
    """Does the text name a unit explicitly (a code, "unit N", a three-digit C&G number)?"""
    return "unit" in text.lower() or bool(_EXPLICIT.search(text))


def names_unit_code(text: str) -> bool:
    """Does the text give a unit's code or number ("A/506/2130", "unit 5", "206"), not a qualification's?"""
    return bool(_EXPLICIT.search(without_qualification(text)))


def _covering(cat, query: str, source_id: str | None) -> UnitRef | None:
    """A unit outside the qualification whose title holds every significant word of the query, when no unit
    inside it does: "deliver seamless customer service with a team" is the SVQ unit, not "Deliver customer
    service", however close the fuzzy scores."""
    q = _significant(query) & _title_vocabulary(cat)  # words no title uses are chatter ("take", "please")
    if source_id is None or len(q) < 2:
        return None
    wide = lookup.find_unit(cat, query, None, limit=8)
    inside = [m for m in wide.results if _in(cat, source_id, m.ref) and q <= _significant(cat.unit(m.ref).title)]
    outside = [m.ref for m in wide.results if not _in(cat, source_id, m.ref)
               and m.score >= lookup.ACCEPT and q <= _significant(cat.unit(m.ref).title)]
    if inside or not outside:
        return None
    return UnitRef(query, outside[0], outside=True, options=list(dict.fromkeys(outside)))


def _title_vocabulary(cat) -> set[str]:
    vocab = cat.cache.get("answers.title_vocabulary")
    if vocab is None:
        vocab = {w for u in cat.units.values() for s in u.specs.values() for w in _significant(s.title)}
        cat.cache["answers.title_vocabulary"] = vocab
    return vocab


def significant(text: str) -> set[str]:
    """The words of a text that can tell unit titles apart (no stopwords, no question words)."""
    return _significant(text)


def _significant(text: str) -> set[str]:
    return {w for w in words(text).split() if w not in lookup.STOPWORDS and w not in _FILLER}


def _titles_containing(cat, found: "lookup.UnitLookup", query: str) -> list[str]:
    """Refs of the well-matched units whose title holds every significant word of the query, when the query
    is not itself one of those titles: the words then do not say which unit is meant."""
    q = _significant(query)
    if len(q) < 2 or found.results[0].how != "title":
        return []
    refs = []
    for m in found.results:
        title = _significant(cat.unit(m.ref).title)
        if m.score >= lookup.ACCEPT and q <= title and m.ref not in refs:
            if title == q:
                return []  # an exact title
            refs.append(m.ref)
    return refs


def strip_refs(text: str) -> str:
    """The text without criterion / outcome references ("2.3", "AC 1.2", "outcome 1", "PC 5", "LO2 AC3")."""
    text = CRITERION_IN_TEXT.sub(" ", normalise_refs(text))
    return OUTCOME_IN_TEXT.sub(" ", text)


# "svq 4 unit 10": the 4 is the SVQ's; "the level 2 units" are units of that level
_NUMBERED_QUALIFICATION = re.compile(r"\b(?:svq|scqf(?:\s*level)?)\s*\d\b|\b(?:level|lvl|l)\s*\d\b(?!\s*(?:units?|credits?)\b)",
                                     re.I)


# A qualification's number or its title's words ("601/4310/1", "the Diploma in Customer Service (QCF)",
# "the level 3 customer service diploma"): never a unit, so cut out before any unit is read
_QUALIFICATION_NAME = (r"\b\d{3}\s*/\s*\d{4}\s*/\s*\d\b|\b\d{8}\b|"
                       r"\b(?:(?:level|lvl|l)\s*\d\s+)?customer\s+service\s+(?:diplomas?|dip|certificates?|cert|svq|"
                       r"qualifications?)\b|"
                       r"\b(?:diplomas?|dip|certificates?|cert|svq\s*\d?|qualifications?)\s+in\s+customer\s+service"
                       r"(?:\s+at\s+scqf\s*(?:level\s*)?\d)?(?:\s*\(?\s*qcf\s*\)?)?|\(\s*qcf\s*\)")
_BODY_OR_KIND = re.compile(_QUALIFICATION_NAME + r"|\b(?:sfj(?:\s+awards)?|skills\s+for\s+justice|habc|"
                           r"high\s*fields?(?:\s+abc)?|ncfe|pearson|edexcel|city\s*(?:&|and|n|\+)?\s*guilds?|"
                           r"cityandguilds|c\s*(?:&|and|\+)\s*g|cg|svq(?:\s*\d\b)?|scqf(?:\s*level)?(?:\s*\d\b)?|"
                           r"diplomas?|dip|certificates?|cert|qualification)\b", re.I)


_RANGE = re.compile(r"(?<![\d/.])(\d{1,3})\s*(?:to|-|–|through|thru|until)\s*(\d{1,3})\b(?![/.]\d)"
                    r"(?!\s*(?:credits?|cps?|glh|hours|units?\b))", re.I)


def _expand_range(m: re.Match) -> str:
    a, b = m.group(1), m.group(2)
    if not 0 < int(b) - int(a) <= 20:
        return m.group(0)  # "1 to 100" is no list of units
    width = len(a) if a.startswith("0") else 0  # NCFE numbers its units 01, 02 ...
    return ", ".join(str(n).zfill(width) for n in range(int(a), int(b) + 1))


def expand_ranges(text: str) -> str:
    """"units 01 to 05" -> "units 01, 02, 03, 04, 05": every unit between."""
    return _RANGE.sub(_expand_range, text)


def units(cat, text: str, source_id: str | None) -> list[UnitRef]:
    """Every unit a message mentions, in order (report_units: "206, 207 and exceed customer expectations").

    Within a qualification, a mention lookup drops because it names no unit of that qualification
    (a C&G "206" said by an SVQ learner) is looked up across all sources, so it can be refused by name.
    A number or code that names no unit anywhere is kept too (ref None, no options): nothing said is dropped.
    """
    # the qualification's own name is not a unit: "SVQ 4: done units 1, 2", "sfj l2 - done 206 and 207"
    text = _NUMBERED_QUALIFICATION.sub(" ", _BODY_OR_KIND.sub(" ", text))
    text = _split_slashed(cat, expand_ranges(text))
    text = re.sub(r"(?<=\d)\s+(?=\d)", ", ", text)  # "206 207 and 221": numbers side by side are a list
    found = [_judge(cat, f, source_id) for f in lookup.extract_unit_refs(cat, text, source_id)]
    if source_id is not None:
        seen = {u.mention for u in found}
        for wide in lookup.extract_unit_refs(cat, text, None):
            if wide.query in seen or not (wide.best is not None or wide.ambiguous):
                continue
            judged = _judge(cat, wide, source_id)
            if judged.outside:
                found.append(judged)
            elif judged.options and not any(_in(cat, source_id, r) for r in judged.options):
                found.append(UnitRef(judged.mention, None, outside=True, options=judged.options))
    return _with_unknown(text, found)


def _number_key(mention: str) -> str:
    """"unit 05" -> "5", "k/506/2155" -> "K5062155": how two mentions of one number compare."""
    key = compact(re.sub(r"^\s*units?\s*(?:no\.?|number)?\s*", "", mention, flags=re.I))
    return str(int(key)) if key.isdigit() else key


def _with_unknown(text: str, found: list[UnitRef]) -> list[UnitRef]:
    """The units found, plus each explicit number or code that no lookup matched, in the order said."""
    seen = {_number_key(u.mention) for u in found}
    at = {id(u): text.find(u.mention) for u in found}
    out = list(found)
    for m in _EXPLICIT.finditer(text):
        if _number_key(m.group(0)) not in seen and not _AMOUNT_AFTER.match(text, m.end()):
            unknown = UnitRef(m.group(0).strip())
            seen.add(_number_key(unknown.mention))
            at[id(unknown)] = m.start()
            out.append(unknown)
    return sorted(out, key=lambda u: at[id(u)] if at[id(u)] >= 0 else len(text))


_AMOUNT_AFTER = re.compile(r"\s*(?:credits?|cps?|glh|hours|hrs|words|%|percent)\b", re.I)
_SLASHED = re.compile(r"(?<![\d/])\d{3}(?:\s*/\s*\d{3})+(?![\d/])")


def _split_slashed(cat, text: str) -> str:
    """"206/207/210" is a list, unless it is a unit's own double number ("305/695")."""
    numbers = cat.cache.get("answers.double_numbers")
    if numbers is None:
        numbers = {compact(u.number) for d in cat.sources.values() for u in d.units if u.number and "/" in u.number}
        cat.cache["answers.double_numbers"] = numbers
    return _SLASHED.sub(lambda m: m.group(0) if compact(m.group(0)) in numbers else
                        ", ".join(p.strip() for p in m.group(0).split("/")), text)


# Question words that are never part of a unit title; dropped as a second try when the question's
# opening words alone were not enough ("how many credit points is build and maintain ...").
_FILLER = {"what", "whats", "what's", "which", "how", "many", "much", "tell", "me", "more", "explain", "describe",
           "details", "detail", "credit", "credits", "points", "point", "glh", "level", "group", "does", "do", "is",
           "are", "the", "unit", "units", "one", "cover", "covers", "involve", "involves", "like", "mean", "means",
           "please", "overview", "say", "says", "need", "needs", "ask", "asks", "want", "know", "i", "it", "this",
           "that", "a", "an", "of", "in", "for", "on", "to", "value", "urn", "number", "code", "learn", "you",
           "outcomes", "outcome", "criteria", "have", "has", "there", "any", "whole", "learning", "evidence", "with",
           "use", "using", "can", "could", "enough", "ok", "okay", "count", "counts", "will", "would", "my", "be",
           "used", "as", "get", "got", "about", "all", "covered", "accept", "accepts", "called", "don't", "dont",
           "stuck", "sure", "not", "asking", "wants", "pls", "u", "by", "done"}
_WORD = re.compile(r"[A-Za-z0-9'’&/-]+")


def _without_filler(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text) if w.lower().strip("'’") not in _FILLER)


_CHATTER = re.compile(r"\b(?:i\s+(?:do\s*n[o']?t|dont)\s+(?:understand|get)|not\s+sure\s+(?:what|about|how)|"
                      r"i'?m\s+stuck\s+(?:on|with)|help\s+me\s+(?:understand|with)|break\s+(?:it\s+)?down|"
                      r"asking\s+(?:me\s+)?(?:to\s+do|for)|performance\s+criteri(?:on|a)|knowledge\s+criteri(?:on|a)|"
                      r"this\s+criterion|what'?s\s+covered\s+in|pls|please)\b", re.I)


# How a message names a qualification (catalogue.lookup reads these as a qualification): never part of a
# unit's name, so they are cut out before a unit is looked up ("in the SFJ level 2 diploma what group is ...").
_NAMES_QUALIFICATION = re.compile(
    _QUALIFICATION_NAME + r"|\b(?:sfj(?:\s+awards)?|skills\s+for\s+justice|habc|high\s*fields?(?:\s+abc)?|ncfe|"
    r"pearson|city\s*(?:&|and|n|\+)?\s*guilds?|cityandguilds|c\s*(?:&|and|\+)\s*g|scqf(?:\s*level)?\s*\d?|"
    r"svq\s*\d?|(?:level|lvl)\s*(?:\d|one|two|three|four|eight)|l\s?\d|diplomas?|dip|certificates?|cert|"
    r"qualification)\b", re.I)


def without_qualification(text: str) -> str:
    return _NAMES_QUALIFICATION.sub(" ", text)


def unit(cat, text: str, source_id: str | None) -> UnitRef | None:
    """The one unit a question is about: an explicit code or number first, else the words of the question."""
    text = _CHATTER.sub(" ", strip_refs(without_qualification(text)))
    explicit = [m.group(0) for m in _EXPLICIT.finditer(text)]
    for mention in explicit:
        found = _judge(cat, lookup.find_unit(cat, mention, source_id), source_id, mention)
        if found.ref or found.options:
            return found
    if explicit:
        return UnitRef(explicit[0])  # a unit was named but no source has it
    tries = []
    for bare in (_TRAIL.sub("", _QUESTION.sub("", text)).strip(), _without_filler(text)):
        if _without_filler(bare) and bare not in [b for b, _ in tries]:  # something left that could be a title
            tries.append((bare, _words_to_unit(cat, bare, source_id)))
    scored = [(score, found) for _, (found, score) in tries if found is not None]
    if not scored and source_id is not None and tries:  # nothing like it in the qualification: look everywhere
        found, score = _words_to_unit(cat, tries[-1][0], None)
        if found is not None and (found.ref or found.options):
            found.outside = not any(_in(cat, source_id, r) for r in ([found.ref] if found.ref else found.options))
            scored = [(score, found)]
    if not scored:
        return None
    return max(scored, key=lambda sf: (bool(sf[1].ref), not sf[1].weak, sf[0]))[1]


def _words_to_unit(cat, bare: str, source_id: str | None) -> tuple[UnitRef | None, float]:
    """The unit some words name, and how well (the best score in the learner's frame or outside it)."""
    hits = lookup.extract_unit_refs(cat, bare, source_id)
    found = hits[0] if hits else lookup.find_unit(cat, bare, source_id)
    if not found.results or (not hits and found.results[0].score < lookup.ACCEPT - 10):
        return None, 0.0
    judged = _judge(cat, found, source_id)
    score = found.results[0].score
    if judged.outside and judged.ref:
        score = max(score, lookup.find_unit(cat, found.query, None).results[0].score)
    return judged, score


# --- criteria and outcomes ------------------------------------------------------------------

CRITERION_IN_TEXT = re.compile(
    r"(?:\b(?:a\.?c\.?s?|assessment\s+criteri(?:on|a)|criteri(?:on|a)|p\.?c\.?s?|performance\s+criteri(?:on|a)|"
    r"k\s*&\s*u|k\s*and\s*u|k/u|ku|knowledge(?:\s+(?:and|&)\s+understanding)?(?:\s+statement)?)\s*"
    r"(?:no\.?|number)?\s*[:.#-]?\s*\d{1,2}(?:\.\d{1,3})*\b)|(?<![\w./])\d{1,2}\.\d{1,3}(?:\.\d{1,3})*(?![\w/])",
    re.I)
OUTCOME_IN_TEXT = re.compile(r"\b(?:learning\s+)?(?:outcome|lo|element)\s*(?:no\.?|number)?\s*(\d{1,2})\b", re.I)


@dataclass(slots=True)
class CriterionMention:
    text: str  # as typed
    ref: str | None  # canonical ("2.3", "PC5", "K&U8") when it parses
    error: str | None = None


def criterion(text: str) -> CriterionMention | None:
    m = CRITERION_IN_TEXT.search(normalise_refs(text))
    if not m:
        return None
    ref, error = lookup.parse_criterion_ref(m.group(0))
    return CriterionMention(m.group(0).strip(), ref, error)


def parse_criterion(value: str) -> CriterionMention:
    """A criterion reference given on its own (an entity or a button payload)."""
    ref, error = lookup.parse_criterion_ref(normalise_refs(value))
    return CriterionMention(value, ref, error)


def outcome_number(text: str) -> str | None:
    m = OUTCOME_IN_TEXT.search(normalise_refs(text))
    return str(int(_number(m.group(1)))) if m else None


# How people type a criterion or an outcome, made into the forms above: "LO2 AC3", "outcome 2 criterion 3",
# "AC 3 of LO2", "LO2.3" -> "AC 2.3"; "two point three" -> "2.3"; "knowledge point 8", "K and U statement 8"
# -> "K&U 8"; "performance criterion four" -> "PC 4"; "learning outcome two" -> "outcome 2".
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12}
_N = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_OUTCOME_WORD = r"(?:learning\s+outcome|outcome|lo|l\.o\.?)"
_CRITERION_WORD = r"(?:ac|a\.c\.?|assessment\s+criteri(?:on|a)|criteri(?:on|a)|crit)"
_NO = r"\s*(?:no\.?|number|#)?\s*"
_REF_FORMS = [
    (re.compile(rf"\blo\s*(\d{{1,2}})\.(\d{{1,2}})\b", re.I), "AC {0}.{1}"),
    (re.compile(rf"\b{_CRITERION_WORD}{_NO}{_N}\s+(?:of|in|for|from|under)\s+(?:the\s+)?{_OUTCOME_WORD}{_NO}{_N}\b",
                re.I), "AC {1}.{0}"),
    (re.compile(rf"\b{_OUTCOME_WORD}{_NO}{_N}\s*[,.:;/-]?\s*(?:and\s+|,\s*)?{_CRITERION_WORD}{_NO}{_N}\b(?!\.\d)",
                re.I), "AC {0}.{1}"),
    (re.compile(rf"\b{_N}\s+point\s+{_N}\b", re.I), "{0}.{1}"),
    (re.compile(rf"\b(?:knowledge(?:\s+(?:and|&)\s+understanding)?|k\s*(?:&|and)\s*u|ku|k/u)\s*(?:points?|items?|"
                rf"statements?|requirements?)?{_NO}{_N}\b(?!\.\d)", re.I), "K&U {0}"),
    (re.compile(rf"\b(?:p\.?\s?c\.?|performance\s+(?:criteri(?:on|a)|points?|statements?))s?{_NO}{_N}\b(?!\.\d)", re.I),
     "PC {0}"),
    (re.compile(rf"\b(?:learning\s+outcome|outcome|lo|element){_NO}({'|'.join(_NUMBER_WORDS)})\b", re.I), "outcome {0}"),
]


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def normalise_refs(text: str) -> str:
    """The text with its criterion and outcome references in the one form the patterns above read."""
    for pattern, form in _REF_FORMS:
        text = pattern.sub(lambda m: form.format(*(_number(g) for g in m.groups())), text)
    return text


# --- qualifications ----------------------------------------------------------------------------

_QUAL_NUMBER = re.compile(r"\b\d{3}/\d{4}/\d\b|\b\d{8}\b")  # "601/4310/1", learning aim "60140276"
_STRONG_QUAL = 60.0  # an awarding body, a number or a close name; a bare level scores about 50


def qualifications(cat, text: str, entities: dict[str, list[str]] | None = None) -> list[QualHit]:
    """Qualifications (and the C&G pool) a message names, best first; ties all returned."""
    entities = entities or {}
    for value in entities.get("qualification", []):
        if value in cat.sources:  # a button payload carries the source id itself
            return [QualHit(value)]
        if value == "all":
            return []
    hits: list[QualHit] = []
    number = _QUAL_NUMBER.search(text)
    for query in [*entities.get("qualification", []), *([number.group(0)] if number else []), text]:
        found = lookup.find_qualification(cat, query, include_pool=True)
        if not found.results:
            continue
        top = found.results[0].score
        close = [m for m in found.results if m.score >= top - 10] if found.ambiguous else found.results[:1]
        for m in close:
            weak = m.score < _STRONG_QUAL
            hits.append(QualHit(m.source, weak, _why_weak(cat, m.source) if weak else None))
        break
    return hits


def _why_weak(cat, source_id: str) -> str | None:
    q = cat.source(source_id).qualification
    if q is None:
        return None
    same = [d for d in cat.qualifications() if d.qualification.level == q.level]
    return f"the only level {q.level} qualification I have" if len(same) == 1 else None


# --- evidence types ------------------------------------------------------------------------------

_SHORT_CODES = re.compile(r"\b(PD|WT|EWT|RA|RPL|Q&A|RWE)\b")  # abbreviations only when typed in capitals


def _evidence_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each evidence-type phrase in the text, longest first at a place, no overlaps."""
    low = re.sub(r"[^a-z0-9&]", " ", text.lower())
    spans: list[tuple[int, int, str]] = []
    for names in lookup.EVIDENCE_SYNONYMS.values():
        for name in names:
            if len(name) >= 4:
                spans += [(m.start(), m.end(), name) for m in re.finditer(rf"\b{re.escape(name)}\b", low)]
    spans += [(m.start(), m.end(), m.group(1)) for m in _SHORT_CODES.finditer(text)]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, end = [], -1
    for span in spans:
        if span[0] >= end:
            out.append(span)
            end = span[1]
    return out


def evidence_types(cat, text: str) -> list["lookup.EvidenceLookup"]:
    """Evidence types named in a message, in order of appearance."""
    out, seen = [], set()
    for _, _, name in _evidence_spans(text):
        found = lookup.find_evidence_type(cat, name)
        if found.key and found.key not in seen:
            seen.add(found.key)
            out.append(found)
    return out


def without_evidence(text: str) -> str:
    """The text with its evidence-type phrases blanked ("can I use a witness statement for 206" -> "... 206")."""
    chars = list(text)
    for start, end, _ in _evidence_spans(text):
        chars[start:end] = [" "] * (end - start)
    return "".join(chars)


def glossary(cat, word: str):
    return lookup.find_term(cat, word)
