"""Conversation-level cues read from the learner's own words.

Catalogue things (units, criteria, qualifications, evidence types) are found by catalogue.lookup;
this module only reads what the conversation needs around them: whether a unit is done or planned,
which assessment topic or qualification fact is asked about, a group letter, a swap.
"""
from __future__ import annotations

import re

CLAIMED, PLANNED = "claimed", "planned"

# "plan", "start" and "next" alone are not cues: unit titles contain them ("Plan and organise ...").
_PLANNED = (r"planning|planned|plan (?:to|on)|my plan|going to|gonna|going for|go for|thinking (?:of|about)|"
            r"will (?:do|take|start|be)|i'?ll|want to|would like to|'d like to|intend(?:ing)? to|hope to|"
            r"next i|about to|starting|start (?:on|with)|to start|considering|might (?:do|take)|choos(?:e|ing)|"
            r"chosen|picked|have to|has to|need to|must do|'ve got to|got to|doing|working (?:on|towards)|"
            r"currently on|in progress|still to do|add|put")
_CLAIMED = (r"finish(?:ed)?|done|did|complet(?:ed|e)|passed|achieved|got|have|'ve|submitted|"
            r"handed in|signed off|wrapped up")
_CUE = re.compile(rf"\b(?P<planned>{_PLANNED})\b|(?P<claimed>\b(?:{_CLAIMED})\b)", re.I)


def status_segments(text: str) -> list[tuple[str | None, str]]:
    """Split a message into (status, fragment) pairs at each done/planned cue.

    "I've finished 206 and I'm planning 207" -> [("claimed", "I've finished 206 and I'm "),
    ("planned", "planning 207")]. Text before the first cue takes the first cue's status; a message
    without any cue gives [(None, text)]. A planned cue wins over a claimed one in the same clause
    ("I have to do 206 next").
    """
    cues = [(m.start(), PLANNED if m.group("planned") else CLAIMED) for m in _CUE.finditer(text)]
    if not cues:
        return [(None, text)]
    merged: list[tuple[int, str]] = []
    for pos, status in cues:
        # one status per clause: cues with no unit-looking text between them belong together
        if merged and not re.search(r"[\w/]{2,}\s*(?:,|and|\.|;)", text[merged[-1][0]:pos]):
            if status == PLANNED:
                merged[-1] = (merged[-1][0], PLANNED)
            continue
        merged.append((pos, status))
    bounds = [0] + [p for p, _ in merged[1:]] + [len(text)]
    return [(merged[i][1], text[bounds[i]:bounds[i + 1]]) for i in range(len(merged))]


_PRONOUNS = re.compile(r"\b(?:i\s*'?m|i\s+am|i\s*'?ve|i\s*'?ll|i\s+will|i\s+have|i\s+think|i|we|we're|we've|also|"
                       r"already|just|now|to do|to take|to|do|the|units?|be|as well|too|my plan is|my plan|"
                       r"(?:on|to|in) my plan|put|add|pick|go for|opt for|my assessor(?: says| said| has| just)?|"
                       r"marked(?: it)?(?: as)?|signed(?: it)? off|handed in|"
                       r"(?:at|in) my (?:last|old|previous) job|at the moment|so far|recently|yesterday|today|"
                       r"(?:last|this|next) (?:week|month|term|year)|next|soon|as well|my|is|are|was|were|it'?s|"
                       r"one|ones|take|took|taking|get|go|think)\b", re.I)


def strip_cues(fragment: str) -> str:
    """A fragment without its done/planned words, pronouns and time words, leaving the unit names."""
    return re.sub(r"\s+", " ", _PRONOUNS.sub(" ", _CUE.sub(" ", fragment))).strip(" ,.;:!?")


_NUMBER_WORDS = r"(?:two|three|four|five|six|2|3|4|5|6)"
# a group reported whole: "all of group A", "everything in group A", "both group B units", "group C all done",
# or a group right after a done/planned word with no unit named after it ("done group A plus 06")
_GROUP_DONE = r"(?:done|did|finished|completed|passed|achieved|got|doing|planning|taking)"
_WHOLE_GROUP = re.compile(rf"\b(?:all|every|everything|each|both)\b[^.,;]*?\bgroup\s+([A-Za-z])\b|\bgroup\s+([A-Za-z])\b"
                          rf"[^.,;]*?\b(?:all|every|completely|whole)\b|\b{_GROUP_DONE}\s+(?:the\s+)?group\s+([A-Za-z])\b"
                          rf"(?!\s*(?:units?\s*)?\d|\s*(?:ones?|units?)\b|\s*:)|\bgroup\s+([A-Za-z])\s+(?:is\s+|all\s+)?(?:done|finished|completed)\b", re.I)
