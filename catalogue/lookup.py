"""Fuzzy lookup: units, criteria, qualifications, evidence types and command verbs as people type them.

Every unit lookup returns ranked candidates with scores (0-100) and an `ambiguous` flag:
when two different units are about as close to the query, the caller must ask which one
is meant rather than pick one ("resolve customers' complaints" and "resolve customers'
problems" are different units). Nothing here raises on odd input; a query that cannot be
read gives an empty result or an error message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from catalogue.model import Criterion, EvidenceType, GlossaryTerm, UnitSpec
from catalogue.text import compact, words

ACCEPT = 70.0  # below this a title match is only a guess: returned, but not as `best`
MARGIN = 5.0  # two different units within this many points of each other are ambiguous
STOPWORDS = {"a", "an", "and", "the", "of", "to", "in", "with", "for", "on", "or", "through", "by", "from", "their",
             "whilst", "when", "at", "as", "using", "and/or"}


@dataclass(slots=True)
class UnitMatch:
    ref: str
    title: str  # the spelling that matched (or the unit's title)
    score: float
    how: str  # "ref" | "number" | "title" | "initials"
    source: Optional[str] = None  # the source whose number or spelling matched
    number: Optional[str] = None


@dataclass(slots=True)
class UnitLookup:
    query: str
    results: list[UnitMatch] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def best(self) -> Optional[UnitMatch]:
        """The match to act on: None when there is none, it is a weak guess, or it is ambiguous."""
        if not self.results or self.ambiguous or self.results[0].score < ACCEPT:
            return None
        return self.results[0]

    @property
    def candidates(self) -> list[UnitMatch]:
        """The matches a clarifying question should offer (all those close to the top)."""
        if not self.results:
            return []
        top = self.results[0].score
        return [m for m in self.results if m.score >= top - MARGIN]


# --- index ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Index:
    refs: dict[str, str]  # compact ref -> ref
    ref_keys: list[str]
    numbers: dict[str, dict[str, str]]  # source -> normalised number -> ref
    numbers_raw: dict[tuple[str, str], str]  # (source, ref) -> number as printed
    title_keys: list[str]  # distinct words(title) keys: the choices
    title_of: list[list[tuple[str, str, str]]]  # per choice: (ref, title as written, source) having that key
    initials: dict[str, set[str]]  # initials of significant title words -> refs
    in_source: dict[str, set[str]]  # source -> refs
    vocab: list[str]  # stems of the significant words of all titles
    choices_with: dict[str, list[int]]  # stem -> choices whose title has it


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "er", "ies", "es", "ed", "s", "e")


def _stem(word: str) -> str:
    """A light suffix stripper, so "organise"/"organisation" and "manage"/"management" meet."""
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
    return word


def _norm_number(n: str) -> str:
    return str(int(n)) if n.isdigit() else n


def _initials(title: str) -> str:
    return "".join(w[0] for w in words(title).split() if w not in STOPWORDS)


def _index(cat) -> _Index:
    idx = cat.cache.get("lookup")
    if idx is None:
        refs = {compact(r): r for r in cat.units}
        numbers: dict[str, dict[str, str]] = {}
        numbers_raw = {}
        keys: list[str] = []
        owners: list[list[tuple[str, str, str]]] = []
        position: dict[str, int] = {}
        initials: dict[str, set[str]] = {}
        in_source = {}
        for doc in cat.sources.values():
            in_source[doc.id] = {u.ref for u in doc.units}
            for u in doc.units:
                if u.number:
                    numbers_raw[(doc.id, u.ref)] = u.number
                    for part in u.number.split("/"):
                        numbers.setdefault(doc.id, {})[_norm_number(part.strip())] = u.ref
                for title in [u.title, *u.title_variants]:
                    key = words(title)
                    if key not in position:
                        position[key] = len(keys)
                        keys.append(key)
                        owners.append([])
                    if not any(o[0] == u.ref and o[2] == doc.id for o in owners[position[key]]):
                        owners[position[key]].append((u.ref, title, doc.id))
                    ini = _initials(title)
                    if len(ini) >= 3:
                        initials.setdefault(ini, set()).add(u.ref)
        choices_with: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            for w in set(key.split()) - STOPWORDS:
                choices_with.setdefault(_stem(w), []).append(i)
        idx = _Index(refs, list(refs), numbers, numbers_raw, keys, owners, initials, in_source, list(choices_with),
                     choices_with)
        cat.cache["lookup"] = idx
    return idx


# --- units --------------------------------------------------------------------------------

_URNISH = re.compile(r"^[A-Z]?\d{6,8}$")
_SQAISH = re.compile(r"^CFA?[A-Z]{1,4}\d{1,3}$|^CS[A-Z]\d{1,3}$")
_NUMBER = re.compile(r"^(?:unit|u|no\.?|number|#)?\s*(\d{1,3})(?:\s*/\s*(\d{3}))?$", re.I)
_LEAD = re.compile(r"^(?:the\s+)?(?:(?:unit|urn|uan|ref(?:erence)?|code)\b\s*(?:no\.?|number)?\s*[:#]?\s*)", re.I)


def _title_of(cat, ref: str, source: Optional[str]) -> str:
    unit = cat.units[ref]
    return unit.specs[source].title if source and source in unit.specs else unit.title


def _finish(query: str, matches: list[UnitMatch], limit: int) -> UnitLookup:
    best: dict[str, UnitMatch] = {}
    for m in matches:  # one entry per unit, its best score
        if m.ref not in best or m.score > best[m.ref].score:
            best[m.ref] = m
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.ref))[:limit]
    # Ambiguous: two units close together at the top, neither exact. Weak matches (below
    # ACCEPT) are guesses rather than a choice between units, so they are never ambiguous.
    ambiguous = (len(ranked) > 1 and ranked[0].score >= ACCEPT and ranked[1].score >= ranked[0].score - MARGIN
                 and not (ranked[0].score >= 100.0 > ranked[1].score))
    return UnitLookup(query, ranked, ambiguous)


def _by_ref(cat, idx: _Index, key: str, source: Optional[str]) -> list[UnitMatch]:
    """URN/SQA-code matches allowing up to two edits (typos, transpositions, a missing letter).
    An exact code is found whatever the source (the rules then say whether it belongs);
    near misses prefer the source's own units."""
    if key in idx.refs:
        ref = idx.refs[key]
        return [UnitMatch(ref, _title_of(cat, ref, source), 100.0, "ref", source)]
    out = []
    for k in idx.ref_keys:
        ref = idx.refs[k]
        target = k[1:] if key[:1].isdigit() and k[:1].isalpha() and _URNISH.match(k) else k  # "5062155"
        d = OSA.distance(key, target, score_cutoff=2)
        if d <= 2 and not (d and len(key) < 6):
            out.append(UnitMatch(ref, _title_of(cat, ref, source), 100.0 - 12.0 * d, "ref", source))
    allowed = idx.in_source.get(source) if source else None
    own = [m for m in out if allowed is None or m.ref in allowed]
    return own or out


