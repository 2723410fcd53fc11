"""Parser for the SFJ Awards Level 2 Diploma in Customer Service handbook (601/4310/1).

See /work/shared/source-notes/000.md. The rules-of-combination tables (s.2.3)
are authoritative for groups; the unit blocks (s.5) give GLH and content and
must agree with the tables on level, credits and title (ignoring case).
"""
from __future__ import annotations

import re
from pathlib import Path

from catalogue.errors import SourceError
from catalogue.model import (
    Citation, EvidenceType, Group, Qualification, RuleSet, SourceDocument, UnitSpec,
)
from catalogue.parsers._text import FactSpec, Text, parse_outcomes, read_lines, squash, strip_tags

SOURCE_ID = "sfj-l2"
SHORT_NAME = "SFJ Awards Level 2 Diploma"

S_FRONT = "Qualification Handbook"
S_QUAL = "2 The Qualification"
S_ROC = "2.3 Units and Rules of Combination"
S_TQT = "2.4 Total Qualification Time (TQT)"
S_44 = ("4.4 Skills CFA Requirements for Assessors, Internal Quality Assurers (IQAs) and External Quality "
        "Assurers (EQAs) of Business Administration, Customer Service and Management and Leadership")
S_45 = ("4.5 Skills CFA Requirements for Assessors, Internal Verifiers and External Verifiers/External Quality "
        "Assurers of Contact Centre Operations Units")
S_46 = ("4.6 Skills CFA Requirements for Assessors, Internal Verifiers and External Verifiers/External Quality "
        "Assurers of Sales Units")
S_WORK = "4.8 Workplace Assessment"
S_SIM = "4.9 Use of Simulated Activities"
S_UNITS = "5 Qualification Units"
S_RWE = "Appendix A: Skills CFA Realistic Working Environment Guidelines"
HEADINGS = [
    S_FRONT, "1 Introduction", "1.1 About us", "1.2 Customer Service Charter", "1.3 Centre Support", S_QUAL,
    "2.1 Overall Objective for the Qualification", "2.2 Pre-entry Requirements", S_ROC, S_TQT,
    "2.5 Age Restriction", "2.6 Opportunities for Progression", "2.7 Exemption", "2.8 Credit Transfer",
    "3 Centre Requirements", "4 Assessment", "4.1 SFJ Awards Requirements for Assessors",
    "4.2 SFJ Awards Internal Quality Assurance", "4.3 SFJ Awards External Quality Assurance", S_44, S_45, S_46,
    "4.7 The Expert Witnesses", S_WORK, S_SIM, "4.10 Use of Languages", S_UNITS, S_RWE,
]

