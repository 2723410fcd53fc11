"""Reading an assessor's message during a discussion: a command, a pasted block of answers, or an answer.

Commands are recognised only when the message is (nearly) nothing but the command, so a learner's
answer that happens to start with "Met the customer ..." stays an answer. Typos are tolerated by
a Damerau-Levenshtein similarity on short messages ("finsh", "puase", "whats lef").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz.distance import DamerauLevenshtein

PHRASES: dict[str, tuple[str, ...]] = {
    "met": ("met", "criterion met", "that's met", "thats met", "mark met", "mark as met", "mark it met",
            "mark it as met", "it's met", "its met", "achieved", "yes met", "met it", "tick", "✅"),
    "not_yet_met": ("not yet met", "not met", "not met yet", "nym", "not yet", "not achieved", "not yet achieved",
                    "mark not yet met", "mark as not yet met", "not yet met it", "❌"),
    "skip": ("skip", "skip it", "skip this", "skip this one", "skip for now", "pass", "move on", "next",
             "next one", "next question", "skip that"),
    "back": ("back", "go back", "previous", "previous one", "prev", "back one", "go back one", "last one",
             "previous question", "go back a question"),
    "remaining": ("what's left", "whats left", "what is left", "what's remaining", "what remains", "remaining",
                  "left", "what's outstanding", "outstanding", "what do we have left", "what have we got left",
                  "what else is left", "what's still to do", "what's left to do", "what's left to cover"),
    "coverage": ("coverage", "show coverage", "show me coverage", "show me the coverage", "show the coverage",
                 "summary", "show summary", "progress", "show progress", "where are we", "how are we doing"),
    "pause": ("pause", "pause it", "pause the discussion", "pause discussion", "stop for now", "take a break",
              "hold on", "let's pause", "lets pause", "stop here for now", "pause for now"),
    "finish": ("finish", "finished", "finish discussion", "finish the discussion", "end", "end discussion",
               "end the discussion", "wrap up", "that's all", "thats all", "we're done", "were done", "all done",
               "finish up", "we are done"),
    "sign": ("sign", "sign off", "sign it", "sign it off", "sign the record", "sign record", "sign now",
             "signoff", "sign-off", "sign the discussion", "sign off the discussion"),
    "help": ("help", "commands", "what can i say", "options", "?", "what can i do"),
    "leave": ("leave", "leave the discussion", "exit", "exit the discussion", "close", "close the discussion",
              "quit", "bye", "done here", "i'm done here", "back to the menu", "stop the discussion"),
    "export": ("export", "export the record", "export record", "export it", "download the record",
               "export the discussion", "pdf", "csv", "json", "export as pdf", "get the record"),
    "resume": ("resume", "carry on", "continue", "where were we", "resume the discussion"),
}
# short words where a one-letter slip would be another word; only these exact typos count
EXACT_TYPOS = {"mte": "met", "emt": "met", "mett": "met", "mte.": "met"}

REF = r"(?:(?:ac|a\.c\.)\s*)?\d+\s*\.\s*\d+|p\.?\s?c\.?\s*\d+|k\s*(?:&|and)?\s*u\s*\d+"
UNIT = r"[a-z]/\d{3}/\d{4}|\d{3}(?:/\d{3})?|[a-z]{4,6}\d{1,3}"
_GOTO = re.compile(
    rf"^(?:(?:let'?s\s+)?(?:go|got|og|goto|gto|jump|move|skip|switch|take\s+me|head|turn|open|do|back|return)"
    rf"(?:\s+back)?(?:\s+to|\s+on\s*to)?\s+)?(?:(?:unit\s+)?(?P<unit1>{UNIT})\s*,?\s+)?"
    rf"(?:criterion\s+|question\s+)?(?P<ref>{REF})(?:\s+(?:in|of|for|on|from)\s+(?:unit\s+)?(?P<unit2>{UNIT}))?$")
_GOTO_WORDS = re.compile(r"^(?:let'?s\s+)?(?:go|jump|move|switch|head|turn|back|return|take\s+me)(?:\s+back)?"
                         r"\s+(?:on\s*)?to\s+(?P<rest>the\s.+)$")
_CHANGE = re.compile(
    r"^(?:change|chnage|chagne|chang|edit|amend|update|correct|fix|redo|replace|rewrite)\s+"
    r"(?:(?:my|the|our|that)\s+)?(?P<word>answer|answr|anwser|awnser|response|notes?|text)?\s*"
    rf"(?:(?:to|for|on|of|at)\s+)?(?P<ref>{REF})?(?:\s+(?:in|of|for)\s+(?:unit\s+)?(?P<unit>{UNIT}))?"
    r"\s*(?:[:\-–]\s*|\s+to\s*:?\s+|\s+)?(?P<text>.*)$", re.DOTALL)
_LABEL = re.compile(rf"(?:^|(?<=\s))(?P<ref>{REF})\s*[:\-–)]\s", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*[:;,]\s*|\s+[-–—]\s+|\s+(?:because|as|since|cos|coz|bc|reason:?)\s+", re.IGNORECASE)


@dataclass(slots=True)
class Command:
    kind: str  # a key of PHRASES, or "goto", "change", "paste", "answer", "ambiguous"
    ref: Optional[str] = None
    unit: Optional[str] = None
    text: Optional[str] = None  # the reason, the new answer, or the answer itself
    items: list[tuple[str, str]] = field(default_factory=list)  # paste: (ref, text) in order
    about: Optional[str] = None  # the criterion named by words of its text ("the complaints one")


def clean(text: str) -> str:
    """Straight quotes, single spaces, trimmed; case kept (answers and reasons are stored as typed)."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", t).strip()


