"""Searching the specification texts themselves (issue 13, pattern 5), for a question no structured answer fits.

Each specification in catalogue/sources/ is cut into passages (paragraphs; a heading, or a sentence ending
in ':', stays with what follows it) and ranked with BM25 (rank_bm25). The answer is the passage itself,
its specification and its line numbers; when no passage shares enough of the question's words, the
answer says so and names what was searched. Nothing is paraphrased, so nothing can be invented.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from bot.domain.replies import MAX_REPLY_CHARS
from catalogue.model import Citation
from catalogue.parsers import SOURCES_DIR

from . import cite
from .resolve import without_qualification

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# words that say nothing about what is asked (question words, chatter, what every specification is about)
_STOP = set("""a an the and or of to in on for at by with from as is are was were be been being it its this that these
those there their they them you your yours i me my mine we our us he she his her do does did doing done can could may
might must shall should will would have has had what whats which who whom whose when where why how any some all
each every no not yes so if then than too very just also only about into over under up down out off again more most
other such own same s t don doesn isn aren wasn tell know please pls need needs get got give say says said use used
using want wants like much many lot one ok okay hi hello thanks thank there's here's customer service qualification
qualifications unit units spec specification learner learners anything something info information details
detail overview summary facts fact rule rules cert certs qual quals dip""".split())
MIN_SHARED = 2  # distinct question words a passage must hold (fewer only for a rare word, see search())
RARE = 3  # a word in at most this many passages of a specification says on its own where to look
COVER = 0.5  # the share of the question's weight (rarer words weigh more) a passage must hold
_HEADING_WORDS = 10
_SENTENCE_WORDS = 8


@dataclass(frozen=True, slots=True)
class Passage:
    source_id: str
    line: int  # 1-based, first line of the passage
    end_line: int
    text: str
    numbers: tuple[int, ...] = ()  # the source line of each line of text

    def line_of(self, index: int) -> int:
        return self.numbers[index] if index < len(self.numbers) else self.line

    @property
    def citation(self) -> Citation:
        return Citation(self.source_id, self.line, self.end_line)


def _stem(word: str) -> str:
    """A crude suffix cut so 'assessors'/'assessor', 'simulated'/'simulation' meet; never shown to anyone."""
    for suffix, keep in (("ations", 4), ("ation", 4), ("ments", 4), ("ment", 4), ("ings", 4), ("ing", 4),
                         ("ies", 3), ("ed", 4), ("es", 4), ("s", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def terms(text: str) -> list[str]:
    """The searchable words of a text: lower case, no stopwords, stemmed."""
    words = (w.split("'")[0] for w in _WORD.findall(text.lower().replace("’", "'")))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def _is_heading(text: str) -> bool:
    return len(text.split()) <= _HEADING_WORDS and not text.rstrip().endswith((".", ";", ",")) and "\n" not in text


def split_passages(source_id: str, text: str) -> list[Passage]:
    """Paragraphs with their line numbers; a heading or a lead-in ending in ':' joins the next paragraph."""
    paragraphs: list[list[tuple[int, str]]] = []
    buf: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip():
            buf.append((number, line.strip()))
        elif buf:
            paragraphs.append(buf)
            buf = []
    passages: list[Passage] = []
    carry: list[tuple[int, str]] = []
    for para in paragraphs:
        joined = "\n".join(t for _, t in para)
        lead_in = (_is_heading(joined) or joined.endswith(":")) and len(joined) < MAX_REPLY_CHARS // 2
        para = carry + para
        carry = []
        if lead_in:  # headings in a row stay together with the paragraph after them
            carry = para
            continue
        passages.append(_passage(source_id, para))
    if carry:
        passages.append(_passage(source_id, carry))
    return [p for p in passages if not _is_contents(p.text)]


_NUMBERED = re.compile(r"^-?\s*\d+(?:\.\d+)*\s+[A-Z]")


def _is_contents(text: str) -> bool:
    """A contents page (numbered headings, no sentence) is not an answer to anything."""
    lines = text.splitlines()
    if any(len(line.split()) >= _SENTENCE_WORDS for line in lines):
        return False
    return sum(bool(_NUMBERED.match(line)) for line in lines) >= 0.6 * len(lines)


def _passage(source_id: str, lines: list[tuple[int, str]]) -> Passage:
    return Passage(source_id, lines[0][0], lines[-1][0], "\n".join(t for _, t in lines), tuple(n for n, _ in lines))


class Index:
    """One specification's passages and their BM25 ranking."""

    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self.terms = [set(terms(p.text)) for p in passages]
        self.bm25 = BM25Okapi([terms(p.text) or ["-"] for p in passages])
        self.frequency: dict[str, int] = {}
        for found in self.terms:
            for term in found:
                self.frequency[term] = self.frequency.get(term, 0) + 1

    def weight(self, words) -> float:
        """How much these words say: a word no passage uses says the most ("dog" in "bring my dog")."""
        n = len(self.passages)
        return sum(math.log((n + 1) / (self.frequency.get(w, 0) + 0.5)) for w in set(words))


