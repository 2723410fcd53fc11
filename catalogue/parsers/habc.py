"""Parser for the HABC Level 3 Diploma in Customer Service (QCF) specification (601/4027/6).

See /work/shared/source-notes/001.md. Appendix 1 (rules of combination) gives
groups; Appendix 2 gives unit content and GLH and must agree with Appendix 1 on
number, reference, level and credit. Appendix 3 holds blank forms: only its
assessment method key is read, never its rows as criteria.
"""
from __future__ import annotations

import re
from pathlib import Path

from catalogue.errors import SourceError
from catalogue.model import (
    Citation, EvidenceType, Fact, Group, Qualification, RuleSet, SourceDocument, UnitSpec,
)
from catalogue.parsers._text import FactSpec, Text, parse_outcomes, prose, read_lines, squash, strip_tags

SOURCE_ID = "habc-l3"
SHORT_NAME = "HABC Level 3 Diploma"

S_FRONT = "Qualification Specification"
S_DETAILS = "Qualification details"
S_KEY = "Key facts"
S_ENTRY = "Entry requirements"
S_STRUCTURE = "Qualification structure"
S_ASSESS = "Guidance on assessment"
S_ROC = "Appendix 1: Rules of Combination"
S_UNITS = "Appendix 2: All Units"
S_APP3 = "Appendix 3: Sample Assessment Material"
HEADINGS = [
    S_FRONT, "Introduction", S_DETAILS, S_KEY, "Qualification overview and objective", S_ENTRY, S_STRUCTURE,
    "Delivery/assessment ratios", "Guidance on delivery", S_ASSESS, "Guidance on quality assurance",
    "Recognition of Prior Learning (RPL)", "Centre requirements", "Geographical coverage", "Assessor requirements",
    "Internal quality assurance (IQA) requirements", "Countersigning strategy",
    "Mapping to National Occupational Standards (NOS)", "Reasonable adjustments and special considerations",
    "ID requirements", "Progression", "Useful websites", S_ROC, S_UNITS, S_APP3,
]

F = FactSpec
FACTS = [
    F("status", S_DETAILS, "The HABC Level 3 Diploma in Customer Service (QCF) has been accredited"),
    F("age", S_ENTRY, "16 years of age or above"),
    F("entry", S_ENTRY, "To register for this qualification", "Have a minimum of level 2 in literacy."),
    F("assessment_method", S_KEY, "Assessment Method:"),
    F("assessment_method", S_ASSESS, "This qualification is assessed through the completion of a portfolio"),
    F("assessment_method", S_ASSESS, "Suggested assessment paperwork"),
    F("assessment_method", S_ASSESS, "All assessment criteria must be met"),
    F("centre_requirements", "Delivery/assessment ratios", "To effectively deliver", "You may need to split"),
    F("iqa", "Guidance on quality assurance", "HABC requires centres to have in place"),
    F("rpl", "Recognition of Prior Learning (RPL)", "Centres wishing to utilise RPL"),
    F("centre_requirements", "Centre requirements", "Due to the nature of this qualification"),
    F("assessor_requirements", "Assessor requirements", "HABC requires nominated assessors",
      "Maintain appropriate continued professional development"),
    F("iqa", "Internal quality assurance (IQA) requirements", "HABC requires nominated IQAs",
      "Maintain appropriate continued professional development"),
    F("countersigning", "Countersigning strategy", "While it is a minimum requirement"),
    F("reasonable_adjustments", "Reasonable adjustments and special considerations", "HABC has measures in place"),
    F("identification", "ID requirements", "It is the responsibility of the centre",
      "For more information on learner ID"),
    F("progression", "Progression", "Upon successful completion", "HABC Level 3 Diploma in Management (QCF)"),
]

# Appendix 3 method key: code -> canonical evidence key. The key is all the document says about methods.
METHODS = {"Obs": "observation", "Pe": "product", "Q": "questioning", "Sim": "simulation",
           "Wt": "witness_testimony", "R": "rpl", "O": "other", "D": "professional_discussion"}
# Facts recorded from the key for topics a learner asks about (only the code and its label exist).
METHOD_TOPICS = {"Obs": "observation", "Sim": "simulation", "Wt": "witness_testimony", "R": "rpl",
                 "D": "professional_discussion"}

ALIASES = [
    "HABC Level 3 Diploma in Customer Service (QCF)", "HABC Level 3 Diploma in Customer Service",
    "HABC level 3 diploma", "HABC level 3", "HABC diploma", "HABC customer service diploma",
    "Highfield level 3", "Highfield level 3 diploma", "Highfield diploma", "level 3 diploma",
    "level 3 diploma in customer service", "L3 diploma", "601/4027/6", "60140276",
]