def _by_number(cat, idx: _Index, number: str, source: Optional[str]) -> list[UnitMatch]:
    """A unit number as printed in a source. With a source, its own numbering wins; failing
    that, another source's number (a C&G "206") counts if that unit is in the source."""
    n = _norm_number(number)
    out = []
    for sid, table in idx.numbers.items():
        if n in table and (source is None or sid == source):
            ref = table[n]
            out.append(UnitMatch(ref, cat.units[ref].specs[sid].title, 100.0, "number", sid,
                                 idx.numbers_raw.get((sid, ref))))
    if source and not out:
        allowed = idx.in_source.get(source, set())
        for sid, table in idx.numbers.items():
            ref = table.get(n)
            if ref in allowed:
                out.append(UnitMatch(ref, cat.units[ref].specs[sid].title, 90.0, "number", sid,
                                     idx.numbers_raw.get((sid, ref))))
    return out


# Words people use for a unit that its title does not: "difficult customers" is the
# "challenging customers" unit. Matching only; titles are never rewritten.
SYNONYMS = {"difficult": "challenging", "awkward": "challenging", "angry": "challenging", "phone": "telephone",
            "phoning": "telephone", "info": "information", "cust": "customer", "custs": "customers",
            "h&s": "health and safety", "comms": "communication", "upselling": "promote additional",
            "upsell": "promote additional", "cross selling": "promote additional", "e&d": "equality and diversity"}
