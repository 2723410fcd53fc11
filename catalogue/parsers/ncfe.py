"""Parser for the NCFE Level 1 Certificate in Customer Service (QN 601/3972/9).

Layout (shared/source-notes/003.md): Section 1 holds the key facts and the rules of
combination with the group lists; Section 3 the unit summaries and then, with nothing
between them but a second `Unit 01 ...` heading, the unit detail (LOs, ACs, assessment
guidance); Section 4 the glossary of command verbs. Every unit appears in all three
places and the parser checks they agree.
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
    GlossaryTerm,
    Group,
    Outcome,
    Qualification,
    RuleSet,
    SourceDocument,
    UnitSpec,
)
from catalogue.parsers._ncfe_svq_text import SourceText, clean

SOURCE = "ncfe-l1"
SHORT_NAME = "NCFE Level 1 Certificate in Customer Service"

_UNIT_HEAD = re.compile(r"^Unit (\d{2}) (.+) \(([A-Z]/\d{3}/\d{4})\)( \(cont'd\))?$")
_FOOTER = re.compile(r"^Version \d+\.\d+ \w+ \d{4} Visit ncfe\.org\.uk")  # page-break junk
_GROUP_ITEM = re.compile(r"^- Unit (\d{2}) (.+) \((\d+) credits?\)$")
_BOILERPLATE = "Assessment guidance is provided below for some assessment criteria."
_NO_GUIDANCE = "There is no assessment guidance available for this unit."
_STRATEGY = re.compile(r"^(This unit must be assessed in line with Skills CFA [A-Za-z ]+ Assessment Strategy\.)( .*)?$")

# Evidence list names (L306-316) -> canonical keys of EvidenceType.
_EVIDENCE_KEYS = {
    "Assessor observation": "observation",
    "witness testimony": "witness_testimony",
    "work product": "product",
    "worksheets": "other",
    "assignments/projects/reports": "other",
    "record of professional discussion": "professional_discussion",
    "record of oral and written questioning": "questioning",
    "learner and peer reports": "report",
    "Recognition of Prior Learning (RPL)": "rpl",
}


@dataclass
class _Summary:
    number: str
    ref: str
    title: str
    line: int
    purpose: list[str] = field(default_factory=list)
    glh: Optional[int] = None
    credits: Optional[int] = None
    level: Optional[int] = None
    status: Optional[str] = None  # "mandatory" | "optional" where the summary says


@dataclass
class _Detail:
    number: str
    ref: str
    title: str
    line: int
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requirements: Optional[str] = None
    guidance: list[list] = field(default_factory=list)  # [ref or None, text] items in source order


def parse(path: Path) -> SourceDocument:
    t = SourceText(path, SOURCE)
    sec = _sections(t)
    groups, listed, rules = _rules(t, sec[1], sec[2])
    summaries, detail_start = _summaries(t, sec[3], sec[4])
    details = _details(t, detail_start, sec[4])
    units = _merge(t, listed, summaries, details)
    refs = {u.number: u.ref for u in units}
    for g in groups:
        g.units = [refs[n] for n in g.units]
    qualification = _qualification(t, sec, rules)
    return SourceDocument(
        id=SOURCE,
        short_name=SHORT_NAME,
        file=t.file,
        qualification=qualification,
        units=units,
        facts=_facts(t, sec, units),
        evidence_types=_evidence_types(t, sec),
        glossary=_glossary(t, sec[4], sec[5]),
        line_count=len(t),
    )


def _sections(t: SourceText) -> dict[int, int]:
    """Line of each bare `Section N` marker, in order (the contents list has tab + page)."""
    sec, start = {}, 1
    for k in range(1, 6):
        sec[k], _ = t.find(rf"^Section {k}$", start, what=f"the 'Section {k}' heading")
        start = sec[k] + 1
    return sec


def _rules(t: SourceText, start: int, end: int) -> tuple[list[Group], dict[str, tuple], RuleSet]:
    n, m = t.find(r"^To be awarded the .+, learners must achieve a minimum of (\d+) credits:$", start, end, "the rule of combination")
    total = int(m[1])
    na, ma = t.find(r"^- a total of \*\*(\d+)\*\* credits from Group A$", n, n + 3, "the Group A credit rule")
    nb, mb = t.find(r"^- a minimum of (\d+) credits from Group B$", na, n + 4, "the Group B credit rule")
    nr, _ = t.find(r"^- and the remaining credits can come from Group B or Group C$", nb, n + 5, "the remaining-credits rule")
    text = "\n".join(clean(t[k]) for k in range(n, nr + 1) if t[k].strip())

    groups, listed = [], {}
    at = nr
    for gid, kind in (("A", "mandatory"), ("B", "optional"), ("C", "optional")):
        gl, _ = t.find(rf"^Group {gid} {kind} units$", at, end, f"the Group {gid} {kind} unit list")
        units, k = [], t.next_text(gl, end)
        while k <= len(t) and (m := _GROUP_ITEM.match(t[k])):
            units.append(m[1])
            listed[m[1]] = (gid, int(m[3]), m[2], k)
            k += 1
        if not units:
            raise t.error(gl, f"Group {gid} lists no units")
        groups.append(Group(id=gid, label=t[gl], units=units, mandatory=gid == "A", line=gl))
        at = k
    groups[0].min_credits, groups[1].min_credits = int(ma[1]), int(mb[1])
    group_a = sum(listed[u][1] for u in groups[0].units)
    if group_a != groups[0].min_credits:
        raise t.error(na, f"Group A units add up to {group_a} credits, the rule says {groups[0].min_credits}")
    rules = RuleSet(groups=groups, min_credits=total, text=text, citation=t.cite(n, nr, "Achieving this qualification"))
    return groups, listed, rules


def _summaries(t: SourceText, start: int, end: int) -> tuple[dict[str, _Summary], int]:
    """Unit summaries: heading, purpose, GLH, credit value, level, optional status line.
    They end where a unit heading repeats (the detail part begins); returns its line."""
    n0, _ = t.find(r"^Unit summaries$", start, end, "'Unit summaries'")
    out: dict[str, _Summary] = {}
    cur: Optional[_Summary] = None
    for n in range(n0 + 1, end):
        line = clean(t[n])
        if not line:
            continue
        m = _UNIT_HEAD.match(line)
        if m:
            if m[1] in out:
                if m[1] != "01" or m[4]:
                    raise t.error(n, f"unit {m[1]} summary appears twice")
                _check_summary(t, cur)
                return out, n
            if cur:
                _check_summary(t, cur)
            cur = out[m[1]] = _Summary(m[1], m[3], m[2], n)
        elif cur is None:
            raise t.error(n, "expected a unit heading")
        elif m := re.fullmatch(r"Guided learning hours: (\d+)", line):
            cur.glh = int(m[1])
        elif m := re.fullmatch(r"Credit value: (\d+)(?: Level: (\d))?", line):
            cur.credits = int(m[1])
            cur.level = int(m[2]) if m[2] else cur.level
        elif m := re.fullmatch(r"Level: (\d)", line):
            cur.level = int(m[1])
        elif m := re.fullmatch(r"This unit is (mandatory|optional)", line):
            cur.status = m[1]
        elif cur.glh is None:
            cur.purpose.append(line)
        else:
            raise t.error(n, f"unexpected line in the unit {cur.number} summary")
    raise t.error(end, "the unit detail (a second 'Unit 01' heading) is missing")


def _check_summary(t: SourceText, s: _Summary) -> None:
    for name in ("glh", "credits", "level"):
        if getattr(s, name) is None:
            raise t.error(s.line, f"unit {s.number} summary has no {name}")
    if not s.purpose:
        raise t.error(s.line, f"unit {s.number} summary has no purpose text")


def _details(t: SourceText, start: int, end: int) -> list[_Detail]:
    """A line-based state machine over the unit detail part (start .. end-1).

    States: head (after a heading), will (expect an LO line), lo (expect 'The learner
    can'), ac (AC list), guidance (after the heading), intro (after the boilerplate),
    items (guidance items keyed by AC), closed (no guidance / strategy sentence).
    """
    units: list[_Detail] = []
    cur: Optional[_Detail] = None
    state = "head"
    for n in range(start, end):
        raw = t[n]
        if not raw.strip() or _FOOTER.match(raw):
            continue
        line = clean(raw)
        m = _UNIT_HEAD.match(line)
        if m:
            if m[4]:  # "(cont'd)" after a page break: the same unit goes on
                if cur is None or (m[1], m[2], m[3]) != (cur.number, cur.title, cur.ref):
                    raise t.error(n, "continuation heading does not match the current unit")
                continue
            if cur:
                _close_unit(t, cur, state, n)
            if m[1] != f"{len(units) + 1:02d}":
                raise t.error(n, f"expected Unit {len(units) + 1:02d}, found Unit {m[1]}")
            cur, state = _Detail(m[1], m[3], m[2], n), "head"
            units.append(cur)
            continue
        if cur is None:
            raise t.error(n, "expected a unit heading")
        state = _detail_line(t, n, raw, line, cur, state)
    if cur is None:
        raise t.error(start, "no unit detail found")
    _close_unit(t, cur, state, end)
    return units


def _detail_line(t: SourceText, n: int, raw: str, line: str, cur: _Detail, state: str) -> str:
    """Consume one non-blank line of a unit's detail; returns the new state."""
    if line == "The learner will:" and state in ("head", "ac"):
        if state == "ac" and not cur.outcomes[-1].criteria:
            raise t.error(n, f"learning outcome {cur.outcomes[-1].number} of unit {cur.number} has no ACs")
        return "will"
    if state == "will":
        m = re.fullmatch(r"(\d+) (.+)", line)
        if not m or int(m[1]) != len(cur.outcomes) + 1:
            raise t.error(n, f"expected learning outcome {len(cur.outcomes) + 1} of unit {cur.number}")
        cur.outcomes.append(Outcome(number=m[1], text=m[2], kind=_lo_kind(t, n, m[2]), line=n))
        return "lo"
    if state == "lo":
        if not re.fullmatch(r"The learner can:?", line):
            raise t.error(n, "expected 'The learner can:'")
        return "ac"
    if state == "ac":
        lo = cur.outcomes[-1]
        if m := re.fullmatch(r"- (\d+)\.(\d+) (.+)", line):
            if m[1] != lo.number or int(m[2]) != len(lo.criteria) + 1:
                raise t.error(n, f"expected AC {lo.number}.{len(lo.criteria) + 1} of unit {cur.number}")
            lo.criteria.append(Criterion(ref=f"{m[1]}.{m[2]}", text=m[3], kind="ac", line=n))
            return "ac"
        if raw.startswith(" ") and lo.criteria:  # ' - a) employers' sub-items and wrapped text join the AC
            lo.criteria[-1].text += " " + re.sub(r"^- ", "", line)
            return "ac"
        if not lo.criteria:
            raise t.error(n, f"learning outcome {lo.number} of unit {cur.number} has no ACs")
    if line == "Assessment guidance" and state == "ac":
        return "guidance"
    if line.startswith(_BOILERPLATE) and state in ("ac", "guidance"):  # unit 11 has no heading
        cur.notes.append(line)
        return "intro"
    if line == "Assessment criteria:" and state == "intro":
        return "items"
    if line == _NO_GUIDANCE and state == "ac":
        cur.notes.append(line)
        return "closed"
    if (m := _STRATEGY.match(line)) and state == "guidance":
        cur.requirements = m[1]
        return "closed"
    if state == "items":
        _guidance_line(t, n, raw, line, cur)
        return "items"
    raise t.error(n, f"unexpected line in unit {cur.number} ({state})")


def _lo_kind(t: SourceText, n: int, text: str) -> str:
    if text.startswith(("Know ", "Understand ")):
        return "knowledge"
    if text.startswith("Be able to "):
        return "competence"
    raise t.error(n, "learning outcome is neither 'Know/Understand' nor 'Be able to'")


def _guidance_line(t: SourceText, n: int, raw: str, line: str, cur: _Detail) -> None:
    """Guidance items: '- N.M Term text' (the dash is sometimes missing), indented or
    (after an item ending in ':') unindented '- ' sub-items, and wrapped lines."""
    last = cur.guidance[-1] if cur.guidance else None
    if raw.startswith(" - ") or (line.startswith("- ") and last and not re.match(r"-? ?\d+\.\d+ ", line)):
        if last is None:
            raise t.error(n, "sub-item before any guidance item")
        last[1] += "\n- " + line[2:]
    elif raw.startswith(" "):
        if last is None:
            raise t.error(n, "continuation before any guidance item")
        last[1] += " " + line
    elif m := re.fullmatch(r"-? ?(\d+\.\d+) (.+)", line):
        if not any(c.ref == m[1] for o in cur.outcomes for c in o.criteria):
            raise t.error(n, f"guidance for AC {m[1]}, which unit {cur.number} does not have")
        cur.guidance.append([m[1], m[2]])
    elif line.startswith("- "):  # an item that names no AC (unit 01, L637): a unit note
        cur.guidance.append([None, line[2:]])
    else:
        raise t.error(n, f"unexpected line in unit {cur.number} assessment guidance")


def _close_unit(t: SourceText, cur: _Detail, state: str, n: int) -> None:
    if state == "closed" or (state == "items" and cur.guidance):
        for ref, text in cur.guidance:
            if ref is None:
                cur.notes.append(text)
                continue
            crit = next(c for o in cur.outcomes for c in o.criteria if c.ref == ref)
            crit.guidance = text if crit.guidance is None else crit.guidance + "\n" + text
        return
    raise t.error(n, f"unit {cur.number} ends before its assessment guidance block")


def _merge(t: SourceText, listed: dict[str, tuple], summaries: dict[str, _Summary], details: list[_Detail]) -> list[UnitSpec]:
    """Join the group lists, summaries and detail; they must name the same units."""
    numbers = [d.number for d in details]
    for name, seen in (("group lists", list(listed)), ("unit summaries", list(summaries))):
        if sorted(seen) != numbers:
            raise t.error(details[0].line, f"the {name} name units {sorted(seen)}, the unit detail {numbers}")
    units = []
    for d in details:
        s, (gid, credits, list_title, list_line) = summaries[d.number], listed[d.number]
        if s.ref != d.ref:
            raise t.error(d.line, f"unit {d.number} is {s.ref} in its summary but {d.ref} here")
        if credits != s.credits:
            raise t.error(list_line, f"unit {d.number} has {credits} credits here but {s.credits} in its summary")
        if s.status and (s.status == "mandatory") != (gid == "A"):
            raise t.error(s.line, f"unit {d.number} is {s.status} but listed in Group {gid}")
        variants = sorted({s.title, list_title} - {d.title})
        units.append(
            UnitSpec(
                source=SOURCE,
                ref=d.ref,
                number=d.number,
                title=d.title,
                level=s.level,
                credits=s.credits,
                glh=s.glh,
                line=d.line,
                title_variants=variants,
                outcomes=d.outcomes,
                summary=" ".join(s.purpose),
                assessment_requirements=d.requirements,
                notes=d.notes,
            )
        )
    return units


def _qualification(t: SourceText, sec: dict[int, int], rules: RuleSet) -> Qualification:
    n, m = t.find(r"^(NCFE Level 1 Certificate in Customer Service) QN: (\d{3}/\d{4}/\d)$", 1, sec[1], "the title line")
    title, qn = m[1], m[2]
    n2, m2 = t.find(r"^Qualification number \(QN\): (\S+)$", sec[1], sec[2], "the qualification number")
    if m2[1] != qn:
        raise t.error(n2, f"qualification number {m2[1]} differs from {qn} on line {n}")
    _, hours = t.find(r"^Total Qualification Time \(TQT\): (\d+) ?Guided learning hours \(GLH\): (\d+)$", sec[1], sec[2], "TQT and GLH")
    nc, credits = t.find(r"^Credit value: (\d+)$", sec[1], sec[2], "the credit value")
    if int(credits[1]) != rules.min_credits:
        raise t.error(nc, f"credit value {credits[1]} differs from the rule's minimum of {rules.min_credits}")
    _, level = t.find(r"^Level: (\d)$", sec[1], sec[2], "the level")
    _, age = t.find(r"^This qualification is suitable for learners aged (.+)\.$", sec[1], sec[2], "the age")
    _, grading = t.find(r"(Grades are not awarded\.)", sec[1], sec[2], "the grading statement")
    entry = t.fact("entry", "There are no specific recommended prior learning requirements", start=sec[1])
    _, version = t.find(r"^(Version \d+\.\d+ \w+ \d{4})$", sec[5], what="the version line")
    return Qualification(
        awarding_body="NCFE",
        title=title,
        number=qn,
        level=int(level[1]),
        framework=None,  # the specification names no framework (RQF/QCF)
        credits=int(credits[1]),
        glh=hours[2],
        tqt=int(hours[1]),
        status=None,
        dates={"specification": version[1]},
        grading=grading[1],
        age=age[1],
        entry=entry.text,
        rules=rules,
        aliases=[
            "NCFE level 1",
            "NCFE L1",
            "NCFE certificate",
            "NCFE customer service",
            "level 1 certificate",
            "level 1 certificate in customer service",
            "L1 certificate",
        ],
    )


def _facts(t: SourceText, sec: dict[int, int], units: list[UnitSpec]) -> list[Fact]:
    s1, s2, s5 = sec[1], sec[2], sec[5]
    f = t.fact
    by_number = {u.number: u.ref for u in units}
    facts = [
        f("status", "Version 4.2 June 2022", start=s5, whole=True),
        f("status", "The qualification review date is", start=s1, section="Qualification dates", whole=True),
        f("status", "v4.2", start=1, section="Summary of changes", whole=True),
        f("assessment_method", "Assessment requirements: internally assessed", start=s1, section="Things you need to know", whole=True),
        f("assessment_method", "This qualification must be assessed in line with Skills CFA Assessment Strategy.", start=s2),
        f("assessment_method", "is internally assessed.", start=s2, section="How the qualification is assessed"),
        f("assessment_method", "Each learner must create a portfolio of evidence", start=s2, section="Internal assessment", whole=True),
        f("assessment_method", "The main pieces of evidence for the portfolio could include", start=s2, section="Internal assessment", items=True),
        f("assessment_method", "Assessors can use other methods of assessment", start=s2, section="Internal assessment"),
        f("assessment_method", "For approval of methods of internal assessment other than portfolio building", start=s2, whole=True),
        f("assessor_requirements", "Assessors must be satisfied that learners have achieved", start=s2, section="Internal assessment", whole=True),
        f("language", "must be assessed in English", start=s2, section="How the qualification is assessed", whole=True),
        f("simulation", "A competence-based qualification must be assessed in the workplace", start=s1, section="Introduction"),
        f("simulation", "it is essential that organisations wishing to operate an RWE", start=s1, whole=True,
          section="Qualifications and awards with simulation and assessment in a Realistic Work Environment (RWE)"),
        f("simulation", "with simulation used only in exceptional circumstances", start=s2, section="Internal assessment"),
        f("observation", "Assessor observation", start=s2, section="Internal assessment", whole=True),
        f("witness_testimony", "witness testimony", start=s2, section="Internal assessment", whole=True),
        f("professional_discussion", "record of professional discussion", start=s2, section="Internal assessment", whole=True),
        f("grading", "Grades are not awarded.", start=s1, section="Achieving this qualification", whole=True),
        f("resubmission", "can resubmit work within the registration period", start=s1, section="Achieving this qualification"),
        f("resubmission", "A Credit Certificate can be requested", start=s1, section="Achieving this qualification"),
        f("credit_transfer", "allow the credit to be transferred", start=s1, section="Credit transfer", whole=True),
        f("exemptions", "there are no exemptions currently identified", start=s1, section="Exemption", whole=True),
        f("exemptions", "this qualification has no equivalent units identified", start=s1, section="Equivalent units", whole=True),
        f("rpl", "Centres may recognise prior learning at their discretion", start=s1, section="Recognition of Prior Learning (RPL)", whole=True),
        f("age", "This qualification is designed for learners aged", start=s1, section="Entry guidance", whole=True),
        f("age", "This qualification is suitable for learners aged", start=s1, section="Entry guidance", whole=True),
        f("entry", "Registration is at the discretion of the centre", start=s1, section="Entry guidance", whole=True),
        f("entry", "There are no specific recommended prior learning requirements", start=s1, section="Entry guidance", whole=True),
        f("entry", "shouldn't undertake another qualification at the same level", start=s1, section="Entry guidance"),
        f("progression", "Learners who achieve this qualification could progress to:", start=s1, section="Progression opportunities", items=True),
        f("progression", "It may also be useful to learners studying qualifications", start=s1, section="Progression opportunities", items=True),
        f("countersigning", "Assessors working towards an appropriate qualification must ensure their decisions are countersigned",
          start=s1, section="Assessors and Internal Quality Assurance"),
        f("assessor_requirements", "Staff involved in the Assessment and Internal Quality Assurance", start=s1,
          section="Assessors and Internal Quality Assurance", whole=True),
        f("assessor_requirements", "Staff must hold or be working towards an assessor qualification.", start=s1,
          section="Assessors and Internal Quality Assurance"),
        f("assessor_requirements", "Staff must have recent and relevant experience", start=s1, section="Examples of work experience", whole=True),
        f("assessor_requirements", "Teaching specialist in Customer Service", start=s1, section="Examples of work experience", whole=True),
        f("centre_requirements", "Centres delivering any of NCFE's qualifications must:", start=s1, section="Staffing requirements", items=True),
        f("centre_requirements", "Only learners from approved centres can be certificated.", start=s1, section="Customer Support Guide"),
        f("iqa", "Internal Quality Assurers to internally quality assure", start=s1, section="Staffing requirements", whole=True),
        f("iqa", "implement effective internal quality assurance systems", start=s1, section="Staffing requirements", whole=True),
        f("iqa", "Moderation is the process by which we confirm", start=s2, section="Moderation", items=True),
        f("iqa", "The Internal Moderator provides the vital link", start=s2, section="Moderation", whole=True),
        f("reasonable_adjustments", "This policy is aimed at our customers", start=s1,
          section="Reasonable Adjustments and Special Considerations Policy", whole=True),
        f("reasonable_adjustments", "Learners who require reasonable adjustments or special consideration", start=s5,
          section="Diversity, access and inclusion", whole=True),
        # Unit guidance that says how evidence may be gathered (kept under the nearest topic).
        f("witness_testimony", "should be confirmed by a line manager or experienced colleague", start=sec[3],
          units=[by_number["02"]], section="Unit 02 Assessment guidance"),
        f("witness_testimony", "should be confirmed by a line manager or experienced colleague", start=t.find(r"^Unit 11 .*\(cont'd\)$", sec[3])[0],
          units=[by_number["11"]], section="Unit 11 Assessment guidance"),
        f("simulation", "can be met by 'what if' scenarios", start=sec[3], units=[by_number["11"]], section="Unit 11 Assessment guidance"),
    ]
    for u in units:
        if u.assessment_requirements:
            n, _ = t.find(re.escape(u.assessment_requirements), u.line)
            facts.append(Fact("assessment_method", u.assessment_requirements, t.cite(n, section=f"Unit {u.number} Assessment guidance"), [u.ref]))
    return facts


def _evidence_types(t: SourceText, sec: dict[int, int]) -> list[EvidenceType]:
    n, _ = t.find(r"^The main pieces of evidence for the portfolio could include", sec[2], sec[3], "the evidence list")
    out, k = [], t.next_text(n)
    while t[k].startswith("- "):
        name = t[k][2:].rstrip(".")
        out.append(EvidenceType(_EVIDENCE_KEYS.get(name, "other"), name, None, t.cite(k, section="Internal assessment")))
        k += 1
    if len(out) < 2:
        raise t.error(n, "the evidence list is missing")
    return out


def _glossary(t: SourceText, start: int, end: int) -> list[GlossaryTerm]:
    n, _ = t.find(r"^Explanation of terms used at Level 1", start, end, "the glossary heading")
    terms, k = [], t.next_text(n, end)
    while k < end and t[k].strip():
        m = re.fullmatch(r"([^\t]+)\t([^\t]+)", t[k])
        if not m:
            raise t.error(k, "glossary line is not 'term<TAB>definition'")
        terms.append(GlossaryTerm(m[1], m[2], t.cite(k, section="Section 4 Explanation of terms")))
        k += 1
    if not terms:
        raise t.error(n, "the glossary is empty")
    return terms