_ROW = re.compile(r"^(\d+)\t([A-Z]/\d{3}/\d{4})\t([^\t]+)\t(\d)\t(\d+)$")
_ROC_HEADER = "Unit No\tUnit reference\tUnit Title\tLevel\tCredit"
_GROUPS = {"Mandatory Group": "M", "Optional Group A": "A", "Optional Group B": "B"}
_UNIT = re.compile(r"^Unit (\d+): (.+)$")
_FIELD = re.compile(r"^\s*(Unit number|Credit|GLH|Level):\s*(\S+)\s*$")
_FIELDS = ("Unit number", "Credit", "GLH", "Level")
_HEAD1, _HEAD2 = "Learning Outcomes Assessment Criteria", "The learner will The learner can"
_GUIDANCE = "Additional assessment guidance/requirements"
_BULLET = re.compile(r"^- (?=\d)")  # Unit 28 LO3, Unit 40 LO4: "- 3.1 AC"


class _Reader:
    def __init__(self, path: Path):
        self.file = path.name
        self.lines = read_lines(path)
        self.text = Text(SOURCE_ID, self.file, self.lines, HEADINGS)

    def fail(self, index: int, reason: str) -> SourceError:
        return SourceError(self.file, index + 1, reason)

    def number(self, section: str, pattern: str) -> tuple[int, int]:
        m, i = self.text.match(section, pattern)
        return int(m.group(1)), i

    # -- Appendix 1 ----------------------------------------------------------------------------------
    def rules(self) -> tuple[RuleSet, dict[str, tuple[int, str, str, int, int]]]:
        start, end = self.text.sections[S_ROC]
        groups: list[Group] = []
        rows: dict[str, tuple[int, str, str, int, int]] = {}  # ref -> (unit no, group, title, level, credits)
        for i in range(start + 1, end):
            line = prose(self.lines[i]) if "\t" not in self.lines[i] else self.lines[i].rstrip()
            if line in _GROUPS:
                groups.append(Group(id=_GROUPS[line], label=line, units=[], mandatory=line == "Mandatory Group",
                                    line=i + 1))
            elif m := _ROW.match(line):
                if not groups:
                    raise self.fail(i, "unit row before any group heading")
                no, ref = int(m.group(1)), m.group(2)
                if no != len(rows) + 1 or ref in rows:
                    raise self.fail(i, f"unit {no} ({ref}) out of sequence or repeated")
                groups[-1].units.append(ref)
                rows[ref] = (no, groups[-1].id, m.group(3), int(m.group(4)), int(m.group(5)))
            elif groups and line and line != _ROC_HEADER and not line.startswith(("Learners m", "(")):
                raise self.fail(i, f"unexpected line in the rules of combination: {line[:60]!r}")
        if [g.id for g in groups] != ["M", "A", "B"]:
            raise self.fail(start, f"expected groups M, A and B, got {[g.id for g in groups]}")
        m_grp, a_grp, b_grp = groups
        self.text.match(S_ROC, r"Learners must achieve all units in this group")
        a_grp.min_credits, _ = self.number(S_ROC, r"Learners must achieve a minimum of (\d+) credits from this group")
        b_grp.max_credits, _ = self.number(S_ROC, r"Learners may achieve a maximum of (\d+) credits from this group")
        total, i = self.number(S_ROC, r"To complete the HABC Level 3 Diploma in Customer Service \(QCF\), learners "
                                      r"must achieve a minimum of (\d+) credits overall\..*")
        mand, _ = self.number(S_ROC, r"All units contained within the mandatory group totaling (\d+) credits; and")
        # l.216 says "15 units" (a typo for credits, notes 001 s.2): only its number is checked.
        a_list, _ = self.number(S_ROC, r"A minimum of (\d+) (?:units|credits) from Optional Group A")
        b_list, _ = self.number(S_ROC, r"A maximum of (\d+) credits from Optional Group B")
        level_m, _ = self.text.match(S_ROC, r"A minimum of (\d+) credits must be achieved through completion of "
                                            r"units at level (\d) and above\.")
        # The summary in "Qualification structure" states the same rule in credits throughout.
        s_mand, first = self.number(S_STRUCTURE, r"All units within the mandatory group totalling (\d+) credits;")
        s_a, _ = self.number(S_STRUCTURE, r"A minimum of (\d+) credits from optional group A; and")
        s_b, _ = self.number(S_STRUCTURE, r"A maximum of (\d+) credits from optional group B\.")
        s_level, last = self.text.match(S_STRUCTURE, r"A minimum of (\d+) credits must be achieved through "
                                                     r"completion of units at level (\d) and above\.")
        key_credits, _ = self.number(S_KEY, r"Credit Value: (\d+)")
        m_grp.min_credits = sum(rows[u][4] for u in m_grp.units)
        checks = [
            (mand, m_grp.min_credits, "mandatory credits (rule vs unit credits)"), (s_mand, mand, "mandatory credits"),
            (a_list, a_grp.min_credits, "Group A minimum"), (s_a, a_grp.min_credits, "Group A minimum"),
            (b_list, b_grp.max_credits, "Group B maximum"), (s_b, b_grp.max_credits, "Group B maximum"),
            (s_level.groups(), level_m.groups(), "level rule"), (key_credits, total, "credit value"),
            (mand + a_grp.min_credits + b_grp.max_credits, total, "group limits vs total"),
        ]
        for stated, found, what in checks:
            if stated != found:
                raise self.fail(i, f"{what}: {stated} vs {found}")
        text, cite = self.text.passage(FactSpec("rules", S_STRUCTURE, "To achieve the qualification",
                                                "A minimum of 40 credits must be achieved"))
        ruleset = RuleSet(groups=groups, min_credits=total, text=text, citation=cite,
                          level_credits=(int(level_m.group(2)), int(level_m.group(1))))
        return ruleset, rows

    # -- Appendix 2 ----------------------------------------------------------------------------------
    def units(self) -> list[UnitSpec]:
        start, end = self.text.sections[S_UNITS]
        out: list[UnitSpec] = []
        i = start + 1
        while i < end:
            if not self.lines[i].strip():
                i += 1
                continue
            m = _UNIT.match(self.lines[i])
            if not m:
                raise self.fail(i, f"expected a unit heading: {self.lines[i][:60]!r}")
            unit, i = self.unit(i, end, m.group(1), m.group(2).strip())
            out.append(unit)
        return out

    def unit(self, i: int, end: int, number: str, title: str) -> tuple[UnitSpec, int]:
        name = f"Unit {number}"
        body = [j for j in range(i + 1, end) if self.lines[j].strip()]  # non-blank lines after the heading
        fields = {}
        for k, key in enumerate(_FIELDS):
            m = _FIELD.match(self.lines[body[k]]) if k < len(body) else None
            if not m or m.group(1) != key:
                raise self.fail(body[k] if k < len(body) else end - 1, f"{name}: expected {key!r}")
            fields[key] = m.group(2)
        ref = fields["Unit number"]
        for key in ("Credit", "GLH", "Level"):
            if not fields[key].isdigit():
                raise self.fail(i, f"{name}: {key} is not a number: {fields[key]!r}")
        pieces: list[tuple[int, str]] = []
        k, guidance = len(_FIELDS), None
        while k < len(body):
            j, text = body[k], squash(self.lines[body[k]])
            if text == _HEAD1:  # table header, repeated after each page break
                if k + 1 >= len(body) or squash(self.lines[body[k + 1]]) != _HEAD2:
                    raise self.fail(j, f"{name}: incomplete table header")
                k += 2
                continue
            if text == _GUIDANCE:
                if k + 1 >= len(body) or _UNIT.match(self.lines[body[k + 1]]):
                    raise self.fail(j, f"{name}: guidance heading without text")
                guidance, k = squash(self.lines[body[k + 1]]), k + 2
                break
            if _UNIT.match(self.lines[j]):
                break
            pieces.append((j + 1, _BULLET.sub("", strip_tags(self.lines[j]).strip())))
            k += 1
        if guidance is None:
            raise self.fail(body[k] if k < len(body) else end - 1, f"{name} ({ref}): ends without its guidance row")
        if k < len(body) and not _UNIT.match(self.lines[body[k]]):
            raise self.fail(body[k], f"{name}: unexpected text after the guidance row")
        unit = UnitSpec(source=SOURCE_ID, ref=ref, number=number, title=title, level=int(fields["Level"]),
                        credits=int(fields["Credit"]), glh=int(fields["GLH"]), line=i + 1,
                        outcomes=parse_outcomes(self.file, pieces, f"{name} ({ref})"),
                        assessment_requirements=guidance)
        return unit, body[k] if k < len(body) else end

    # -- Appendix 3 ----------------------------------------------------------------------------------
    def methods(self) -> tuple[list[EvidenceType], list[Fact]]:
        _, i = self.text.match(S_APP3, r"Assessment method key:")
        start, end = self.text.sections[S_APP3]
        rows = [j for j in range(i + 1, end) if self.lines[j].strip()][:3]
        # Three rows of (code, label) pairs in three columns; the key reads down each column.
        cells = {(r, c): (self.lines[j].split("\t") + [""] * 6)[2 * c:2 * c + 2] for r, j in enumerate(rows)
                 for c in range(3)}
        types, facts = [], []
        for c in range(3):
            for r, j in enumerate(rows):
                code, label = (s.strip() for s in cells[r, c])
                if not code and not label:
                    continue
                if code not in METHODS or not label:
                    raise self.fail(j, f"unknown assessment method code {code!r}")
                cite = Citation(SOURCE_ID, j + 1, section=S_APP3)
                types.append(EvidenceType(key=METHODS[code], name=f"{code} \u2013 {label}", description=None,
                                          citation=cite))
                if code in METHOD_TOPICS:
                    facts.append(Fact(METHOD_TOPICS[code], f"Assessment method key: {code} \u2013 {label}", cite))
        if sorted(t.name.split(" ")[0] for t in types) != sorted(METHODS):
            raise self.fail(i, f"method key incomplete: {[t.name for t in types]}")
        self.tracking_rows(start, end)
        return types, facts

    def tracking_rows(self, start: int, end: int) -> None:
        """The evidence tracking sheet is a sample form, not content; its rows are only checked for
        shape so that a copy cut off inside the table is not taken as complete."""
        header = "Learning Outcome\tAssessment Criteria\tEvidence Type\tEvidence Reference\tDate"
        idx = [j for j in range(start, end) if self.lines[j] == header]
        if len(idx) != 1:
            raise self.fail(end - 1, "evidence tracking sheet header not found (truncated?)")
        rows = [j for j in range(idx[0] + 1, end) if self.lines[j].strip()]
        for j in rows:
            cells = self.lines[j].split("\t")
            if len(cells) != 5 or not re.match(r"\d+\.\d+ ", cells[1]):
                raise self.fail(j, "malformed evidence tracking row (truncated?)")
        if not rows:
            raise self.fail(end - 1, "evidence tracking sheet has no rows (truncated?)")