F = FactSpec
FACTS = [
    F("status", S_FRONT, "Operation Start Date:"),
    F("status", S_QUAL, "Please note that the SFJ Awards Level 2 Diploma in Customer Service is being withdrawn"),
    F("entry", "2.2 Pre-entry Requirements", "There are no pre-entry requirements"),
    F("age", "2.5 Age Restriction", "This qualification is available to learners aged"),
    F("progression", "2.6 Opportunities for Progression", "This qualification creates", "With additional training"),
    F("exemptions", "2.7 Exemption", "No exemptions have been identified."),
    F("credit_transfer", "2.8 Credit Transfer", "Credits from identical units"),
    F("centre_requirements", "3 Centre Requirements", "Centres offering these qualifications must have approval",
      "comply with the requirements of SFJ Awards"),
    F("iqa", "3 Centre Requirements", "Centres offering these qualifications must provide internal quality"),
    F("assessment_method", "4 Assessment", "This qualification must be assessed in line with"),
    F("assessment_method", "4 Assessment", "Units which have been imported by Skills CFA", units="it"),
    F("assessor_requirements", "4.1 SFJ Awards Requirements for Assessors", "All assessors must:",
      "6. Approved Centres will be required"),
    F("iqa", "4.2 SFJ Awards Internal Quality Assurance", "All Internal Quality Assurers must:",
      "6. have an appropriate induction"),
    F("assessor_requirements", S_44, "To be able to assess learners, assessors must:",
      "be working toward an appropriate qualification, as specified by the appropriate regulatory authority. Any"),
    F("countersigning", S_44, "be working toward an appropriate qualification, as specified by the appropriate "
      "regulatory authority. Any Assessors"),
    F("iqa", S_44, "IQAs must:", "be working toward an appropriate qualification, as specified by the appropriate "
      "regulatory authority. If an IQA"),
    F("countersigning", S_44, "be working toward an appropriate qualification, as specified by the appropriate "
      "regulatory authority. If an IQA"),
    F("countersigning", S_44, "be working toward an appropriate qualification, as specified by the appropriate "
      "regulatory authority. If EQAs"),
    F("assessor_requirements", S_44, "The employer direct model is where", "Demonstrating that the employer's"),
    F("simulation", S_45, "Assessment of the units in the Contact Centre NVQs", units="contact_centre"),
    F("countersigning", S_45, "a. Assessors, moderators or verifiers who have achieved, or are working towards",
      units="contact_centre"),
    F("assessor_requirements", S_45, "Assessors must be occupationally competent to make Contact Centre",
      units="contact_centre"),
    F("simulation", S_46, "Assessment of all units at any level of Sales", units="sales"),
    F("simulation", S_46, "If a unit or part of a unit at any level is simulated", units="sales"),
    F("assessor_requirements", S_46, "Assessors must be occupationally competent to make Sales",
      "occupationally competent to make assessment judgements", units="sales"),
    F("expert_witness", "4.7 The Expert Witnesses", "When using Expert Witnesses", "3. be familiar with"),
    F("observation", S_WORK, "SFJ Awards believes that direct observation"),
    F("witness_testimony", S_WORK, "SFJ Awards believes that direct observation"),
    F("expert_witness", S_WORK, "Expert Witness testimony has parity"),
    F("professional_discussion", S_WORK, "SFJ Awards recognise that there are alternative evidence sources"),
    F("assessment_method", S_WORK, "SFJ Awards recognise that there are alternative evidence sources"),
    F("assessment_method", S_WORK, "In order to ensure that the evidence used to assess Learners is valid"),
    F("assessment_method", S_WORK, "Where units are subject to the Skills CFA Assessment Strategy"),
    F("assessment_method", S_WORK, "These conditions would be those typical"),
    F("simulation", S_SIM, "Assessment of the units to which the Skills CFA Assessment Strategy applies"),
    F("simulation", S_SIM, "Simulation must be undertaken in a 'realistic working environment'"),
    F("simulation", S_SIM, "SFJ Awards requires that assessment in a simulated environment",
      "2. where the nature of the work activity"),
    F("simulation", S_SIM, "Simulations must be agreed between SFJ Awards"),
    F("simulation", S_SIM, "All simulations should follow these basic principles", "6. There should be a range"),
    F("language", "4.10 Use of Languages", "SFJ Awards conducts its business activities in English",
      "SFJ Awards carries out its business activities in English"),
    F("reasonable_adjustments", "4.10 Use of Languages", "Reasonable adjustments may be made"),
    F("language", "4.10 Use of Languages", "The qualification handbook for this qualification is currently"),
    F("simulation", S_RWE, "It is essential that organisations wishing to operate a RWE", "R/502/8601",
      units="rwe"),
    F("simulation", S_RWE, "To undertake the assessment in a RWE", "9. Candidates must show", units="rwe"),
]

# (canonical key, name as written, section, first words of the sentence naming it)
EVIDENCE = [
    ("observation", "direct observation", S_WORK, "SFJ Awards believes that direct observation"),
    ("expert_witness", "testimony from an Expert Witness or Manager", S_WORK, "SFJ Awards believes that"),
    ("expert_witness", "Expert Witness testimony", S_WORK, "Expert Witness testimony has parity"),
    ("product", "work products", S_WORK, "SFJ Awards recognise that there are alternative"),
    ("product", "records", S_WORK, "SFJ Awards recognise that there are alternative"),
    ("reflective_account", "reflective accounts", S_WORK, "SFJ Awards recognise that there are alternative"),
    ("professional_discussion", "professional discussion", S_WORK, "SFJ Awards recognise that there are alternative"),
    ("simulation", "simulation", S_SIM, "Assessment of the units to which the Skills CFA Assessment Strategy"),
]