_ALL_MANDATORY = re.compile(rf"\b(?:all|every|each|both|{_NUMBER_WORDS})\b[^.,;]*?\b(?:mandatory|compulsory)\b|"
                            rf"\b(?:mandatory|compulsory)\b[^.,;]*?\b(?:all|every)\b|"
                            r"\bthe\s+(?:mandatory|compulsory)\s+(?:group|units|ones)\b|"
                            r"\b(?:mandatory|compulsory)(?:\s+(?:units|ones|group))?\s+(?:are\s+|is\s+|all\s+)?"
                            r"(?:done|finished|completed)\b|"
                            rf"\b{_GROUP_DONE}\s+(?:the\s+)?(?:mandatory|compulsory)(?:\s+(?:units|ones|group))?\s*(?:[,.;+&]|"
                            r"\band\b|\bplus\b|$)", re.I)


def whole_groups(fragment: str) -> tuple[list[str], bool]:
    """Groups a learner reports as a whole: ("all of group A" -> ["A"], "all the mandatory units" -> mandatory)."""
    letters = [next(g for g in m.groups() if g).upper() for m in _WHOLE_GROUP.finditer(fragment)]
    return letters, bool(_ALL_MANDATORY.search(fragment))


def strip_whole_groups(fragment: str) -> str:
    """The fragment without its whole-group phrases, so the units named beside them are still read
    ("all the mandatory units plus Exceed customer expectations")."""
    for pattern in (_WHOLE_GROUP, _ALL_MANDATORY):
        fragment = pattern.sub(" ", fragment)
    return re.sub(r"^\W*(?:units?|ones)\b", " ", fragment.strip(), flags=re.I)


# ask_assessment_rule: topic -> words that name it (model.TOPICS vocabulary). A word matches at the start
# of a word ("simulat" finds "simulation"); words of four letters or fewer must match whole ("test" is not
# "testimony").
RULE_TOPICS: dict[str, tuple[str, ...]] = {
    "simulation": ("simulat", "rwe", "realistic work", "real work", "role play", "role-play", "real job"),
    "expert_witness": ("expert witness",),
    "witness_testimony": ("witness testimony", "witness statement"),
    "professional_discussion": ("professional discussion",),
    "observation": ("observ",),
    "countersigning": ("countersign", "counter-sign", "counter sign", "trainee", "still training", "in training",
                       "unqualified", "not qualified", "isn't qualified", "qualified yet", "working towards"),
    "assessor_requirements": ("assessor need", "who can assess", "assessor requirement", "be an assessor",
                              "assessor qualif", "qualified assessor", "rules for assessors", "be my assessor",
                              "manager assess", "who assesses", "more senior", "occupationally competent"),
    "iqa": ("iqa", "internal quality", "internal verif", "moderat", "standards verif", "checks my assessor",
            "check my assessor", "quality assur", "verifier"),
    "evidence_currency": ("current", "how old", "out of date", "expire", "recent", "years old", "old job",
                          "still valid", "years ago", "how long ago"),
    "language": ("welsh", "irish", "english", "gaelic", "language", "sign language", "bsl"),
    "credit_transfer": ("credit transfer", "transfer", "other awarding", "already achieved", "same unit"),
    "exemptions": ("exempt",),
    "rpl": ("rpl", "prior learning", "prior experience", "recognition of prior"),
    "appeals": ("appeal", "disagree", "challenge a decision", "unfair", "wrong decision", "made a mistake",
                "complain"),
    "reasonable_adjustments": ("reasonable adjust", "disab", "dyslex", "special consideration", "adjustment", "sign language",
                               "extra time"),
    "resubmission": ("resubmi", "re-submi", "fail", "retake", "re-take", "try again"),
    "identification": ("identification", "photo id", "passport", "id"),
    "centre_requirements": ("centre", "center", "paperwork"),
    "assessment_method": ("how is it assessed", "how am i assessed", "assessment method", "portfolio",
                          "exam", "exams", "test", "tests", "at work", "naturally occurring", "workplace",
                          "knowledge criteria"),
}

