"""The HABC Level 3 Diploma parser against the counts and traps in source notes 001."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from catalogue.errors import SourceError
from catalogue.model import TOPICS
from catalogue.parsers import SOURCES_DIR, parse_source
from catalogue.parsers.habc import parse

FILE = "habc_l3_diploma.txt"
PATH = SOURCES_DIR / FILE

# Notes 001 §2 unit table: number, group, URN, title (ROC), level, credits, GLH, ROC line, block line, LOs, ACs.
NOTES = """\
1 M L/506/2150 Organise and deliver customer service|3 5 27 226 291 3 16
2 M Y/506/2152 Understand the customer service environment|3 5 40 227 314 4 16
3 M J/506/2910 Understand customers and customer retention|3 4 35 228 338 3 14
4 M K/506/2169 Resolve customers' problems|3 4 19 229 358 2 13
5 M D/506/1942 Principles of business|3 10 74 230 380 5 19
6 M T/506/2952 Manage personal and professional development|3 3 12 231 405 3 13
7 A Y/506/2166 Develop resources to support consistency of customer service delivery|3 5 21 240 428 3 13
8 A D/506/2167 Use service partnerships to deliver customer service|3 3 20 241 448 3 12
9 A R/506/2151 Resolve customers' complaints|3 4 22 242 468 2 17
10 A D/506/2170 Gather, analyse and interpret customer feedback|3 5 24 243 490 4 19
11 A K/506/2172 Monitor the quality of customer service interactions|3 5 27 244 515 3 15
12 A D/506/2119 Communicate verbally with customers|2 3 14 245 538 2 16
13 A T/506/2126 Communicate with customers in writing|2 3 20 246 560 3 11
14 A L/506/2133 Promote additional products and/or services to customers|2 2 14 247 580 2 8
15 A Y/506/2135 Exceed customer expectations|2 3 15 248 599 2 10
16 A T/506/2143 Deliver customer service whilst working on customer's premises|2 4 20 249 618 2 13
17 A F/506/2159 Deliver customer service to challenging customers|2 3 16 250 637 2 14
18 A Y/506/2149 Develop customer relationships|2 3 18 251 659 2 12
19 A T/506/2160 Support customer service improvements|2 3 12 253 678 3 9
20 A A/506/2161 Support customers through real-time online customer service|2 3 15 254 698 3 11
21 A H/506/2977 Support customers using self-service equipment|2 3 18 255 717 3 10
22 A J/506/2163 Use social media to deliver customer service|2 3 18 256 737 2 11
23 A K/506/2978 Provide post transaction customer service|2 5 22 257 756 2 11
24 A D/506/2153 Champion customer service|4 4 17 258 771 3 17
25 A R/506/2179 Build and maintain effective customer relations|4 6 25 259 794 4 21
26 A L/506/2181 Manage a customer service award programme|4 4 15 260 819 3 12
27 A Y/506/2183 Manage the use of technology to improve customer service|4 4 14 261 839 3 12
28 A D/506/2962 Develop a social media strategy for customer service|4 5 16 262 859 3 17
29 B H/506/1912 Negotiate in a business environment|3 4 18 271 886 3 14
30 B T/506/1820 Promote equality, diversity and inclusion in the workplace|3 3 15 272 906 3 10
31 B A/506/1821 Manage team performance|3 4 21 273 926 3 14
32 B J/506/1921 Manage individuals' performance|3 4 20 274 946 2 12
33 B M/506/1931 Collaborate with other departments|3 3 14 275 965 3 10
34 B F/502/8612 Negotiating, handling objections and closing sales|3 4 22 276 985 5 22
35 B R/502/8615 Obtaining and analysing sales related information|3 4 24 277 1008 4 15
36 B K/502/8622 Buyer behaviours in sales situations|3 3 27 278 1032 2 11
37 B K/503/0418 Manage incidents referred to a contact centre|3 6 30 279 1051 3 16
38 B D/503/0397 Lead direct sales activities in a contact centre team|3 4 8 280 1075 4 22
39 B L/506/1807 Manage diary systems|2 2 12 281 1099 2 10
40 B L/506/1869 Contribute to the organisation of an event|2 3 23 282 1118 4 16
41 B H/506/1814 Provide reception services|2 3 15 283 1143 2 12
42 B M/506/1895 Buddy a colleague to develop their skills|2 3 19 284 1162 3 13
43 B L/506/1905 Employee rights and responsibilities|2 2 16 285 1182 2 10
44 B M/502/8587 Processing sales orders|2 2 17 286 1201 3 19
45 B J/502/4397 Bespoke Software|3 4 30 287 1224 3 9
"""


def _rows():
    for line in NOTES.splitlines():
        head, nums = line.split("|")
        number, group, ref, title = head.split(" ", 3)
        yield (number, group, ref, title, *map(int, nums.split()))


ROWS = list(_rows())


@pytest.fixture(scope="module")
def doc():
    return parse(PATH)


@pytest.fixture(scope="module")
def units(doc):
    return {u.number: u for u in doc.units}


@pytest.fixture(scope="module")
def by_ref(doc):
    return {u.ref: u for u in doc.units}


@pytest.fixture(scope="module")
def groups(doc):
    return {g.id: g for g in doc.qualification.rules.groups}


@pytest.fixture(scope="module")
def lines():
    return PATH.read_text(encoding="utf-8").split("\n")


# -- totals and groups ---------------------------------------------------------------------------------

def test_totals(doc):
    assert doc.id == "habc-l3" and doc.file == FILE and doc.line_count == 1279
    assert len(doc.units) == 45
    assert sum(len(u.outcomes) for u in doc.units) == 130
    assert sum(len(u.criteria) for u in doc.units) == 617


def test_registry_parses_the_same_document(doc):
    assert parse_source("habc-l3") == doc


def test_groups_units_credits_levels_and_glh(groups, by_ref):
    assert {g: len(x.units) for g, x in groups.items()} == {"M": 6, "A": 22, "B": 17}
    assert {g: sum(by_ref[u].credits for u in x.units) for g, x in groups.items()} == {"M": 31, "A": 83, "B": 58}
    by_level = {g: dict(Counter({by_ref[u].level: 0 for u in x.units}) + Counter(
        {lvl: sum(by_ref[u].credits for u in x.units if by_ref[u].level == lvl) for lvl in (2, 3, 4)}))
        for g, x in groups.items()}
    assert by_level == {"M": {3: 31}, "A": {3: 22, 2: 38, 4: 23}, "B": {3: 43, 2: 15}}
    glh = {g: sum(by_ref[u].glh for u in x.units) for g, x in groups.items()}
    assert glh == {g: sum(r[6] for r in ROWS if r[1] == g) for g in "MAB"} == {"M": 207, "A": 403, "B": 331}
    assert {g: [r[2] for r in ROWS if r[1] == g] for g in "MAB"} == {g: x.units for g, x in groups.items()}


def test_rules_of_combination(doc, groups):
    rules = doc.qualification.rules
    assert (rules.min_credits, rules.level_credits) == (55, (3, 40))
    m, a, b = (groups[g] for g in "MAB")
    assert (m.label, m.mandatory, m.min_credits, m.max_credits, m.line) == ("Mandatory Group", True, 31, None, 221)
    assert (a.label, a.mandatory, a.min_credits, a.max_credits, a.line) == ("Optional Group A", False, 15, None, 233)
    assert (b.label, b.mandatory, b.min_credits, b.max_credits, b.line) == ("Optional Group B", False, None, 9, 264)
    # The l.216 typo ("15 units") is kept out: the rule is the credit wording of l.98-104.
    assert "units from" not in rules.text and "15 units" not in rules.text
    assert rules.text == ("To achieve the qualification, learners must achieve: All units within the mandatory group "
                          "totalling 31 credits; A minimum of 15 credits from optional group A; and A maximum of 9 "
                          "credits from optional group B. A minimum of 40 credits must be achieved through completion "
                          "of units at level 3 and above.")
    assert (rules.citation.source, rules.citation.line, rules.citation.end_line) == ("habc-l3", 98, 104)


def test_stated_glh_range_is_reproduced_by_unit_glh(groups, by_ref):
    """289-375 GLH (l.75) are the least and most GLH of any valid 55-credit route."""
    optional = 55 - groups["M"].min_credits
    states = {(0, 0, 0): (0, 0)}  # (credits A, credits B, credits at level 3+) -> (min GLH, max GLH)
    for gid in "AB":
        for ref in groups[gid].units:
            u, new = by_ref[ref], dict(states)
            for (ca, cb, l3), (lo, hi) in states.items():
                ca2, cb2 = ca + u.credits * (gid == "A"), cb + u.credits * (gid == "B")
                if ca2 + cb2 > optional or cb2 > 9:
                    continue
                key = (ca2, cb2, l3 + u.credits * (u.level >= 3))
                old = new.get(key, (lo + u.glh, hi + u.glh))
                new[key] = (min(old[0], lo + u.glh), max(old[1], hi + u.glh))
            states = new
    valid = [v for (ca, cb, l3), v in states.items() if ca >= 15 and ca + cb == optional and l3 + 31 >= 40]
    mand = sum(by_ref[u].glh for u in groups["M"].units)
    assert (mand + min(v[0] for v in valid), mand + max(v[1] for v in valid)) == (289, 375)


# -- per unit ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number,group,ref,title,level,credits,glh,roc_line,line,n_lo,n_ac", ROWS,
                         ids=[f"{r[0]}-{r[2]}" for r in ROWS])
def test_unit_matches_notes(units, groups, number, group, ref, title, level, credits, glh, roc_line, line, n_lo, n_ac):
    u = units[number]
    assert (u.source, u.ref, u.level, u.credits, u.glh, u.line) == ("habc-l3", ref, level, credits, glh, line)
    assert ref in groups[group].units
    assert (len(u.outcomes), len(u.criteria)) == (n_lo, n_ac)
    assert title in [u.title, *u.title_variants]
    assert u.assessment_requirements == "There is no additional assessment guidance for this unit."
    assert [o.number for o in u.outcomes] == [str(i) for i in range(1, n_lo + 1)]
    for o in u.outcomes:
        assert [c.ref for c in o.criteria] == [f"{o.number}.{i}" for i in range(1, len(o.criteria) + 1)]
        assert all(c.kind == "ac" and c.text and line < c.line < line + 30 for c in o.criteria)


def test_title_variants(units):
    assert {n: (u.title, u.title_variants) for n, u in units.items() if u.title_variants} == {
        "16": ("Deliver customer service whilst working on customers' premises",
               ["Deliver customer service whilst working on customer's premises"]),
        "23": ("Provide post-transaction customer service", ["Provide post transaction customer service"]),
        "35": ("Obtaining and analysing sales-related information", ["Obtaining and analysing sales related information"]),
        "36": ("Buyer behaviour in sales situations", ["Buyer behaviours in sales situations"]),
    }


def test_outcome_kinds(doc, units):
    kinds = Counter(o.kind for u in doc.units for o in u.outcomes)
    assert kinds == {"competence": 71, "knowledge": 56, "other": 3}
    assert [o.text for o in units["45"].outcomes] == [
        "Input and combine information using bespoke software",
        "Create and modify appropriate structures to organise and retrieve information efficiently",
        "Exploit the functions of the software effectively to process and present information",
    ]


def test_unit_23_irregular_metadata(units):
    u = units["23"]
    assert (u.ref, u.credits, u.glh, u.level, u.line) == ("K/506/2978", 5, 22, 2, 756)


# -- verbatim text across layouts and traps ------------------------------------------------------------

@pytest.mark.parametrize("number,ac,line,text", [
    # HTML rows, "1.1." numbering read as 1.1, curly apostrophe kept
    ("1", "1.3", 303, "Explain the importance of differentiating between customers’ wants, needs and expectations"),
    # page-break continuation rows (empty LO cell)
    ("1", "3.4", 309, "Adapt their own customer service delivery to meet customers' changing expectations"),
    ("2", "3.6", 332, "Explain how organisational values impact on meeting customer expectations"),
    ("24", "3.7", 789, "Take actions to ensure that customer service delivery meets agreed standards"),
    ("9", "2.7", 485, "Agree solutions with customers that address the complaint and which are within the limits of "
                      "their own authority"),
    # a new LO straight after a continuation row
    ("2", "4.2", 333, "Explain the implications of confidentiality and data protection legislation for the "
                      "collection, storage and use of customer information"),
    ("44", "3.1", 1219, "Keep the customer informed of the sales order progress and any problems with the sales order"),
    # plain rows
    ("5", "1.3", 392, "Explain how an organisation’s goals may be shaped by the market in which it operates"),
    ("5", "5.5", 400, "Explain the relationship between sales and marketing"),
    # two-digit criterion number
    ("12", "2.10", 555, "Adhere to organisational policies and procedures, legal and ethical requirements when "
                        "communicating verbally with customers"),
    ("12", "2.1", 551, "Identify customers’ wants and priorities"),
    # markdown bullet layouts
    ("28", "3.1", 876, "Evaluate the benefits and drawbacks of using social media for dissemination purposes"),
    ("28", "3.4", 879, "Act as a social media “champion” within the organisation"),
    ("40", "4.2", 1137, "Carry out follow-up actions in accordance with the event plan and agreements made at the event"),
    # US spelling kept
    ("2", "2.1", 327, "Explain the importance of a brand to customers and to an organization"),
    # last AC before Appendix 3
    ("45", "3.3", 1238, "Identify and respond appropriately to quality problems to ensure that outcomes are fit for "
                        "purpose and meet needs"),
    ("45", "3.4", 1238, "Select and use presentation methods to aid clarity and meaning"),
])
def test_criterion_text(units, number, ac, line, text):
    c = units[number].criterion(ac)
    assert (c.text, c.line, c.kind) == (text, line, "ac")


def test_bullet_outcomes(units):
    assert [(o.text, o.line) for o in units["28"].outcomes][2] == (
        "Be able to promote the benefits of social media networking to customer service", 874)
    assert [(o.text, o.line) for o in units["40"].outcomes][3] == ("Be able to carry out post-event actions", 1134)
    assert [len(o.criteria) for o in units["28"].outcomes] == [6, 6, 5]


def test_appendix_3_rows_are_not_criteria(doc, units):
    assert max(c.line for u in doc.units for c in u.criteria) < 1244
    assert [len(o.criteria) for o in units["45"].outcomes] == [2, 3, 4]
    assert all("want, needs" not in c.text for u in doc.units for c in u.criteria)  # l.1279's copy of Unit 1 AC 1.3


def test_no_markup_or_numbering_left_in_text(doc):
    for u in doc.units:
        for o in u.outcomes:
            for t in [o.text] + [c.text for c in o.criteria]:
                assert not re.search(r"[<>\t*]|\d|  |^[\s-]|\s$", t), (u.ref, t)


# -- qualification, facts, evidence types --------------------------------------------------------------

def test_qualification(doc):
    q = doc.qualification
    assert (q.awarding_body, q.title, q.number, q.level, q.framework) == (
        "HABC", "HABC Level 3 Diploma in Customer Service (QCF)", "601/4027/6", 3, "QCF")
    assert (q.credits, q.glh, q.tqt, q.status, q.grading) == (55, "289-375", None, None, None)
    assert q.dates == {"specification_version": "4.0 April 2016"}
    assert q.age == "16 years of age or above"
    assert q.entry.endswith("16 years of age or above; and Have a minimum of level 2 in literacy.")
    assert {"highfield level 3", "habc diploma", "level 3 diploma", "60140276"} <= {a.lower() for a in q.aliases}


def _facts(doc, topic):
    return [f for f in doc.facts if f.topic == topic]


def _clean(line: str) -> str:
    return " ".join(line.replace("**", "").strip().lstrip("- ").split())


def test_text_facts_are_cited_and_verbatim(doc, lines):
    assert doc.facts and all(f.topic in TOPICS for f in doc.facts)
    for f in doc.facts:
        c = f.citation
        assert c.source == "habc-l3" and c.section
        if c.section.startswith("Appendix 3"):
            continue  # method key facts, checked below
        assert f.text.startswith(_clean(lines[c.line - 1])), (f.topic, c.line)
        if c.end_line is None:
            assert f.text == _clean(lines[c.line - 1])
        else:
            assert c.end_line > c.line and f.text.endswith(_clean(lines[c.end_line - 1]))


@pytest.mark.parametrize("topic", [
    "assessment_method", "rpl", "iqa", "assessor_requirements", "countersigning", "age", "entry", "progression",
    "identification", "centre_requirements", "professional_discussion", "reasonable_adjustments",
])
def test_fact_topics_present(doc, topic):
    assert _facts(doc, topic)


def test_no_facts_for_what_the_text_does_not_say(doc):
    topics = {f.topic for f in doc.facts}
    assert not topics & {"expert_witness", "grading", "language", "credit_transfer", "exemptions", "appeals",
                         "evidence_currency", "resubmission"}
    # simulation and witness testimony exist only as method-key codes
    assert [f.text for f in _facts(doc, "simulation")] == ["Assessment method key: Sim – Simulation/assignment"]
    assert [f.text for f in _facts(doc, "witness_testimony")] == ["Assessment method key: Wt – Witness testimony"]


def test_professional_discussion_is_only_the_method_code(doc):
    [f] = _facts(doc, "professional_discussion")
    assert f.text == "Assessment method key: D – Discussion"
    assert (f.citation.line, f.citation.section) == (1257, "Appendix 3: Sample Assessment Material")
    assert not any("professional discussion" in x.text.lower() for x in doc.facts)


def test_selected_facts(doc):
    by = {(f.topic, f.citation.line): f for f in doc.facts}
    assert by["rpl", 134].text.startswith("Centres wishing to utilise RPL as part of the qualification assessment "
                                          "must ensure there is auditable evidence of that RPL.")
    assert "must not have been involved in any aspect of the delivery or assessment" in by["iqa", 128].text
    assert "robust countersigning strategy" in by["countersigning", 171].text
    assert by["assessment_method", 74].text == "Assessment Method: Portfolio of evidence"
    assert by["assessment_method", 122].text.startswith("Suggested assessment paperwork is available on the HABC website.")
    assert by["assessor_requirements", 146].citation.end_line == 154
    assert "D32 Assess Learner Performance and D33" in by["assessor_requirements", 146].text
    assert by["identification", 186].citation.end_line == 195 and "credit card" in by["identification", 186].text
    assert by["progression", 199].text.endswith("HABC Level 3 Diploma in Management (QCF)")
    assert by["centre_requirements", 138].text.endswith("suitably equipped for the chosen units to be delivered and assessed.")
    assert by["age", 92].text == "16 years of age or above; and"


def test_evidence_types_are_the_method_key(doc):
    got = [(e.key, e.name, e.citation.line) for e in doc.evidence_types]
    assert got == [
        ("observation", "Obs – Observation", 1256), ("product", "Pe – Product evidence", 1257),
        ("questioning", "Q – Questioning", 1258), ("simulation", "Sim – Simulation/assignment", 1256),
        ("witness_testimony", "Wt – Witness testimony", 1257), ("rpl", "R – RPL", 1258),
        ("other", "O – Other", 1256), ("professional_discussion", "D – Discussion", 1257),
    ]


# -- robustness ----------------------------------------------------------------------------------------

def test_parsing_twice_gives_identical_results():
    assert parse(PATH) == parse(PATH)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / FILE
    p.write_text(text, encoding="utf-8")
    return p


def _raises(path: Path) -> SourceError:
    with pytest.raises(SourceError) as e:
        parse(path)
    assert e.value.file == FILE and e.value.line >= 1 and FILE in str(e.value)
    return e.value


@pytest.mark.parametrize("keep", [30, 100, 220, 250, 305, 333, 800, 1240, 1243, 1250, 1262, 1276])
def test_truncated_copy_raises(tmp_path, lines, keep):
    _raises(_write(tmp_path, "\n".join(lines[:keep])))


def test_copy_cut_mid_row_raises(tmp_path):
    text = PATH.read_text(encoding="utf-8")
    assert "malformed evidence tracking row" in _raises(_write(tmp_path, text[:-10])).reason


def test_unit_cut_before_its_guidance_raises(tmp_path, lines):
    assert lines[1239].startswith("Additional assessment guidance")
    err = _raises(_write(tmp_path, "\n".join(lines[:1239] + lines[1242:])))
    assert "Unit 45" in err.reason and "guidance" in err.reason


@pytest.mark.parametrize("old,new,line", [
    ("1.4. Explain different ways of segmenting", "1.5. Explain different ways of segmenting", 303),  # AC gap
    ("2150\tOrganise and deliver customer service\t3\t5", "2150\tOrganise and deliver customer service\t3\t6", 213),
    ("minimum of **15 credits** from this group", "minimum of **14 credits** from this group", 213),
    ("Unit number: K/506/2978\n Credit: 5", "Unit number: K/506/2978\n Credits: 5", 759),
    ("D/506/2153\n\nCredit: 4\n\nGLH: 17\n\nLevel: 4", "D/506/2153\n\nCredit: 4\n\nGLH: 17\n\nLevel: 3", 771),
    ("Unit 30: Promote", "Unit 31: Promote", 906),
    ("Q\tQuestioning\tR\tRPL", "Q\tQuestioning\tX\tRPL", 1258),
])
def test_corrupted_copy_raises(tmp_path, old, new, line):
    text = PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1
    err = _raises(_write(tmp_path, text.replace(old, new)))
    assert err.line == line, err