ALIASES = [
    "SFJ Awards Level 2 Diploma in Customer Service", "SFJ Awards Level 2 Diploma", "SFJ level 2 diploma",
    "SFJ level 2", "SFJ diploma", "SFJ customer service diploma", "level 2 diploma",
    "level 2 diploma in customer service", "L2 diploma", "601/4310/1",
]

_GROUP = re.compile(r"^(Mandatory|Optional) Group ([A-D]) \u2013 (?:(minimum|maximum) )?(\d+) credits$")
_ROW = re.compile(r"^([A-Za-z]/\d{3}/\d{4})\t([^\t]+)\t(\d)\t(\d+)$")
_ROC_HEADER = "Unit Reference Number\tUnit Title\tLevel\tCredit Value"
_RULE = re.compile(
    r"Learners must successfully complete (\d+) credits to achieve this qualification\. There are (\w+) mandatory "
    r"units which provide a total of (\d+) credits\. The learner must also complete a minimum of (\d+) credits "
    r"from Optional Group B and a minimum of (\d+) credits from Optional Group C\. A maximum of (\d+) credits "
    r"can be taken from Optional Group D\.")
_FIELD = re.compile(r"^(URN|Title|Level|Credit value|GLH):\t([^\t]+)\t?$")
_FIELDS = ("URN", "Title", "Level", "Credit value", "GLH")
_LO_HEADER = "Learning outcomes The learner will: Assessment criteria The learner can:"
_REQ = re.compile(r"^Assessment requirements or guidance specified by a sector or regulatory body"
                  r"(?: \(if appropriate\))?$")
_SUBGROUP = re.compile(r"^(Mandatory|Optional) Group ([A-D])$")
_URN = re.compile(r"^[A-Z]/\d{3}/\d{4}$")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