def normalise(text: str) -> str:
    return clean(text).lower()


def _bare(text: str) -> str:
    return normalise(text).strip(" .!?\"'") or normalise(text)


def _lower(c: str) -> str:
    """Lower case of the same length, so positions found in it can slice the original."""
    low = c.lower()
    return low if len(low) == len(c) else c


def phrase_kind(text: str) -> Optional[str]:
    """Which command a whole short message is, allowing small typos; None if none."""
    if len(text) > 80:  # commands are short; and a 50 kB paste must not be fuzzy-compared
        return None
    t = _bare(text)
    if not t or len(t.split()) > 7:
        return None
    if t in EXACT_TYPOS:
        return EXACT_TYPOS[t]
    best, best_score = None, 0.0
    for kind, phrases in PHRASES.items():
        for p in phrases:
            if t == p:
                return kind
            if len(p) < 4 or len(t) < 4:
                continue
            score = DamerauLevenshtein.normalized_similarity(t, p)
            if score > best_score:
                best, best_score = kind, score
    threshold = 0.75 if len(t) <= 6 else 0.8
    return best if best_score >= threshold else None


def _decision(c: str) -> Optional[Command]:
    """'met', 'met: good example', 'not yet met - no example given', 'not met because ...', 'skip: later'."""
    low = _lower(c)
    kind = phrase_kind(low)
    if kind in ("met", "not_yet_met"):
        return Command(kind)
    m = _SEPARATORS.search(low)
    if m and len(low[:m.start()].split()) <= 5:
        kind = phrase_kind(low[:m.start()])
        if kind in ("met", "not_yet_met", "skip"):
            return Command(kind, text=c[m.end():].strip() or None)
    m = re.match(r"^(not yet met|nym)\s+(?=\S)", low)
    if m:
        return Command("not_yet_met", text=c[m.end():].strip())
    return None


# Words around a decision that carry no meaning of their own: "so I think that one's met for 1.2".
_LEAD = re.compile(r"^(?:(?:ok|okay|right|yes|yeah|yep|so|and|then|great|good|fine|cool|alright|i think|i'd say|"
                   r"i would say|i'll|i will|i reckon|i'm happy|i am happy|i'd call|i'll call)\b[,.!]?\s*)+")