_FILLER = re.compile(r"\b(?:units?|modules?|the one (?:about|on)|about|one)\b", re.I)


def _query_words(text: str) -> str:
    q = words(_FILLER.sub(" ", text)) or words(text)
    return " ".join(SYNONYMS.get(w, w) for w in q.split())


def _by_title(cat, idx: _Index, text: str, source: Optional[str]) -> list[UnitMatch]:
    q = _query_words(text)
    if not q or set(q.split()) <= STOPWORDS:  # "the" names no unit, however many titles hold it
        return []
    allowed = idx.in_source.get(source) if source else None
    scores = [0.0] * len(idx.title_keys)
    for scorer, weight in ((fuzz.ratio, 1.0), (fuzz.token_sort_ratio, 1.0), (fuzz.token_set_ratio, 0.9)):
        for _, s, i in process.extract(q, idx.title_keys, scorer=scorer, limit=None, score_cutoff=50):
            s *= weight
            if s > scores[i]:
                scores[i] = s
    # Word coverage: each significant query word against its closest title word, averaged
    # ("diary management" ~ "Manage diary systems"; "organise an event" ~ "... organisation of an event").
    qwords = [w for w in q.split() if w not in STOPWORDS] or q.split()
    cover = [0.0] * len(scores)
    for w in qwords:
        best_here: dict[int, float] = {}
        for word, s, _ in process.extract(_stem(w), idx.vocab, scorer=fuzz.ratio, score_cutoff=70, limit=None):
            for i in idx.choices_with[word]:
                if s > best_here.get(i, 0.0):
                    best_here[i] = s
        for i, s in best_here.items():
            cover[i] += s / len(qwords)
    for i, c in enumerate(cover):
        if 0.92 * c > scores[i]:
            scores[i] = 0.92 * c
    # The query as a run of whole words inside a longer title ("customer service management"
    # in "Show understanding of customer service management") beats words merely shared.
    if len(qwords) >= 2:
        padded = f" {q} "
        for i, key in enumerate(idx.title_keys):
            if padded in f" {key} " and scores[i] < 98.0:
                scores[i] = 98.0
    out = []
    for i, s in enumerate(scores):
        if s < 50:
            continue
        for ref, title, sid in idx.title_of[i]:
            if allowed is None or ref in allowed:
                out.append(UnitMatch(ref, title, round(s, 1), "title", sid))
    ini = q.replace(" ", "")
    if 3 <= len(ini) <= 6 and " " not in q and q not in _known_words(cat):  # "ERR", not "the"
        for ref in idx.initials.get(ini, ()):
            if allowed is None or ref in allowed:
                out.append(UnitMatch(ref, _title_of(cat, ref, source), 95.0, "initials", None))
    return out


def find_unit(cat, query: str, source: Optional[str] = None, limit: int = 5) -> UnitLookup:
    """Find a unit by URN/SQA code (typos allowed), by a source's unit number ("206",
    "unit 09" with source="ncfe-l1"), or by title words and misspellings. With a source,
    its units are preferred; a title that only matches elsewhere is still found (so the
    caller can say the unit is not in that qualification)."""
    text = (query or "").strip()
    if not text:
        return UnitLookup(query or "")
    idx = _index(cat)
    bare = _LEAD.sub("", text).strip() or text
    key = compact(bare)
    if len(key) == 8 and key[0].isalpha() and not key[1:].isdigit():  # "k/506/2l55": l, I, O for 1, 0
        digits = key[1:].translate(str.maketrans("LIO", "110"))
        key = key[0] + digits if digits.isdigit() else key
    if _URNISH.match(key) or _SQAISH.match(key):
        found = _by_ref(cat, idx, key, source)
        if found:
            return _finish(query, found, limit)
    m = _NUMBER.match(bare)
    if m:
        found = _by_number(cat, idx, m.group(1), source)
        if m.group(2):
            found += _by_number(cat, idx, m.group(2), source)
        return _finish(query, found, limit)
    result = _finish(query, _by_title(cat, idx, bare, source), limit)
    if source and result.best is None:
        wider = _finish(query, _by_title(cat, idx, bare, None), limit)
        top = result.results[0].score if result.results else 0.0
        if wider.best is not None and wider.best.score > top + MARGIN:
            return wider
    return result