def index(cat, source_id: str) -> Index:
    key = f"answers.passages.{source_id}"
    found = cat.cache.get(key)
    if found is None:
        doc = cat.source(source_id)
        found = Index(split_passages(source_id, (SOURCES_DIR / doc.file).read_text(encoding="utf-8")))
        cat.cache[key] = found
    return found


def query_terms(text: str) -> list[str]:
    """The words of a question that a passage must share: its qualification's name cut out."""
    return list(dict.fromkeys(terms(without_qualification(text))))


def search(cat, text: str, source_ids: list[str], limit: int = 2) -> list[Passage]:
    """The passages of these specifications that best answer `text`, best first; [] when none shares
    enough of its words: MIN_SHARED distinct words, or (for a question of one or two words) one that few
    passages use."""
    words = query_terms(text)
    if not words:
        return []
    scored: list[tuple[float, int, Passage]] = []
    for sid in source_ids:
        idx = index(cat, sid)
        for i, score in enumerate(idx.bm25.get_scores(words)):
            shared = idx.terms[i] & set(words)
            rare = len(words) <= 2 and any(idx.frequency[t] <= RARE for t in shared)
            if (len(shared) >= MIN_SHARED or rare) and score > 0 and idx.weight(shared) >= COVER * idx.weight(words):
                scored.append((score, len(shared), idx.passages[i]))
    scored.sort(key=lambda s: (-s[1], -s[0]))  # the most question words first, then BM25
    return [p for _, _, p in scored[:limit]]