class _Reader:
    def __init__(self, path: Path):
        self.path, self.file = path, path.name
        self.lines = read_lines(path)
        self.text = Text(SOURCE_ID, self.file, self.lines, HEADINGS)

    def fail(self, index: int, reason: str) -> SourceError:
        return SourceError(self.file, index + 1, reason)

    def match(self, section: str, pattern: str) -> tuple[re.Match, int]:
        return self.text.match(section, pattern)

    # -- rules of combination -------------------------------------------------------------------------
    def rules(self) -> tuple[RuleSet, dict[str, tuple[str, str, int, int]]]:
        start, end = self.text.sections[S_ROC]
        groups: list[Group] = []
        rows: dict[str, tuple[str, str, int, int]] = {}  # ref -> (group, title, level, credits)
        for i in range(start + 1, end):
            line = self.lines[i].rstrip("\t ")
            if m := _GROUP.match(line):
                kind, gid, bound, n = m.groups()
                groups.append(Group(id=gid, label=line, units=[], mandatory=kind == "Mandatory", line=i + 1,
                                    min_credits=int(n) if bound != "maximum" else None,
                                    max_credits=int(n) if bound == "maximum" else None))
            elif m := _ROW.match(line):
                if not groups:
                    raise self.fail(i, "unit row before any group heading")
                ref = m.group(1).upper()  # L157 has "k/506/2155"
                if ref in rows:
                    raise self.fail(i, f"unit {ref} listed twice")
                groups[-1].units.append(ref)
                rows[ref] = (groups[-1].id, m.group(2), int(m.group(3)), int(m.group(4)))
            elif groups and line and line != _ROC_HEADER:
                raise self.fail(i, f"unexpected line in the rules-of-combination tables: {line[:60]!r}")
        if [g.id for g in groups] != ["A", "B", "C", "D"] or not groups[0].mandatory:
            raise self.fail(start, f"expected Mandatory Group A and Optional Groups B-D, got {[g.id for g in groups]}")
        m, i = self.match(S_ROC, r"Learners must successfully complete .*")
        rule = _RULE.fullmatch(m.group(0))
        if not rule:
            raise self.fail(i, "rule of combination wording not recognised")
        total, n_mand, mand, b_min, c_min, d_max = rule.groups()
        a, b, c, d = groups
        credits = {g.id: sum(rows[u][3] for u in g.units) for g in groups}
        checks = [
            (_NUMBERS.get(n_mand), len(a.units), "number of mandatory units"),
            (int(mand), a.min_credits, "mandatory credits (rule vs heading)"),
            (int(mand), credits["A"], "mandatory credits (rule vs unit credits)"),
            (int(b_min), b.min_credits, "Group B minimum"),
            (int(c_min), c.min_credits, "Group C minimum"),
            (int(d_max), d.max_credits, "Group D maximum"),
        ]
        for stated, found, what in checks:
            if stated != found:
                raise self.fail(i, f"{what}: rule says {stated}, tables give {found}")
        if int(total) > sum(credits.values()):
            raise self.fail(i, f"{total} credits required but the tables offer {sum(credits.values())}")
        ruleset = RuleSet(groups=groups, min_credits=int(total), text=m.group(0),
                          citation=Citation(SOURCE_ID, i + 1, section=S_ROC))
        return ruleset, rows

    # -- unit blocks ----------------------------------------------------------------------------------
    def units(self) -> list[tuple[UnitSpec, str]]:
        start, end = self.text.sections[S_UNITS]
        out: list[tuple[UnitSpec, str]] = []
        group, i = None, start + 1
        while i < end:
            line = self.lines[i]
            if not line.strip() or line.strip() == "---\t--":  # page-break rule lines
                i += 1
            elif m := _SUBGROUP.match(line.strip()):
                group, i = m.group(2), i + 1
            elif line.startswith("URN:"):
                if group is None:
                    raise self.fail(i, "unit before any group heading")
                unit, i = self.unit(i, end)
                out.append((unit, group))
            else:
                raise self.fail(i, f"unexpected line between units: {line[:60]!r}")
        return out

    def unit(self, i: int, end: int) -> tuple[UnitSpec, int]:
        fields = {}
        for k, name in enumerate(_FIELDS):
            m = _FIELD.match(self.lines[i + k]) if i + k < end else None
            if not m or m.group(1) != name:
                raise self.fail(i + k, f"expected unit field {name!r}")
            fields[name] = m.group(2).strip()
        ref = fields["URN"]
        if not _URN.match(ref):
            raise self.fail(i, f"malformed URN {ref!r}")
        for name in ("Level", "Credit value", "GLH"):
            if not fields[name].isdigit():
                raise self.fail(i, f"{ref}: {name} is not a number: {fields[name]!r}")
        j = i + len(_FIELDS)
        if j >= end or squash(self.lines[j]) != _LO_HEADER:
            raise self.fail(j, f"{ref}: expected the learning outcomes header row")
        pieces: list[tuple[int, str]] = []
        requirement = None
        for j in range(j + 1, end):
            cells = [c.strip() for c in strip_tags(self.lines[j]).split("\t")]
            if _REQ.match(cells[0]):
                values = [c for c in cells[1:] if c]
                if len(values) != 1:
                    raise self.fail(j, f"{ref}: assessment requirements row has {len(values)} values")
                requirement = squash(values[0])
                break
            if self.lines[j].startswith("URN:"):
                break
            if self.lines[j].strip():
                pieces.append((j + 1, strip_tags(self.lines[j])))
        if requirement is None:
            raise self.fail(j, f"{ref}: unit block ends without its assessment requirements row")
        outcomes = parse_outcomes(self.file, pieces, ref)
        unit = UnitSpec(source=SOURCE_ID, ref=ref, number=None, title=fields["Title"], level=int(fields["Level"]),
                        credits=int(fields["Credit value"]), glh=int(fields["GLH"]), line=i + 1,
                        outcomes=outcomes, assessment_requirements=requirement,
                        simulation=_simulation(requirement))
        return unit, j + 1

    # -- Appendix A -----------------------------------------------------------------------------------
    def rwe_units(self) -> list[str]:
        start, end = self.text.sections[S_RWE]
        refs = [m.group(1) for s in self.lines[start:end] if (m := re.match(r"^- ([A-Z]/\d{3}/\d{4}) ", s))]
        numbers = [int(m.group(1)) for s in self.lines[start:end] if (m := re.match(r"^(\d)\. ", s))]
        if not refs or numbers != list(range(1, 10)):
            raise self.fail(end - 1, f"Appendix A: expected unit list and guidelines 1-9, got {numbers}")
        # The file ends with guideline 9's full stop (no final newline); anything else is a cut copy.
        last = max(i for i, s in enumerate(self.lines) if s.strip())
        if not self.lines[last].rstrip().endswith("."):
            raise self.fail(last, "file ends mid-sentence (truncated?)")
        return refs