# --- several units in one message ------------------------------------------------------------

_URN_IN_TEXT = re.compile(r"\b[A-Za-z]\s?/\s?\d{3}\s?/\s?\d{4}\b|\b[A-Za-z]\d{7}\b|\bCFA[A-Za-z]{2,3}\s?\d{1,3}\b", re.I)
_SEP = re.compile(r"\s*(?:[,;\n]|\band\b(?!/)|&|\+|\bplus\b|\balso\b|\bthen\b)\s*", re.I)
_CHATTER = re.compile(
    r"^[\s:;,.!?\-–—]*"  # what a cut-out qualification left ("SVQ 4: done units 1, 2")
    r"(?:(?:hi|hello|ok|okay|so|well|yes|yeah|right)\b[,!.]*\s*)*"
    r"(?:i\s*(?:'ve|have|ve|'m|am)?\s*)?(?:now\s+|just\s+|already\s+|also\s+)*"
    r"(?:(?:finished|done|completed|complete|achieved|passed|got|did|been signed off(?: for)?|signed off"
    r"|doing|want to do)\b[:\s-]*)?"
    r"(?:with\s+)?(?:the\s+)?(?:units?\s*)?", re.I)
_TAIL = re.compile(r"\s*(?:units?|too|as well|now|already|(?:(?:is|are|was|were|all)\s+)*(?:done|finished|completed))?"
                   r"\s*[.!?]*$", re.I)
_LEADING_NUMBER = re.compile(r"^(?:units?\s*)?(\d{1,3}(?:\s*/\s*\d{3})?)\b", re.I)


_ENDING_NUMBER = re.compile(r"\bunits?\s*(?:no\.?\s*|number\s*)?(\d{1,3}(?:\s*/\s*\d{3})?)$", re.I)


def _clean_piece(piece: str) -> str:
    piece = _TAIL.sub("", _CHATTER.sub("", piece.strip())).strip()
    m = _LEADING_NUMBER.match(piece) or _ENDING_NUMBER.search(piece)
    # "10 of the SVQ" -> "10" (the qualification is read separately); "what are units 220" -> "220"
    return m.group(1) if m else piece