_FILLER = {"mark", "marked", "put", "that", "that's", "thats", "this", "it", "it's", "its", "one", "one's", "as",
           "is", "a", "an", "the", "for", "down", "criterion", "ac", "she's", "he's", "they've", "they're", "she",
           "he", "they", "has", "have", "been", "definitely", "fully", "clearly", "also", "too", "then", "please",
           "call", "we'll", "we", "can", "say", "happy",
           "that's", "me", "let's", "lets", "give", "we're", "so", "now", "all", "good", "ok", "okay", "oh",
           "actually", "sorry", "no", "make", "to", "be", "go", "with", "at", "just", "record", "recorded", "well"}
_MET = {("met",), ("achieved",), ("tick",), ("tick", "off"), ("ticked",), ("ticked", "off"), ("pass",), ("passed",),
        ("sorted",), ("met", "off"), ("tick", "met"), ("yes", "met"), ("✅",), ("covered", "met")}
_NOT_YET = {("not", "yet"), ("not", "yet", "met"), ("not", "met"), ("nym",), ("not", "achieved"), ("not", "there", "yet"),
            ("not", "met", "yet"), ("not", "yet", "achieved"), ("hasn't", "met"), ("hasn't", "met", "yet"),
            ("hasnt", "met"), ("hasnt", "met", "yet"), ("haven't", "met", "yet"), ("isn't", "met"), ("❌",),
            ("not", "quite"), ("not", "yet", "there"), ("not", "yet", "for")}
_DECISION_WORD = re.compile(r"\b(?:met|nym|tick(?:ed)?|not yet)\b")
_REF_IN = re.compile(rf"(?:^|(?<=[\s(]))(?P<ref>{REF})(?=$|[\s,.:;!?)'])", re.IGNORECASE)
_UNIT_IN = re.compile(rf"\b(?:in|of|for|on)\s+unit\s+(?P<unit>{UNIT})\b|\bunit\s+(?P<unit2>{UNIT})\b", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*[:;,]\s*|\s+[-–—]\s+|\.\s+|\s+(?:because|as|since|cos|coz|bc|but|reason:?)\s+",
                     re.IGNORECASE)


# A criterion named by words of its text: "the one about body language", "the complaints one",
# "segmentation one is a not yet" (tried in this order).
_END = r"(?=\s+(?:is|as|was|has|are|-)\b|'s\b|\s*[:,;]|$)"
_ABOUT = (
    re.compile(r"\bthe\s+(?:one|criterion|ac|bit|question|point)\s+(?:that's\s+|that\s+is\s+)?"
               r"(?:about|on|for|re|regarding|covering|around|with)\s+(?P<about>[a-z][a-z' -]*?)" + _END),
    re.compile(r"\bthe\s+(?P<about>[a-z][a-z' -]*?)\s+(?:one|criterion|ac|bit|question)(?:'s)?(?=$|[\s,.:;!?])"),
    re.compile(r"^(?P<about>[a-z][a-z' -]*?)\s+(?:one|criterion|ac|bit|question)(?:'s)?(?=$|[\s,.:;!?])"),
)
# "the first one", "the same one" say where, not what
_NOT_ABOUT = {"first", "last", "next", "previous", "same", "other", "current", "second", "third", "final",
              "that", "this", "met", "not", "yet", "nym", "tick", "ticked", "achieved", "skip"}


def _about(low: str) -> tuple[str, Optional[str]]:
    """The clause without the words naming a criterion, and those words ("complaints")."""
    for pattern in _ABOUT:
        m = pattern.search(low)
        if m is None:
            continue
        about = m.group("about").strip(" '-")
        said = re.findall(r"[a-z']+", about)
        # "yes that one", "met for that one": only words that describe, and no decision among them
        if (not said or len(said) > 6 or any(w in _NOT_ABOUT for w in said)
                or not [w for w in said if w not in _FILLER and not _LEAD.match(w)]):
            continue
        return (low[:m.start()] + " " + low[m.end():]).strip(), about
    return low, None