def _clip(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[:room].rsplit(" ", 1)[0].rstrip(" ,;:-") + " …"


def answer_sections(cat, text: str, source_ids: list[str], evidence: bool = False) -> list[tuple[str, str]] | None:
    """The best passage quoted with its source and lines, or None when nothing matched; `evidence`: open
    with a verdict on whether what was asked is named."""
    found = search(cat, text, source_ids, limit=1)
    if not found:
        return None
    p = found[0]
    lead = f"The {cite.title(cat, p.source_id)} says this ({cite.lines([p.citation])}):"
    if evidence:
        lead = f"{evidence_verdict(cat, text, p)}\n{lead}"
    body = _clip(p.text, MAX_REPLY_CHARS - len(lead) - 4)
    return [(f"{lead}\n{body}", cite.cite(cat, [p.citation]))]


def nothing_found(cat, text: str, source_ids: list[str]) -> tuple[str, str]:
    """What was searched, when no passage answers the question."""
    names = ", ".join(cite.title(cat, s) for s in source_ids)
    words = ", ".join(f'"{w}"' for w in query_terms(text)[:6]) or "the words of your question"
    return (f"I couldn't find that in the {names}: none of its passages mentions {words} together, so the "
            f"specification does not state it. Your assessor or centre may know more.",
            "; ".join(cite.name(cat, s) for s in source_ids))


def sources_for(cat, text: str, entities: dict[str, list[str]], source_id: str | None) -> list[str]:
    """The specifications to search: the one the message names, else the learner's, else all of them."""
    from .resolve import qualifications

    named = [h.source_id for h in qualifications(cat, text, entities) if not h.weak]
    return named[:1] or ([source_id] if source_id else list(cat.sources))


def ask(cat, text: str, entities: dict[str, list[str]], ctx, page: int = 1):
    """A question no structured answer fits: the passage that answers it, or what was searched."""
    from .context import Answer
    from .format import paged

    sources = sources_for(cat, text, entities, ctx.source_id)
    sections = answer_sections(cat, text, sources) or [nothing_found(cat, text, sources)]
    return Answer(paged(sections, intent="search_specification", message=text, page=page))


# a passage that forbids something may forbid what was asked; one with a condition allows it on that condition
_FORBIDS = re.compile(r"\b(?:must not|mustn't|cannot|can't|may not|not (?:be )?(?:allowed|permitted|accepted)|never|"
                      r"prohibited)\b", re.I)
_CONDITION = re.compile(r"\b(?:where|if|unless|only|provided|not)\b", re.I)
_EVIDENCE_WORDS = {"evidenc", "use", "portfolio"}


def evidence_verdict(cat, text: str, passage: Passage) -> str:
    """The verdict that opens an evidence answer drawn from a passage (issue 13, pattern 7): yes when the
    passage names what was asked with no condition against it, else that it is named with conditions."""
    asked = set(query_terms(text)) - _EVIDENCE_WORDS
    lines = passage.text.splitlines()
    scores = [len(set(terms(line)) & asked) for line in lines]
    best = max(range(len(lines)), key=lambda i: scores[i]) if lines else 0
    whose = cite.title(cat, passage.source_id)
    if not lines or not scores[best]:
        return f"*Not stated* in those words: the closest passage of the {whose} is below."
    line = lines[best].lstrip("-• ").strip()
    where = f"line {passage.line_of(best)}"
    named = f"\"{_clip(line, 120)}\" ({where})"
    if _FORBIDS.search(passage.text):
        return f"*Check the conditions*: the {whose} names it, {named}, but also says what must not be done (below)."
    if _CONDITION.search(passage.text):
        return f"*Yes, on the conditions it states*: the {whose} names it, {named}."
    return f"*Yes*, it is listed: the {whose} names \"{_clip(line, 120)}\" ({where})."


# what the unit card already says: a question about only these is answered by the card itself
_CARD = set(terms("credit credits level levels glh guided learning hours criteria criterion outcome outcomes group "
                  "groups mandatory compulsory optional title code number worth value element elements knowledge "
                  "statement statements point points many total mean tell about info also which where what in it "
                  "unit units sfj habc highfield ncfe pearson svq city guilds c&g cg edexcel scqf diploma "
                  "certificate cert pool qualification quals"))


def unit_span(cat, spec) -> tuple[int, int]:
    """The lines of a unit's block in its specification: from its start to the next unit's."""
    starts = sorted(s.line for s in cat.source(spec.source).units)
    later = [line for line in starts if line > spec.line]
    return spec.line, (later[0] - 1 if later else cat.source(spec.source).line_count)


def unit_question_terms(text: str, spec) -> list[str]:
    """What a question about a unit asks beyond its title and its card ("which NOS", "how long is the report")."""
    title = set(terms(spec.title))
    code = set(terms(spec.ref.replace("/", " ")))
    return [w for w in query_terms(text) if w not in title | code and w not in _CARD and not w.isdigit() and len(w) > 2
            or w == "nos"]


def unit_sections(cat, text: str, spec, specs, quiet: bool = False) -> list[tuple[str, str]]:
    """The passage of the unit's own blocks (in every specification holding it) that answers what the
    question asks beyond the card; [] when it asks nothing more; what was searched when nothing matched
    (unless `quiet`: the question is answered already)."""
    asked = unit_question_terms(text, spec)
    if not asked:
        return []
    best: tuple[int, float, Passage] | None = None  # within one unit's text any shared word is a lead
    for other in specs:  # the specification the question names (or the learner's) first
        first, last = unit_span(cat, other)
        idx = index(cat, other.source)
        # the unit's block, and passages elsewhere that name it by code ("... F/502/4396 Bespoke Software ...")
        inside = [i for i, p in enumerate(idx.passages) if first <= p.line <= last or other.ref in p.text]
        scores = idx.bm25.get_scores(asked) if inside else []
        for i in inside:
            shared = len(idx.terms[i] & set(asked))
            if shared and (best is None or (shared, scores[i]) > best[:2]):
                best = (shared, scores[i], idx.passages[i])
        if best is not None:
            break
    if best is None and quiet:
        return []
    if best is None:
        where = "; ".join(f"{cite.name(cat, s.source)}, {cite.lines([Citation(s.source, *unit_span(cat, s))])}"
                          for s in specs)
        words = ", ".join(f'"{w}"' for w in asked[:5])
        return [(f"That is not stated for {spec.title} ({spec.ref}): I searched its unit text "
                 f"({where}) and found nothing on {words}.", "; ".join(cite.name(cat, s.source) for s in specs))]
    p = best[2]
    lead = f"On that, the {cite.name(cat, p.source_id)} says ({cite.lines([p.citation])}):"
    return [(f"{lead}\n{_clip(p.text, MAX_REPLY_CHARS - len(lead) - 4)}", cite.cite(cat, [p.citation]))]