def extract_unit_refs(cat, text: str, source: Optional[str] = None) -> list[UnitLookup]:
    """Every unit a free-text message refers to, in order: URNs and SQA codes, unit numbers
    and titles ("I've finished 206, 207 and Exceed customer expectations"). Titles that
    themselves contain commas or "and" are kept whole. Each item keeps its ambiguity."""
    found: list[tuple[int, UnitLookup]] = []
    if source is None and re.search(r"\d", text or ""):  # "unit 4 and 7 of the HABC diploma"
        named = find_qualification(cat, text)
        if named.best is not None and named.best.score >= 60:
            source = named.best.source
    rest = list(text or "")
    for m in _URN_IN_TEXT.finditer(text or ""):
        found.append((m.start(), find_unit(cat, m.group(0), source)))
        rest[m.start():m.end()] = [","] * (m.end() - m.start())
    rest_text = "".join(rest)
    # Pieces between separators, with their positions; then join neighbours greedily
    # wherever the joined text is a better title match than the parts.
    pieces, pos = [], 0
    for m in _SEP.finditer(rest_text):
        pieces.append((pos, rest_text[pos:m.start()], m.group(0)))
        pos = m.end()
    pieces.append((pos, rest_text[pos:], ""))
    i = 0
    while i < len(pieces):
        start, piece, _ = pieces[i]
        first = _clean_piece(piece)
        if not first:
            i += 1
            continue
        best, best_len = None, 1
        longest = 1 if _NUMBER.match(first) else min(5, len(pieces) - i)  # a number stands alone
        for span in range(1, longest + 1):
            joined = "".join(p + (sep if k < span - 1 else "") for k, (_, p, sep) in enumerate(pieces[i:i + span]))
            cleaned = _clean_piece(joined)
            if not cleaned or (span > 1 and _NUMBER.match(_clean_piece(pieces[i + span - 1][1]) or "x")):
                break
            res = find_unit(cat, cleaned, source)
            score = res.results[0].score if res.results else 0.0
            if best is None or score > (best.results[0].score if best.results else 0.0) + (0.5 if span > 1 else 0):
                best, best_len = res, span
            if score >= 100:
                break
        if best is not None and best.results and (best.best or best.ambiguous or best.results[0].how == "number"):
            found.append((start, best))
            i += best_len
        else:
            i += 1
    return [lookup for _, lookup in sorted(found, key=lambda x: x[0])]


# --- criteria -------------------------------------------------------------------------------

_CRIT = re.compile(
    r"^\s*(?P<kind>a\.?c\.?s?|assessment\s+criteri(?:on|a)|criteri(?:on|a)|p\.?c\.?s?|performance\s+criteri(?:on|a)"
    r"|k\s*&\s*u|k\s*and\s*u|k/u|ku|knowledge(?:\s+(?:and|&)\s+understanding)?(?:\s+statement)?|k)?"
    r"\s*(?:no\.?|number)?\s*[:.#-]?\s*(?P<a>\d{1,2})(?:\.(?P<b>\d{1,2}))?\s*\.?\s*$", re.I)


@dataclass(slots=True)
class CriterionLookup:
    query: str
    ref: Optional[str] = None  # canonical: "2.3", "PC5", "K&U8"
    criterion: Optional[Criterion] = None
    source: Optional[str] = None
    error: Optional[str] = None

    def __bool__(self) -> bool:
        return self.criterion is not None


def parse_criterion_ref(text: str) -> tuple[Optional[str], Optional[str]]:
    """("2.3", None), ("PC5", None), ("K&U8", None), or (None, reason) for text that is not a reference."""
    m = _CRIT.match(text or "")
    if not m:
        return None, f"{text!r} is not a criterion reference (try '2.3', 'AC 2.10', 'PC 5' or 'K&U 8')"
    kind = re.sub(r"[\s.]", "", (m.group("kind") or "").lower())
    a, b = int(m.group("a")), m.group("b")
    if kind.startswith("p"):
        if b is not None:
            return None, f"{text!r}: performance criteria are numbered 1, 2, 3 ... (e.g. 'PC 5')"
        return f"PC{a}", None
    if kind.startswith("k"):
        if b is not None:
            return None, f"{text!r}: knowledge statements are numbered 1, 2, 3 ... (e.g. 'K&U 8')"
        return f"K&U{a}", None
    if b is None:
        return None, f"{text!r} is ambiguous: say 'AC {a}.1', 'PC {a}' or 'K&U {a}'"
    return f"{a}.{int(b)}", None


def find_criterion(cat, unit_ref: str, query: str, source: Optional[str] = None) -> CriterionLookup:
    """A criterion of a unit by its reference as typed ("2.3", "AC 2.10", "pc5", "knowledge 8")."""
    ref, error = parse_criterion_ref(query)
    if error:
        return CriterionLookup(query, error=error)
    unit = cat.unit(unit_ref)
    if unit is None:
        return CriterionLookup(query, ref, error=f"no unit {unit_ref!r} in the catalogue")
    specs: list[UnitSpec] = [unit.specs[source]] if source in unit.specs else list(unit.specs.values())
    if source and source not in unit.specs:
        return CriterionLookup(query, ref, error=f"{unit_ref} is not in {cat.source(source).short_name}")
    for spec in specs:
        c = spec.criterion(ref)
        if c is not None:
            return CriterionLookup(query, ref, c, spec.source)
    have = [c.ref for c in specs[0].criteria]
    span = f"{have[0]} to {have[-1]}" if have else "none"
    return CriterionLookup(query, ref, error=f"{unit_ref} has no criterion {ref} (its criteria run {span})")