def _simulation(requirement: str) -> str:
    """Per notes s.4: simulation is allowed only for Sales units (L393, L446); contact centre units must be
    assessed in a real working environment (L370); the e-skills unit defers to a strategy not in the text."""
    if "Sales Assessment Strategy" in requirement:
        return "allowed"
    if "IT User Assessment Strategy" in requirement:
        return "not stated"
    return "not allowed"


def parse(path: Path) -> SourceDocument:
    r = _Reader(Path(path))
    rules, rows = r.rules()
    specs = r.units()
    units = [u for u, _ in specs]
    if [u.ref for u in units] != list(rows):
        raise r.fail(r.text.sections[S_UNITS][0], "unit blocks do not match the rules-of-combination tables")
    for unit, group in specs:
        g, title, level, credits = rows[unit.ref]
        if (g, level, credits) != (group, unit.level, unit.credits):
            raise r.fail(unit.line - 1, f"{unit.ref}: table says group {g}, level {level}, {credits} credits; "
                                        f"unit block says group {group}, level {unit.level}, {unit.credits}")
        if title.casefold() != unit.title.casefold():
            raise r.fail(unit.line - 1, f"{unit.ref}: title {unit.title!r} differs from table {title!r}")
        if title != unit.title:
            unit.title_variants.append(title)

    sales = [u.ref for u in units if u.simulation == "allowed"]
    rwe = r.rwe_units()
    if sorted(rwe) != sorted(sales):
        raise r.fail(r.text.sections[S_RWE][0], f"Appendix A units {rwe} are not the Sales units {sales}")
    unit_sets = {
        "sales": sales, "rwe": rwe,
        "contact_centre": [u.ref for u in units if "Contact Centre Assessment" in u.assessment_requirements],
        "it": [u.ref for u in units if u.simulation == "not stated"],
    }
    return SourceDocument(
        id=SOURCE_ID, short_name=SHORT_NAME, file=r.file, qualification=_qualification(r, rules),
        units=units, facts=r.text.facts(FACTS, unit_sets), evidence_types=_evidence(r),
        line_count=len(r.lines),
    )


def _qualification(r: _Reader, rules: RuleSet) -> Qualification:
    title, _ = r.match(S_FRONT, r"SFJ Awards Level (\d) Diploma in Customer Service")
    number, _ = r.match(S_FRONT, r"Qualification Number: (\d{3}/\d{4}/\d)")
    start, _ = r.match(S_FRONT, r"Operation Start Date: (.+)")
    withdrawal, _ = r.match(S_QUAL, r"Please note that .* is being withdrawn\. No learners can therefore be "
                                    r"registered on this qualification after (.+?) and all certifications must be "
                                    r"completed by (.+?)\.")
    tqt, i = r.match(S_TQT, re.escape(title.group(0)) + r" (\d+) (\d+)")
    if r.lines[i - 1].split("\t") != ["Qualification Title", "TQT", "GLH"]:
        raise r.fail(i - 1, "TQT table header not as expected")
    age, _ = r.match("2.5 Age Restriction", r"This qualification is available to learners aged .*")
    entry, _ = r.match("2.2 Pre-entry Requirements", r"There are no pre-entry requirements .*")
    return Qualification(
        awarding_body="SFJ Awards", title=title.group(0), number=number.group(1), level=int(title.group(1)),
        framework=None,  # V3 "Remove references to QCF"; no framework is stated
        credits=rules.min_credits, glh=tqt.group(2), tqt=int(tqt.group(1)), status="withdrawn",
        dates={"operational_start": start.group(1), "last_registration": withdrawal.group(1),
               "certification_end": withdrawal.group(2)},
        grading=None, age=age.group(0), entry=entry.group(0), rules=rules, aliases=list(ALIASES),
    )


def _evidence(r: _Reader) -> list[EvidenceType]:
    out = []
    for key, name, section, first in EVIDENCE:
        text, cite = r.text.passage(FactSpec(key, section, first))
        if name.casefold() not in text.casefold():
            raise r.fail(cite.line - 1, f"evidence type {name!r} not named in its sentence")
        out.append(EvidenceType(key=key, name=name, description=text, citation=cite))
    return out