def parse(path: Path) -> SourceDocument:
    r = _Reader(Path(path))
    rules, rows = r.rules()
    units = r.units()
    if [u.ref for u in units] != list(rows):
        raise r.fail(r.text.sections[S_UNITS][0], "Appendix 2 units do not match Appendix 1")
    for unit in units:
        no, _, title, level, credits = rows[unit.ref]
        if (str(no), level, credits) != (unit.number, unit.level, unit.credits):
            raise r.fail(unit.line - 1, f"{unit.ref}: Appendix 1 says unit {no}, level {level}, {credits} credits; "
                                        f"Appendix 2 says unit {unit.number}, level {unit.level}, {unit.credits}")
        if title != unit.title:  # four titles differ in punctuation or plural (notes 001 s.2)
            unit.title_variants.append(title)
    level3 = sum(u.credits for u in units if u.level >= rules.level_credits[0])
    if level3 < rules.level_credits[1]:
        raise r.fail(rules.citation.line - 1, "not enough credits at level 3 and above for the level rule")
    evidence, method_facts = r.methods()
    return SourceDocument(
        id=SOURCE_ID, short_name=SHORT_NAME, file=r.file, qualification=_qualification(r, rules),
        units=units, facts=r.text.facts(FACTS) + method_facts, evidence_types=evidence,
        line_count=len(r.lines),
    )


