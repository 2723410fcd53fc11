"""Parser for the Pearson SVQ 4 in Customer Service at SCQF Level 8 (pre-publication draft).

Layout (shared/source-notes/004.md): §3 key-information table, §5 rules and the unit
table split by group, §9 assessment, §12 the 19 units in the SVQ/NOS format (flat K&U
list, then unlabelled element headings each followed by performance criteria whose
numbering runs on), Annexe A the Skills CFA assessment strategy. The file states no
qualification number, so none is set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from catalogue.model import (
    Criterion,
    EvidenceType,
    Fact,
    Group,
    Outcome,
    Qualification,
    RuleSet,
    SourceDocument,
    UnitSpec,
)
from catalogue.parsers._ncfe_svq_text import SourceText, clean

SOURCE = "svq4"
SHORT_NAME = "Pearson SVQ 4 in Customer Service (SCQF Level 8)"

_HEADINGS = {  # key -> the section heading line as it stands in the body (the contents list adds a tab)
    "summary": "3 Qualification summary and key information",
    "rationale": "4 Qualification rationale",
    "structure": "5 Qualification structure",
    "delivery": "6 Programme delivery",
    "resources": "7 Centre resource requirements",
    "access": "8 Access and recruitment",
    "assessment": "9 Assessment",
    "approval": "10 Centre recognition and approval",
    "quality": "11 Quality assurance of centres",
    "units": "12 Unit format",
    "further": "13 Further information and useful publications",
    "annexe": "Annexe A: Assessment strategy",
}
_GROUP_HEAD = re.compile(
    r"^Unit\tSQA unit code\t(Mandatory|Optional) units? – Group ([A-E]) (.+?)( \(continued\))?\tCredit points\tSCQF Level$"
)
_TABLE_ROW = re.compile(r"^(\d+)\t([A-Z0-9]+)\t([^\t]+)\t(\d+)\t(\d+)$")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
_GROUP_LIST = r"([A-E](?:, [A-E])*(?: and [A-E])?)"
# "... (O)" abbreviations of §9 Types of evidence -> canonical EvidenceType keys
_EVIDENCE_KEYS = {
    "O": "observation",
    "Q&A": "questioning",
    "P": "product",
    "RA": "reflective_account",
    "PD": "professional_discussion",
    "WT": "witness_testimony",
    "EWT": "expert_witness",
    "RPL": "rpl",
}
# Unit headings of the SVQ unit format, in the order each unit must give them.
_UNIT_SECTIONS = [
    ("Unit summary", "summary"),
    ("Unit assessment requirements", "requirements"),
    ("Terminology", "terminology"),
    ("Assessment outcomes and standards", "standards"),
    ("Knowledge and understanding", "ku"),
    ("Performance criteria", "pc"),
]
_SECTION_OF = dict(_UNIT_SECTIONS)
_ORDER = ["fields"] + [state for _, state in _UNIT_SECTIONS]


@dataclass
class _Unit:
    number: str
    line: int
    title: Optional[str] = None
    code: Optional[str] = None
    level: Optional[int] = None
    credits: Optional[int] = None
    state: str = "title"
    text: dict[str, list[str]] = field(default_factory=dict)  # summary/requirements/terminology paragraphs
    knowledge: list[Criterion] = field(default_factory=list)
    elements: list[Outcome] = field(default_factory=list)
    pcs: int = 0


def parse(path: Path) -> SourceDocument:
    t = SourceText(path, SOURCE)
    sec = _sections(t)
    info = _key_info(t, sec["summary"], sec["rationale"])
    rules, table = _structure(t, sec["structure"], sec["delivery"])
    if rules.total_units != int(info["Number of required units"][1]):
        raise t.error(info["Number of required units"][0], "required units differ from the rules of combination")
    units = [_unit_spec(t, u, table) for u in _units(t, sec["units"], sec["further"])]
    if [u.number for u in units] != [str(k) for k in range(1, len(table) + 1)]:
        raise t.error(sec["further"], f"the unit table lists {len(table)} units, the unit pages give {len(units)}")
    return SourceDocument(
        id=SOURCE,
        short_name=SHORT_NAME,
        file=t.file,
        qualification=_qualification(t, info, rules),
        units=units,
        facts=_facts(t, sec, units),
        evidence_types=_evidence_types(t, sec),
        line_count=len(t),
    )


def _sections(t: SourceText) -> dict[str, int]:
    sec, start = {}, 1
    for key, heading in _HEADINGS.items():
        sec[key], _ = t.find(f"^{re.escape(heading)}$", start, what=f"the heading {heading!r}")
        start = sec[key] + 1
    return sec


def _key_info(t: SourceText, start: int, end: int) -> dict[str, tuple[int, str]]:
    """§3 table rows 'label<TAB>value' -> (line, value)."""
    info = {}
    for n in range(start + 1, end):
        if "\t" in t[n]:
            label, value = t[n].split("\t", 1)
            info[label] = (n, clean(value))
    for label in ("Qualification title", "Operational start date", "Minimum age", "Number of required units",
                  "Credit points", "Assessment", "Grading information", "Entry requirements"):
        if label not in info:
            raise t.error(start, f"the key information table has no {label!r} row")
    return info


def _structure(t: SourceText, start: int, end: int) -> tuple[RuleSet, dict[str, tuple]]:
    """§5: the rules table (L217-220) and the unit table split into group sub-tables."""
    n1, m1 = t.find(r"^Minimum number of credits that must be achieved\t(\d+)$", start, end, "the minimum credits row")
    n2, m2 = t.find(r"^Minimum number of credits that must be achieved at Level (\d+) or above\t(\d+)$", n1, end, "the level credits row")
    n3, m3 = t.find(r"^Number of mandatory units that must be achieved\t(\d+)$", n2, end, "the mandatory units row")
    n4, m4 = t.find(r"^Number of optional units that must be achieved (.+)\t(\d+)$", n3, end, "the optional units row")
    prose, optional = m4[1], int(m4[2])
    each = re.search(rf"a minimum of (\w+) unit from Optional Groups {_GROUP_LIST}\.", prose)
    more = re.search(rf"a further (\w+) units from any of Groups {_GROUP_LIST}$", prose)
    if not each or not more or each[1] not in _WORDS or more[1] not in _WORDS:
        raise t.error(n4, "cannot read the optional-unit rule")
    each_groups, more_groups = re.findall(r"[A-E]", each[2]), re.findall(r"[A-E]", more[2])
    if _WORDS[each[1]] * len(each_groups) + _WORDS[more[1]] != optional:
        raise t.error(n4, f"the optional-unit rule does not add up to {optional} units")

    groups: dict[str, Group] = {}
    table: dict[str, tuple] = {}  # unit number -> (code, title, credits, level, group, line)
    current: Optional[Group] = None
    for n in range(n4 + 1, end):
        line = t[n]
        if not line.strip():
            continue
        if m := _GROUP_HEAD.match(line):
            gid = m[2]
            if m[4]:  # "(continued)" repeats the header of the group in progress
                if current is None or current.id != gid:
                    raise t.error(n, f"continued header for Group {gid} outside that group")
                continue
            if gid in groups:
                raise t.error(n, f"Group {gid} appears twice")
            current = groups[gid] = Group(id=gid, label=line.split("\t")[2], units=[], mandatory=m[1] == "Mandatory", line=n)
        elif (m := _TABLE_ROW.match(line)) and current:
            if m[1] != str(len(table) + 1):
                raise t.error(n, f"expected unit {len(table) + 1} in the unit table")
            table[m[1]] = (m[2], m[3], int(m[4]), int(m[5]), current.id, n)
            current.units.append(m[2])
        else:
            raise t.error(n, "unexpected line in the qualification structure table")
    mandatory = [g for g in groups.values() if g.mandatory]
    if len(mandatory) != 1 or len(mandatory[0].units) != int(m3[1]):
        raise t.error(n3, f"expected one mandatory group of {m3[1]} units")
    for gid in each_groups + more_groups:
        if gid not in groups or groups[gid].mandatory:
            raise t.error(n4, f"the rule names Optional Group {gid}, which the table does not have")
    mandatory[0].min_units = mandatory[0].max_units = len(mandatory[0].units)
    for gid in each_groups:
        groups[gid].min_units = _WORDS[each[1]]
        if gid not in more_groups:  # only its minimum counts: Group D gives exactly one unit
            groups[gid].max_units = _WORDS[each[1]]
    rules = RuleSet(
        groups=list(groups.values()),
        min_credits=int(m1[1]),
        level_credits=(int(m2[1]), int(m2[2])),
        total_units=int(m3[1]) + optional,
        optional_units=optional,
        text="\n".join(t[k] for k in range(n1, n4 + 1)),
        citation=t.cite(n1, n4, "5 Qualification structure"),
        credit_name="SCQF credit points",
    )
    return rules, table


def _units(t: SourceText, start: int, end: int) -> list[_Unit]:
    """§12 unit pages, read line by line from the first 'Unit 1:' to the §13 heading."""
    first, _ = t.find(r"^Unit 1:", start, end, "'Unit 1:'")
    units: list[_Unit] = []
    for n in range(first, end):
        line = t[n].rstrip("\t ")
        if not line.strip():
            continue
        if m := re.fullmatch(r"Unit (\d+):(?: (.+))?", line):
            if units:
                _close(t, units[-1], n)
            if m[1] != str(len(units) + 1):
                raise t.error(n, f"expected Unit {len(units) + 1}, found Unit {m[1]}")
            units.append(_Unit(m[1], n, m[2], state="fields" if m[2] else "title"))
            continue
        if not units:
            raise t.error(n, "expected a unit heading")
        _unit_line(t, n, line, units[-1])
    if not units:
        raise t.error(start, "no units found")
    _close(t, units[-1], end)
    return units


def _unit_line(t: SourceText, n: int, line: str, u: _Unit) -> None:
    if line in _SECTION_OF:
        state = _SECTION_OF[line]
        if state == u.state and state in ("ku", "pc"):
            return  # a heading repeated after a page break: the list goes on
        if u.state == "title" or _ORDER.index(state) != _ORDER.index(u.state) + 1:
            raise t.error(n, f"unexpected heading {line!r} in unit {u.number}")
        if state == "summary" and None in (u.code, u.level, u.credits):
            raise t.error(n, f"unit {u.number} lacks its code, level or credit points")
        if state == "pc" and not u.knowledge:
            raise t.error(n, f"unit {u.number} has no knowledge and understanding statements")
        u.state = state
        return
    if u.state == "title":
        u.title, u.state = clean(line), "fields"
    elif u.state == "fields":
        m = re.fullmatch(r"(Unit code|SCQF level|Credit points):\s*(\S+)", line)
        if not m:
            raise t.error(n, f"expected unit code, SCQF level or credit points in unit {u.number}")
        if m[1] == "Unit code":
            u.code = m[2]
        elif not m[2].isdigit():
            raise t.error(n, f"{m[1]} is not a number")
        elif m[1] == "SCQF level":
            u.level = int(m[2])
        else:
            u.credits = int(m[2])
    elif u.state in ("summary", "requirements", "terminology", "standards"):
        u.text.setdefault(u.state, []).append(clean(line))
    elif u.state == "ku":
        m = re.fullmatch(r"(\d+)\t(.+)", line)
        if not m or int(m[1]) != len(u.knowledge) + 1:
            raise t.error(n, f"expected knowledge statement {len(u.knowledge) + 1} of unit {u.number}")
        u.knowledge.append(Criterion(ref=f"K&U{m[1]}", text=m[2].strip(), kind="ku", line=n))
    else:
        _pc_line(t, n, line, u)


def _pc_line(t: SourceText, n: int, line: str, u: _Unit) -> None:
    """Performance criteria: tab rows or markdown table rows; any other line is an element heading."""
    if re.fullmatch(r"- \|( \|)+|\|-+\|-+\|", line):  # table junk and separators
        return
    m = re.fullmatch(r"(\d+)\t(.+)", line) or re.fullmatch(r"\| (\d+) \| ([^|]+?) \|", line)
    if m:
        if not u.elements:
            raise t.error(n, f"performance criterion before any element heading in unit {u.number}")
        if int(m[1]) != u.pcs + 1:
            raise t.error(n, f"expected performance criterion {u.pcs + 1} of unit {u.number}")
        u.pcs += 1
        u.elements[-1].criteria.append(Criterion(ref=f"PC{m[1]}", text=m[2].strip(), kind="pc", line=n))
        return
    if "|" in line or "\t" in line or re.match(r"\d", line):
        raise t.error(n, f"malformed performance criterion row in unit {u.number}")
    if u.elements and not u.elements[-1].criteria:
        raise t.error(n, f"element {u.elements[-1].number} of unit {u.number} has no performance criteria")
    u.elements.append(Outcome(number=f"E{len(u.elements) + 1}", text=clean(line), kind="element", line=n))


def _close(t: SourceText, u: _Unit, n: int) -> None:
    if u.state != "pc" or not u.elements or not u.elements[-1].criteria:
        raise t.error(n, f"unit {u.number} ends before its performance criteria are complete")
    for key in ("summary", "requirements", "terminology"):
        if not u.text.get(key):
            raise t.error(u.line, f"unit {u.number} has no {key} text")


def _unit_spec(t: SourceText, u: _Unit, table: dict[str, tuple]) -> UnitSpec:
    if u.number not in table:
        raise t.error(u.line, f"unit {u.number} is not in the qualification structure table")
    code, title, credits, level, _, row = table[u.number]
    if (u.code, u.credits, u.level) != (code, credits, level):
        raise t.error(u.line, f"unit {u.number} page gives {u.code}/{u.credits}/{u.level}, the table (line {row}) {code}/{credits}/{level}")
    return UnitSpec(
        source=SOURCE,
        ref=code,
        number=u.number,
        title=u.title or "",
        level=u.level,
        credits=u.credits,
        glh=None,
        line=u.line,
        title_variants=[title] if title != u.title else [],
        outcomes=u.elements,
        knowledge=u.knowledge,
        summary="\n".join(u.text["summary"]),
        assessment_requirements=" ".join(u.text["requirements"]),
        terminology=" ".join(u.text["terminology"]),
    )


def _qualification(t: SourceText, info: dict[str, tuple[int, str]], rules: RuleSet) -> Qualification:
    n, m = t.find(r"^SVQ (\d) in (.+) at (SCQF Level \d+)$", 1, 10, "the title")
    title = t[n]
    if info["Qualification title"][1] != title:
        raise t.error(info["Qualification title"][0], "the key information title differs from the cover")
    credits = int(info["Credit points"][1])
    if credits != rules.min_credits:
        raise t.error(info["Credit points"][0], "credit points differ from the rules of combination")
    _, body = t.find(r"qualifications are awarded by (Pearson)\b", what="the awarding body")
    _, first = t.find(r"^First registration (\w+ \d{4})$", what="the first registration date")
    _, status = t.find(r"^(Pre Publication Draft)$", what="the publication status")
    age_m = re.match(r"(\d+\+)", info["Minimum age"][1])
    if not age_m:
        raise t.error(info["Minimum age"][0], "cannot read the minimum age")
    entry = re.match(r"(No prior knowledge.+?\.) ", info["Entry requirements"][1])
    if not entry:
        raise t.error(info["Entry requirements"][0], "cannot read the entry requirements")
    return Qualification(
        awarding_body=body[1],
        title=title,
        number=None,  # the specification gives no qualification number
        level=int(m[1]),  # the SVQ level ("SVQ 4"); the SCQF level is in framework
        framework=m[3],
        credits=credits,
        glh=None,
        tqt=None,
        status=status[1],
        dates={"first_registration": first[1], "operational_start": info["Operational start date"][1]},
        grading=info["Grading information"][1],
        age=age_m[1],
        entry=entry[1],
        rules=rules,
        aliases=[
            "the SVQ",
            "SVQ 4",
            "SVQ4",
            "SVQ level 4",
            "SVQ 4 in Customer Service",
            "SVQ customer service",
            "customer service SVQ",
            "pearson svq",
            "SCQF level 8",
        ],
    )


def _facts(t: SourceText, sec: dict[str, int], units: list[UnitSpec]) -> list[Fact]:
    f = t.fact
    key, asm, ann = sec["summary"], sec["assessment"], sec["annexe"]
    ki = "3 Qualification summary and key information"
    facts = [
        f("status", "Pre Publication Draft", whole=True, section="Cover"),
        f("status", "First registration", whole=True, section="Cover"),
        f("status", "Operational start date", start=key, whole=True, section=ki),
        f("age", "Minimum age", start=key, whole=True, section=ki),
        f("entry", "Entry requirements", start=key, whole=True, section=ki),
        f("entry", "Candidates must be in employment or working with a training provider", start=sec["delivery"], section="6 Programme delivery"),
        f("entry", "No prior knowledge, understanding, skills or qualifications are required", start=sec["access"],
          section="Prior knowledge, skills and understanding"),
        f("grading", "Grading information", start=key, whole=True, section=ki),
        f("assessment_method", "Portfolio of Evidence (internal assessment).", start=key, whole=True, section=ki),
        f("assessment_method", "To achieve a pass for the full qualification", start=asm, section="9 Assessment"),
        f("assessment_method", "The competence units in this qualification are assessed through", start=asm, whole=True, section="Internal assessment"),
        f("assessment_method", "To pass each unit the candidate must:", start=asm, items=True, section="Internal assessment"),
        f("assessment_method", "The candidate must have an assessment record", start=asm, whole=True, section="Internal assessment"),
        f("assessment_method", "evidence for internally assessed units can take a variety of forms", start=asm, items=True, section="Types of evidence"),
        f("assessment_method", "Candidates can use the abbreviations in their portfolios", start=asm, whole=True, section="Types of evidence"),
        f("assessment_method", "Candidates can also use one piece of evidence", start=asm, whole=True, section="Types of evidence"),
        f("assessment_method", "The Assessment Strategy for this qualification is included in", start=asm, section="Assessment strategy"),
        f("assessment_method", "should be generated and collected through performance under workplace conditions", start=ann,
          whole=True, section="Annexe A 4.1 Evidence from Workplace Performance"),
        f("assessment_method", "These conditions would be those typical to the candidate's normal place of work.", start=ann,
          whole=True, section="Annexe A 4.1 Evidence from Workplace Performance"),
        f("evidence_currency", "Current: usually not more than two years old", start=asm, whole=True, section="Internal assessment"),
        f("rpl", "the Recognition of Prior Learning (RPL)", start=asm, whole=True, section="Internal assessment"),
        f("language", "Assessment of the internally assessed units may be in English, Welsh or Irish.", start=asm, whole=True,
          section="Language of assessment"),
        f("language", "may be assessed in British or Irish Sign Language", start=asm, whole=True, section="Language of assessment"),
        f("observation", "direct observation of the candidate's performance by their assessor (O)", start=asm, whole=True, section="Types of evidence"),
        f("professional_discussion", "professional discussion (PD)", start=asm, whole=True, section="Types of evidence"),
        f("witness_testimony", "authentic statements/witness testimony (WT)", start=asm, whole=True, section="Types of evidence"),
        f("expert_witness", "expert witness testimony (EWT)", start=asm, whole=True, section="Types of evidence"),
        f("appeals", "Centres must have a policy for dealing with appeals from candidates.", start=asm, whole=True, section="Appeals"),
        f("appeals", "Centres must document all candidates' appeals and their resolutions.", start=asm, section="Appeals"),
        f("reasonable_adjustments", "Centres are able to make adjustments to assessments", start=asm, whole=True,
          section="Reasonable adjustments to assessment"),
        f("reasonable_adjustments", "Special consideration may not be applicable in instances where:", start=asm, items=True,
          section="Special consideration"),
        f("reasonable_adjustments", "Centres cannot apply their own special consideration", start=asm, whole=True, section="Special consideration"),
        f("credit_transfer", "All awarding organisations recognise the credits", start=asm, section="Credit transfer"),
        f("credit_transfer", "they do not need to retake any assessment for the same units", start=asm, section="Credit transfer"),
        f("credit_transfer", "The centre must keep evidence of unit achievement.", start=asm, section="Credit transfer"),
        f("progression", "can progress to the Modern Apprenticeship in Management", start=sec["rationale"], whole=True,
          section="Progression opportunities"),
        f("centre_requirements", "centres must make sure that the resource requirements below are in place", start=sec["resources"],
          items=True, section="7 Centre resource requirements"),
        f("centre_requirements", "need to apply for, and be granted, centre recognition", start=sec["approval"], whole=True,
          section="Centre recognition"),
        f("iqa", "Centres must follow quality assurance requirements for standardisation", start=sec["quality"],
          section="11 Quality assurance of centres"),
        f("iqa", "two standards verification visits per year", start=sec["quality"], section="11 Quality assurance of centres"),
        f("simulation", "or a Realistic Working Environment (RWE), where permitted", start=sec["resources"], whole=True,
          section="7 Centre resource requirements"),
        f("simulation", "Where RWE is permitted, it must offer the same conditions", start=sec["resources"], whole=True,
          section="7 Centre resource requirements"),
        f("assessor_requirements", "Staff assessing candidates must meet the occupational competence requirements", start=sec["resources"],
          section="7 Centre resource requirements"),
    ]
    s31, s32, s33 = "Annexe A 3.1 Assessors", "Annexe A 3.2 External quality assurer (EQA)", "Annexe A 3.3 Internal quality assurer (IQA)"
    facts += [
        f("assessor_requirements", "Candidates may be assessed, moderated or verified at work", start=ann, whole=True,
          section="Annexe A 3. Requirements of assessors, EQAs and IQAs"),
        f("assessor_requirements", "To be able to assess candidates, assessors must:", start=ann, whole=True, section=s31),
        f("assessor_requirements", 'be "occupationally competent".', start=ann, whole=True, section=s31),
        f("assessor_requirements", "hold an appropriate qualification, as specified by the appropriate regulatory authority, confirming their competence to assess",
          start=ann, whole=True, section=s31),
        f("assessor_requirements", "be working toward an appropriate qualification", start=ann, whole=True, section=s31),
        f("assessor_requirements", "It is the responsibility of approved centres to select and appoint assessors.", start=ann, section=s31),
        f("countersigning", "Any assessors working towards an appropriate qualification must ensure their decisions are countersigned",
          start=ann, section=s31),
        f("countersigning", "their decisions must be countersigned by a suitably qualified EQA", start=ann, section=s32),
        f("countersigning", "The need for countersigning the decisions of EQAs", start=ann, whole=True, section=s32),
        f("countersigning", "their decisions must be countersigned by a suitably qualified IQA", start=ann, section=s33),
        f("countersigning", "The need for countersigning the decisions of IQAs", start=ann, whole=True, section=s33),
        f("iqa", "A primary responsibility of IQAs is to assure", start=ann, whole=True, section=s33),
        f("iqa", "IQAs must demonstrate sufficient and current understanding", start=ann, whole=True, section=s33),
        f("iqa", "confirming their competence to internally verify", start=ann, whole=True, section=s33),
        f("iqa", "If an IQA is working towards an appropriate qualification", start=ann, whole=True, section=s33),
        f("iqa", "require all assessors, moderators and verifiers to maintain current", start=ann, whole=True, section=s33),
        f("assessor_requirements", "The Employer Direct Model is where colleagues, supervisors and/or managers", start=ann, whole=True,
          section="Annexe A 5. Employer Direct Model"),
    ]
    s42 = "Annexe A 4.2 Simulation"
    facts += [
        f("simulation", "Simulation can be applied to all QCF units listed in", start=ann, whole=True, section=s42),
        f("simulation", "Where simulation is used for QCF units at Level 2 and above", start=ann, whole=True, section=s42),
        f("simulation", "Evidence may be produced through simulation solely in exceptional circumstances.", start=ann, whole=True, section=s42),
        f("simulation", "Simulation must be undertaken in a 'realistic working environment' (RWE).", start=ann, whole=True, section=s42),
        f("simulation", "Simulation can also be used for SVQs.", start=ann, whole=True, section=s42),
        f("simulation", "Realistic Working Environment (RWE) can be applied to all the units in Appendix B", start=ann, whole=True,
          section="Annexe A Appendix A"),
        f("simulation", "To undertake the assessment in a RWE the following guidelines must be met:", start=ann, items=True,
          section="Annexe A Appendix A"),
        f("simulation", "Appendix B – Simulation: a list of QCF units", start=ann, whole=True, section="Annexe A Appendix B"),
    ]
    # Unit summaries that say who the unit is for.
    for number, anchor in (("4", "This unit is appropriate for you if"), ("8", "This unit is for you only if"),
                           ("13", "This unit does not assume you have full responsibility"), ("16", "This unit is for you if you are responsible"),
                           ("17", "This unit is for you if you have responsibility"), ("18", "You should choose this unit if"),
                           ("19", "You should choose this unit if")):
        u = units[int(number) - 1]
        facts.append(f("entry", anchor, start=u.line, whole=number == "16", units=[u.ref], section=f"Unit {number} summary"))
    return facts


def _evidence_types(t: SourceText, sec: dict[str, int]) -> list[EvidenceType]:
    n, _ = t.find(r"evidence for internally assessed units can take a variety of forms as indicated below:$", sec["assessment"],
                  sec["approval"], "the types of evidence")
    items, _ = t.list_after(n)
    rpl = t.fact("rpl", "the Recognition of Prior Learning (RPL) – where", start=sec["assessment"])
    out = []
    for k, name in enumerate(items, start=n + 2):
        name = name.rstrip(".")
        m = re.search(r"\(([^()]+)\)$", name)
        if not m or m[1] not in _EVIDENCE_KEYS or t[k] != f"- {name}" and t[k] != f"- {name}.":
            raise t.error(k, "unexpected evidence type")
        desc = rpl.text.split(" – ", 1)[1] if m[1] == "RPL" else None
        out.append(EvidenceType(_EVIDENCE_KEYS[m[1]], name, desc, t.cite(k, section="Types of evidence")))
    ann = sec["annexe"]
    work = t.fact("other", "Evidence of occupational competence of all competence units at any level", start=ann)
    sim = t.fact("simulation", "Simulation can also be used for SVQs.", start=ann, whole=True)
    out.append(EvidenceType("other", "Evidence from Workplace Performance", work.text,
                            t.cite(work.citation.line, section="Annexe A 4.1 Evidence from Workplace Performance")))
    out.append(EvidenceType("simulation", "Simulation", sim.text, t.cite(sim.citation.line, section="Annexe A 4.2 Simulation")))
    return out