# ask_qualification_info: aspect -> words
QUAL_ASPECTS: dict[str, tuple[str, ...]] = {
    "status": ("withdrawn", "still running", "still available", "enrol", "register", "registration", "sign up",
               "start it", "still valid", "closed", "end date", "last date", "still open", "discontinued",
               "expire", "status", "draft", "final version", "version"),
    "dates": ("date", "dates", "when", "start", "operational", "certification"),
    "credits": ("credit", "how many units", "units do i need", "rule of combination", "rules of combination",
                "structure", "mandatory", "compulsory", "optional group", "units altogether", "units in total"),
    "glh": ("glh", "guided learning", "guided hours"),
    "tqt": ("tqt", "total qualification time", "how long", "hours"),
    "age": ("age", "how old", "16", "18", "young", "year old"),
    "entry": ("entry", "requirement", "prerequisite", "pre-requisite", "before i start", "need to have",
              "literacy"),
    "grading": ("grade", "graded", "grading", "merit", "distinction", "pass", "fail"),
    "assessment": ("assessed", "exam", "exams", "portfolio", "test", "tests", "how is it assess"),
    "progression": ("progress", "next", "after this", "go on", "afterwards", "career", "job", "jobs"),
    "number": ("qualification number", "qan", "number", "code", "reference"),
    "level": ("level",),
}


def topics_in(text: str, vocabulary: dict[str, tuple[str, ...]]) -> list[str]:
    """Keys of `vocabulary` whose words occur in text, in vocabulary order."""
    low = text.lower()
    return [key for key, words in vocabulary.items() if any(_has(low, w) for w in words)]


def _has(low: str, word: str) -> bool:
    tail = r"(?![a-z])" if len(word) <= 4 else ""
    return re.search(rf"(?<![a-z]){re.escape(word)}{tail}", low) is not None


_GROUP = re.compile(r"(?i:\bgroups?)\s+([A-Za-z])\b|\b([A-Z])\s+(?i:group)\b|(?i:\band)\s+([A-Za-z])\b(?=[^.?!]*$)")


def group_letters(text: str) -> list[str]:
    """Group letters in order: "group B", "B group", "groups a and b" -> ["A", "B"]."""
    letters = []
    for m in _GROUP.finditer(text):
        if m.group(3) and not letters:
            continue  # "... and b" only continues a list of groups
        letter = (m.group(1) or m.group(2) or m.group(3)).upper()
        if letter not in letters:
            letters.append(letter)
    return letters


def group_letter(text: str) -> str | None:
    letters = group_letters(text)
    return letters[0] if letters else None


_AMOUNT_FOR_GROUP = re.compile(r"\b(more than|over|less than|under|at least|at most)?\s*(\d{1,3})\s*(?:credits?|credit "
                               r"points?|cp)?\s*(?:from|in|of|out of)\s+(?:optional\s+|the\s+)?group\s+([A-Za-z])\b",
                               re.I)


_NONE_FROM_GROUP = re.compile(r"\b(?:none|nothing|no\s+(?:units?|credits?)|zero)\s+(?:at\s+all\s+)?(?:from|in|of)\s+"
                              r"(?:optional\s+|the\s+)?group\s+([A-Za-z])\b", re.I)
_ALL_FROM_GROUP = re.compile(r"\ball\s+(?:of\s+)?(?:my\s+|the\s+)?(?:optional\s+|option\s+)?(?:credits?|credit\s+points?|"
                             r"units?)\s+(?:from|in)\s+(?:optional\s+|the\s+)?group\s+([A-Za-z])\b", re.I)
_UNITS_FOR_GROUP = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six)\s+units?\s+(?:from|in|of|out of)\s+"
                              r"(?:optional\s+|the\s+)?group\s+([A-Za-z])\b", re.I)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def all_optional_from(text: str) -> str | None:
    """The group a learner asks to take all their optional credits from ("all my optional credits from group A")."""
    m = _ALL_FROM_GROUP.search(text)
    return m.group(1).upper() if m else None


def group_unit_amounts(text: str) -> dict[str, int]:
    """Units asked about per group: "can I do 3 units from group D" -> {"D": 3}."""
    return {m.group(2).upper(): int(_NUMBER_WORDS.get(m.group(1).lower(), m.group(1)))
            for m in _UNITS_FOR_GROUP.finditer(text)}


def group_amounts(text: str) -> dict[str, int]:
    """Credits asked about per group: "16 credits from group C and 7 from group D" -> {"C": 16, "D": 7};
    "more than 7 credits from group D" -> {"D": 8}; "none from group B" -> {"B": 0}."""
    out = {m.group(1).upper(): 0 for m in _NONE_FROM_GROUP.finditer(text)}
    for m in _AMOUNT_FOR_GROUP.finditer(text):
        n = int(m.group(2))
        qualifier = (m.group(1) or "").lower()
        out[m.group(3).upper()] = n + 1 if qualifier in ("more than", "over") else n - 1 if qualifier in (
            "less than", "under") else n
    return out


_UNIT_LEVEL = re.compile(r"\blevel\s*(\d)\s+(?:units?|ones?)\b|\b(?:units?|ones?)\s+(?:are\s+|at\s+|of\s+)*level\s*(\d)\b"
                         r"|\bare\s+(?:at\s+)?level\s*(\d)\b", re.I)