def _qualification(r: _Reader, rules: RuleSet) -> Qualification:
    title, _ = r.text.match(S_FRONT, r"HABC Level (\d) Diploma in Customer Service \(QCF\)")
    number, _ = r.text.match(S_FRONT, r"Qualification Number: (\d{3}/\d{4}/\d)")
    key_number, i = r.text.match(S_KEY, r"Qualification Number: (\S+)")
    if key_number.group(1) != number.group(1):
        raise r.fail(i, "qualification number differs between cover and key facts")
    framework, _ = r.text.match(S_DETAILS, r".* is part of the Qualifications and Credit Framework \((\w+)\)\.")
    glh, _ = r.text.match(S_KEY, r"GLH: (\d+(?:-\d+)?)")
    version, _ = r.text.match(S_FRONT, r"Version (.+)")
    age, _ = r.text.match(S_ENTRY, r"(\d+ years of age or above); and")
    entry, _ = r.text.passage(FactSpec("entry", S_ENTRY, "To register for this qualification",
                                       "Have a minimum of level 2 in literacy."))
    return Qualification(
        awarding_body="HABC", title=title.group(0), number=number.group(1), level=int(title.group(1)),
        framework=framework.group(1), credits=rules.min_credits, glh=glh.group(1), tqt=None,  # TQT not stated
        status=None, dates={"specification_version": version.group(1)}, grading=None,
        age=age.group(1), entry=entry, rules=rules, aliases=list(ALIASES),
    )