def _clause_outcome(clause: str) -> tuple[Optional[str], Optional[str], Optional[str], Optional[str]]:
    """(outcome, ref, unit, about) when a short clause is nothing but a decision, e.g. "1.2 is a not yet",
    "mark that one as met", "tick it off", "met for 2.1 in unit 207", "the complaints one is met";
    else (None, ...)."""
    low = _lower(clean(clause)).strip(" .!?\"'")
    if not low or len(low.split()) > 12:
        return None, None, None, None
    unit = None
    m = _UNIT_IN.search(low)
    if m:
        unit = m.group("unit") or m.group("unit2")
        low = (low[:m.start()] + " " + low[m.end():]).strip()
    refs = [r.group("ref") for r in _REF_IN.finditer(low)]
    if len(refs) > 1:
        return None, None, None, None
    low = _REF_IN.sub(" ", low)
    about = None
    if not refs:
        low, about = _about(low)
    low = _LEAD.sub("", low.strip())
    words = tuple(w for w in re.findall(r"[a-z'✅❌]+", low) if w not in _FILLER)
    outcome = "met" if words in _MET else "not_yet_met" if words in _NOT_YET else None
    if outcome is None and len(words) == 1 and phrase_kind(words[0]) in ("met", "not_yet_met"):
        outcome = phrase_kind(words[0])
    if outcome is None:
        return None, None, None, None
    return outcome, (refs[0] if refs else None), unit, about


def _sentence_decision(c: str) -> Optional[Command]:
    """A decision typed as a sentence, with its reason before or after it:
    "1.2 is a not yet, she didn't mention the complaints log", "good example of the log, tick it off".
    A short message that mentions a decision but reads as neither is "ambiguous" (asked about)."""
    parts = [(m.start(), m.end()) for m in _CLAUSE.finditer(c)]
    # the decision may span a separator word ("mark the one about tone as not yet, no example",
    # "that one is met as well, good examples"): the longest opening that is a decision
    found = None
    for start, end in (parts[:3] or [(len(c), len(c))]):
        outcome, ref, unit, about = _clause_outcome(c[:start])
        if outcome:
            found = Command(outcome, ref=ref, unit=unit, text=c[end:].strip(" .") or None, about=about)
    if found is not None:
        return found
    if parts:
        last_start, last_end = parts[-1]
        outcome, ref, unit, about = _clause_outcome(c[last_end:])
        if outcome and not _LABEL.match(c):
            reason = c[:last_start].strip(" .")
            return Command(outcome, ref=ref, unit=unit, text=reason or None, about=about)
    low = _lower(c)
    if len(low.split()) <= 8 and _DECISION_WORD.search(low) and (
            _REF_IN.search(low) or re.search(r"\b(?:that|this|mark|tick|it's|its|that's|thats)\b", low)):
        return Command("ambiguous", text=c)
    return None