# --- qualifications -------------------------------------------------------------------------

# Keywords that identify each source. The names are the sources' own (HABC's site is
# highfieldabc.com, hence "highfield"); levels are the qualifications' stated levels.
_BODY = {
    "sfj-l2": ("sfj", "sfj awards", "skills for justice"),
    "habc-l3": ("habc", "highfield", "highfield abc"),
    "ncfe-l1": ("ncfe",),
    "svq4": ("svq", "pearson", "scqf", "scottish"),
    "cg-pool": ("city and guilds", "city & guilds", "c&g", "cg", "city guilds", "c and g"),
}
_KIND = {"sfj-l2": "diploma", "habc-l3": "diploma", "ncfe-l1": "certificate", "svq4": "svq"}
_LEVELS = {"sfj-l2": {2}, "habc-l3": {3}, "ncfe-l1": {1}, "svq4": {4, 8}}
_LEVEL_RE = re.compile(r"\b(?:level|lvl|lv|l)\s*(\d)\b|\bsvq\s*(\d)\b|\bscqf\s*(?:level\s*)?(\d)\b")
_KINDS = ("svq", "diploma", "certificate", "award")


# The seeds' nicknames above; any other (imported) qualification is read from its own metadata,
# so it is found by its awarding body, kind and level without a change here (#17.5).
def _bodies(doc) -> tuple[str, ...]:
    if doc.id in _BODY or doc.qualification is None:
        return _BODY.get(doc.id, ())
    body = words(doc.qualification.awarding_body)
    first = body.split()[0] if body else ""
    return tuple(dict.fromkeys(b for b in (body, first if len(first) > 3 else "") if b))


def _kind_of(doc) -> str | None:
    if doc.id in _KIND or doc.qualification is None:
        return _KIND.get(doc.id)
    title = words(doc.qualification.title).split()
    return next((k for k in _KINDS if k in title), None)


def _levels_of(doc) -> set[int]:
    if doc.id in _LEVELS or doc.qualification is None:
        return _LEVELS.get(doc.id, set())
    q = doc.qualification
    return ({q.level} if q.level else set()) | {int(x) for x in re.findall(r"scqf\s*(?:level\s*)?(\d+)",
                                                                           (q.framework or "").lower())}


@dataclass(slots=True)
class QualificationMatch:
    source: str
    name: str
    score: float


@dataclass(slots=True)
class QualificationLookup:
    query: str
    results: list[QualificationMatch] = field(default_factory=list)
    ambiguous: bool = False

    @property
    def best(self) -> Optional[QualificationMatch]:
        return None if not self.results or self.ambiguous else self.results[0]