def unit_level(text: str) -> int | None:
    """A unit level asked for ("which units are level 3", "the level 8 units"), not a qualification's level."""
    m = _UNIT_LEVEL.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


def wants_mandatory(text: str) -> bool:
    return bool(re.search(r"\bmandatory|compulsory|required units|must do\b", text, re.I))


def wants_optional(text: str) -> bool:
    return bool(re.search(r"\boptional|option units|choices?\b", text, re.I))


# "30 credits from group B" is an amount; "unit 406 credits?" asks a unit's credits
_CREDITS = re.compile(r"(?<!unit )(?<!unit)\b(\d{1,3})\s*(?:credits?|credit points?|cp)\b", re.I)


def credit_amount(text: str) -> int | None:
    m = _CREDITS.search(text)
    return int(m.group(1)) if m else None


_LEAD_IN = re.compile(r"^\s*(?:(?:so|ok|okay|and|but|hmm+)\b[,]*\s*)*(?:what\s+(?:if|about|happens\s+if|would\s+"
                      r"(?:change|happen)\s+if)|would\s+it\s+(?:still\s+)?(?:work|add\s+up|be\s+ok(?:ay)?)\s+if|"
                      r"would\s+it\s+be\s+ok(?:ay)?\s+to|would|if|say|suppose|imagine|could|can|should)?\s*(?:i\b)?\s*", re.I)
_TAIL_OUT = re.compile(r"\s*(?:,|\bthen\b|\bwill i still (?:pass|finish|complete)\b|\bwould (?:that|it) "
                       r"(?:still )?(?:work|be ok(?:ay)?|count)\b|\bwhat happens\b|\bdoes that (?:help|work)\b|"
                       r"\bis that (?:ok(?:ay)?|allowed|fine)\b|\b(?:to|on|from|in) my plan\b|\binstead\b|\bchange anything\b|"
                       r"\bwork\b\s*$|"
                       r"\bas well\b|\btoo\b|\bto me\b)+.*$|[?.!]+$", re.I)
_INSTEAD = re.compile(r"(?P<new>.+?)\s+(?:instead of|rather than|in place of)\s+(?P<old>.+)", re.I)
_AND_NOT = re.compile(r"(?P<new>.+?)\s+(?:and|but)\s+not\s+(?P<old>.+)", re.I)
_SWAP_VERB = r"\b(?:swap(?:ped|ping)?|switch(?:ed|ing)?|replac(?:e|ed|ing)|chang(?:e|ed|ing)|exchang(?:e|ed|ing)|trad(?:e|ed|ing))"
_SWAP = re.compile(_SWAP_VERB + r"\s+(?!out\b)(?P<old>.+?)\s+(?:for|with)\s+(?P<new>.+)", re.I)
_SWAP_TO = re.compile(_SWAP_VERB + r"\s+(?!out\b)(?P<old>.+?)\s+(?:to|into|by)\s+(?P<new>.+)", re.I)
_DROP = re.compile(r"\b(?:drop(?:ped)?|remov(?:e|ed)|skip(?:ped)?|leave out|left out|took out|take out|without|lose|"
                   r"swap(?:ped)? out|(?:do not|don'?t|didn'?t|did not|not) (?:do|finish|complete|take|pass|bother "
                   r"(?:with|doing)))\s+(?P<old>.+)", re.I)
_ADD = re.compile(r"\b(?:add(?:ed)?|also do|take|took|do|did|include|plus|pick|picked|choose|chose|went for|"
                  r"go for|used?)\s+(?P<new>.+)", re.I)
_VERB = re.compile(r"^\s*(?:i\s+)?(?:(?:also|just|only)\s+)?(?:(?:do|did|take|took|choose|chose|pick|picked|add|"
                   r"added|went for|go for|used|use|have|had)\s+)?(?:both\s+|only\s+)?", re.I)


def _part(text: str | None) -> str | None:
    if text is None:
        return None
    text = _VERB.sub("", _TAIL_OUT.sub("", text)).strip(" ,")
    return text or None


def what_if_parts(text: str) -> tuple[str | None, str | None]:
    """(text naming the units taken out, text naming the units put in) of a what-if question."""
    text = _LEAD_IN.sub("", text.strip(), count=1)
    for pattern in (_INSTEAD, _AND_NOT, _SWAP, _SWAP_TO):
        if m := pattern.search(text):
            return _part(m.group("old")), _part(m.group("new"))
    if m := _DROP.search(text):
        return _part(m.group("old")), None
    if m := _ADD.search(text):
        return None, _part(m.group("new"))
    return None, None