# An answer addressed to a criterion: "for 1.3 she said ...", "on the complaints one, she logs them",
# "for the one about the complaints log she said ...". After words of a criterion's text the answer starts
# at a mark (":", ",", "-") or at the learner as its subject ("she said", "they", "the learner").
_TO = r"^(?:(?:ok|okay|right|so|and|now|then)[,.]?\s+)?"
_FOR = r"(?:for|on|about|re|regarding|under|with|to)\s+"
_MARK = r"(?:\s*[:;,\-–—]\s*|\.\s+)"
_SUBJECT = r"\s+(?=(?:she|he|they|the\s+learner|learner|the\s+candidate|candidate|i|we|her|his|their)\b)"
_ADDRESSED = (
    re.compile(_TO + _FOR + rf"(?:criterion\s+|question\s+)?(?P<ref>{REF})(?:\s+(?:in|of|for)\s+unit\s+(?P<unit>{UNIT}))?"
               rf"(?:{_MARK}|\s+)(?P<text>\S.*)$", re.IGNORECASE | re.DOTALL),
    re.compile(_TO + f"(?:{_FOR})?" + r"the\s+(?:one|criterion|ac|bit|question|point)\s+(?:that's\s+|that\s+is\s+)?"
               r"(?:about|on|for|re|regarding|covering|around|with)\s+(?P<about>[a-z][a-z' -]*?)"
               rf"(?:{_MARK}|{_SUBJECT})(?P<text>\S.*)$", re.IGNORECASE | re.DOTALL),
    re.compile(_TO + _FOR + r"the\s+(?P<about>[a-z][a-z' -]*?)\s+(?:one|criterion|ac|bit|question)"
               rf"(?:{_MARK}|\s+)(?P<text>\S.*)$", re.IGNORECASE | re.DOTALL),
    re.compile(_TO + r"the\s+(?P<about>[a-z][a-z' -]*?)\s+(?:one|criterion|ac|bit|question)"
               rf"{_MARK}(?P<text>\S.*)$", re.IGNORECASE | re.DOTALL),
)


def _addressed(c: str) -> Optional[Command]:
    """An answer that names its criterion first, by number or by words of its text; the answer is
    what follows the naming, as typed."""
    for pattern in _ADDRESSED:
        m = pattern.match(c)
        if m is None:
            continue
        text = m.group("text").strip()
        if "ref" in pattern.groupindex:
            return Command("answer", ref=m.group("ref"), unit=m.group("unit"), text=text)
        about = m.group("about").strip(" '-")
        said = re.findall(r"[a-z']+", about.lower())
        if said and len(said) <= 6 and not any(w in _NOT_ABOUT for w in said):
            return Command("answer", text=text, about=about)
    return None


def _paste(c: str) -> Optional[Command]:
    """A block that starts with a criterion label: '1.1: ... 1.2: ...' (inline or one per line)."""
    labels = list(_LABEL.finditer(c))
    if not labels or labels[0].start() != 0:
        return None
    items = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(c)
        items.append((m.group("ref"), c[m.end():end].strip()))
    return Command("paste", items=items)


def parse(text: str) -> Command:
    """What the message is. Newlines are kept only for answers (a pasted block keeps its layout)."""
    c = clean(text)
    low = _lower(c)
    outcome, ref, unit, about = _clause_outcome(c) if len(c) <= 120 else (None, None, None, None)
    if outcome:  # the whole message is a decision: "mark that one as met", "1.3 is met"
        return Command(outcome, ref=ref, unit=unit, about=about)
    decision = _decision(c)
    if decision is not None:
        return decision
    kind = phrase_kind(low)
    if kind is not None:
        return Command(kind)
    m = _GOTO.match(_bare(c))
    if m is None and len(c) <= 300 and not _LABEL.match(c):
        sentence = _sentence_decision(c)
        if sentence is not None:
            return sentence
    if m:
        return Command("goto", ref=m.group("ref"), unit=m.group("unit1") or m.group("unit2"))
    m = _GOTO_WORDS.match(_bare(c))
    if m:
        rest, about = _about(m.group("rest"))
        if about and not rest.strip(" .!?"):
            return Command("goto", about=about)
    m = _CHANGE.match(low)
    if m and (m.group("word") or m.group("ref")):
        new_text = c[m.start("text"):].strip()
        return Command("change", ref=m.group("ref"), unit=m.group("unit"), text=new_text or None)
    paste = _paste(text.strip().replace("’", "'"))
    if paste is not None and len(paste.items) == 1:  # "1.3: she answers within three rings"
        return Command("answer", ref=paste.items[0][0], text=paste.items[0][1])
    if paste is not None:
        return paste
    return _addressed(text.strip()) or Command("answer", text=text.strip())