def find_qualification(cat, query: str, include_pool: bool = False) -> QualificationLookup:
    """A qualification by a loose name: "level 2 diploma", "the SVQ", "NCFE level 1",
    "highfield level three dip", "SFJ", "city&guilds", or its number anywhere in the text
    ("601/4310/1 total credits?"). include_pool also offers the C&G unit pool."""
    q = qualification_words(query or "")
    if not q:
        return QualificationLookup(query or "")
    known = _known_words(cat)
    tokens = [_fix_token(t, known) for t in q.split()]
    fixed = " ".join(tokens)
    levels = {int(x) for m in _LEVEL_RE.finditer(fixed) for x in m.groups() if x}
    results = []
    for doc in cat.sources.values():
        if doc.qualification is None and not include_pool:
            continue
        qual = doc.qualification
        score = 0.0
        if qual and any(_has_number(n, query or "") for n in [qual.number, *qual.aliases] if n and _NUMBERISH.match(n)):
            score = 100.0
        else:
            if any(re.search(rf"(?<![a-z]){re.escape(b)}(?![a-z])", fixed) for b in _bodies(doc)):
                score += 60  # an awarding body names its one qualification here, wherever it is in the message
            if levels:
                score += 30 if levels & _levels_of(doc) else -30
            kind = _kind_of(doc)
            if kind and kind in tokens:
                score += 20
            elif ("diploma" in tokens or "certificate" in tokens) and kind:
                score -= 20
            names = [doc.short_name] + ([qual.title] + qual.aliases if qual else [])
            score += 0.2 * max(fuzz.token_set_ratio(fixed, qualification_words(n)) for n in names)
        results.append(QualificationMatch(doc.id, qual.title if qual else doc.short_name, round(score, 1)))
    results.sort(key=lambda m: (-m.score, m.source))
    results = [m for m in results if m.score >= 30]
    ambiguous = len(results) > 1 and results[1].score >= results[0].score - 10
    return QualificationLookup(query, results, ambiguous)


_NUMBERISH = re.compile(r"^[\d/ ]{6,}$")  # "601/4310/1", a learning aim "60140276"


def _has_number(number: str, text: str) -> bool:
    """The qualification number in the text, however spaced ("601 / 4310 / 1", "60143101")."""
    digits = [d for d in re.split(r"\D+", number) if d]
    pattern = r"\s*/?\s*".join(digits)
    return re.search(rf"(?<![\d/]){pattern}(?![\d/])", text) is not None


# How people type the names the keywords above are matched against: "city&guilds", "cityandguilds",
# "C and G", "level three", "lvl2", "dip", "cert".
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9"}
_TYPED = [
    (re.compile(r"\bcity\s*(?:&|and|n|\+)?\s*guilds?\b|\bcityandguilds\b"), "city and guilds"),
    (re.compile(r"\bc\s*(?:&|and|n)\s*g\b|\bcandg\b"), "c&g"),
    (re.compile(r"\bhigh\s*fields?(?:\s*abc)?\b"), "highfield"),
    (re.compile(r"\b(level|lvl|lv|svq|scqf(?:\s+level)?)\s*(one|two|three|four|five|six|seven|eight|nine)\b"),
     lambda m: f"{m.group(1)} {_NUMBER_WORDS[m.group(2)]}"),
    (re.compile(r"\b(level|lvl|lv|l|svq|scqf)(\d)\b"), r"\1 \2"),
    (re.compile(r"\bdipl?o?m?a?s?\b"), "diploma"),
    (re.compile(r"\bcert(?:if)?s?\b|\bcertificat(?:e|es)?\b"), "certificate"),
]


def qualification_words(text: str) -> str:
    """`words` with the usual ways of typing an awarding body, level or kind made regular."""
    q = words(text).replace("+", " ")
    for pattern, repl in _TYPED:
        q = pattern.sub(repl, q)
    return " ".join(q.split())


_VOCAB = sorted({w for names in _BODY.values() for n in names for w in n.split() if len(w) > 3}
                | {"diploma", "certificate", "level", "customer", "service"})


def _known_words(cat) -> set[str]:
    """Every word of the catalogue's own titles, outcomes and criteria: real words, never typos to correct
    ("personal" is not "pearson", "person" neither)."""
    known = cat.cache.get("lookup.known_words")
    if known is None:
        known = set()
        for unit in cat.units.values():
            for spec in unit.specs.values():
                texts = [spec.title, *(o.text for o in spec.outcomes), *(c.text for o in spec.outcomes
                                                                         for c in o.criteria),
                         *(k.text for k in spec.knowledge)]
                for t in texts:
                    known.update(words(t).split())
        known -= set(_VOCAB)
        cat.cache["lookup.known_words"] = known
    return known


def _fix_token(token: str, known: set[str] = frozenset()) -> str:
    """Correct a misspelt keyword ("higfield", "diplomma"); short tokens and real words stay as typed."""
    if len(token) < 5 or token in _VOCAB or token in known:
        return token
    hit = process.extractOne(token, _VOCAB, scorer=fuzz.ratio, score_cutoff=80)
    return hit[0] if hit else token


# --- evidence types and command verbs ---------------------------------------------------------

EVIDENCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "professional_discussion": ("professional discussion", "prof discussion", "pro discussion", "discussion", "pd",
                                "prof disc", "professional conversation", "d"),
    "expert_witness": ("expert witness", "expert witness testimony", "expert witness statement", "ewt", "ew"),
    "witness_testimony": ("witness testimony", "witness statement", "witness", "testimony", "wt", "witness test",
                          "authentic statement"),
    "reflective_account": ("reflective account", "reflective log", "reflective statement", "reflection",
                           "personal statement", "reflective diary", "ra", "reflective practice"),
    "observation": ("observation", "direct observation", "observed", "obs", "o", "assessor observation"),
    "questioning": ("questioning", "questions", "oral questioning", "written questions", "q&a", "q and a", "q",
                    "question and answer"),
    "product": ("product", "work product", "product evidence", "work products", "pe", "p", "documents", "records"),
    "report": ("report", "written report", "learner report"),
    "simulation": ("simulation", "sim", "role play", "simulated", "realistic working environment", "rwe"),
    "rpl": ("rpl", "recognition of prior learning", "prior learning", "r", "apl"),
}


@dataclass(slots=True)
class EvidenceLookup:
    query: str
    key: Optional[str] = None
    score: float = 0.0
    entries: list[EvidenceType] = field(default_factory=list)  # how each source names it
    ambiguous: bool = False
    others: list[str] = field(default_factory=list)  # close alternatives when ambiguous


def find_evidence_type(cat, query: str, source: Optional[str] = None) -> EvidenceLookup:
    """An evidence type from a synonym or abbreviation ("PD", "prof discussion", "witness
    statement", "reflective log"), with every source's own entry for it (and citation)."""
    q = words(query or "").replace(" & ", "&")
    if not q:
        return EvidenceLookup(query or "")
    exact = [k for k, names in EVIDENCE_SYNONYMS.items() if q in names]
    if exact:
        key, score, others = exact[0], 100.0, []
    else:
        phrases = [(p, k) for k, names in EVIDENCE_SYNONYMS.items() for p in names if len(p) > 3]
        # Whole-phrase similarity only: partial matching would find "a" of "q and a" in anything.
        hits = process.extract(q, [p for p, _ in phrases], scorer=lambda a, b, **kw: max(
            fuzz.ratio(a, b, **kw), fuzz.token_sort_ratio(a, b, **kw)), limit=6)
        ranked: dict[str, float] = {}
        for _, s, i in hits:
            k = phrases[i][1]
            ranked[k] = max(ranked.get(k, 0), s)
        order = sorted(ranked.items(), key=lambda kv: -kv[1])
        if not order or order[0][1] < 85:
            return EvidenceLookup(query)
        key, score = order[0]
        others = [k for k, s in order[1:] if s >= score - MARGIN]
    docs = [cat.source(source)] if source else cat.sources.values()
    entries = [e for d in docs for e in d.evidence_types if e.key == key]
    return EvidenceLookup(query, key, score, entries, bool(others), others)


def find_term(cat, query: str) -> list[GlossaryTerm]:
    """Glossary entries (command verbs) for a word as typed: "explain", "give examples".
    [] when no specification defines it (the caller must not invent a definition)."""
    q = words(query or "")
    if not q:
        return []
    terms = [g for d in cat.sources.values() for g in d.glossary]
    keys = []
    for g in terms:
        base = words(re.sub(r"\(.*?\)", " ", g.term))
        keys.append({words(g.term), base, words(g.term.replace("(", "").replace(")", ""))})
    exact = [g for g, k in zip(terms, keys) if q in k]
    if exact:
        return exact
    scored = [(max(fuzz.ratio(q, x) for x in k), g) for g, k in zip(terms, keys)]
    top = max((s for s, _ in scored), default=0)
    return [g for s, g in scored if s >= 85 and s == top]
