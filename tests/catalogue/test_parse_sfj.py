"""The SFJ Awards Level 2 Diploma parser against the counts and traps in source notes 000."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from catalogue.errors import SourceError
from catalogue.model import TOPICS
from catalogue.parsers import SOURCES_DIR, parse_source
from catalogue.parsers.sfj import parse

FILE = "sfj_l2_diploma.txt"
PATH = SOURCES_DIR / FILE

# Notes 000 §2 unit table: group, URN, title (table), level, credits, GLH, table line, block line, LOs, ACs.
NOTES = """\
A A/506/2130 Deliver customer service|2 5 27 141 485 5 20
A F/506/2131 Understand customers|2 2 17 142 508 2 9
A J/506/2132 Principles of customer service|2 4 34 143 518 4 23
A A/506/1964 Understand employer organisations|2 4 40 144 541 2 6
A L/506/1788 Manage personal performance and development|2 4 18 145 551 4 20
B D/506/2119 Communicate verbally with customers|2 3 14 150 566 2 16
B T/506/2126 Communicate with customers in writing|2 3 20 151 592 3 11
C H/506/2154 Deal with incoming telephone calls from customers|2 3 16 156 605 3 18
C K/506/2155 Make telephone calls to customers|2 3 16 157 633 3 21
C L/506/2133 Promote additional products and/or services to customers|2 2 14 158 645 2 8
C R/506/2134 Process information about customers|2 3 14 159 655 2 11
C Y/506/2135 Exceed customer expectations|2 3 15 160 665 2 10
C T/506/2143 Deliver customer service whilst working on customers' premises|2 4 20 161 675 2 13
C T/506/2157 Carry out customer service handovers|2 3 15 162 685 3 12
C A/506/2158 Resolve customer service problems|2 5 22 164 696 3 16
C F/506/2159 Deliver customer service to challenging customers|2 3 16 165 714 2 14
C Y/506/2149 Develop customer relationships|2 3 18 166 724 2 12
C T/506/2160 Support customer service improvements|2 3 12 167 734 3 9
C A/506/2161 Support customers through real-time online customer service|2 3 15 168 748 3 11
C J/506/2163 Use social media to deliver customer service|2 3 18 169 762 2 11
C R/506/2151 Resolve customers' complaints|3 4 22 170 772 2 17
C D/506/2170 Gather, analyse and interpret customer feedback|3 5 24 171 784 4 19
C H/506/2977 Support customers using self-service equipment|2 3 18 172 797 3 10
C K/506/2978 Provide post-transaction customer service|2 5 22 173 815 2 11
D T/505/4673 Health and safety procedures in the workplace|2 2 16 177 827 2 8
D L/506/1807 Manage diary systems|2 2 12 178 843 2 10
D H/506/1814 Provide reception services|2 3 15 179 861 2 12
D L/506/1869 Contribute to the organisation of an event|2 3 23 180 871 4 16
D M/506/1895 Buddy a colleague to develop their skills|2 3 19 181 885 3 13
D L/506/1905 Employee rights and responsibilities|2 2 16 182 896 2 10
D R/506/1789 Develop working relationships with colleagues|2 3 19 183 909 3 13
D J/506/1806 Principles of equality and diversity in the workplace|2 2 10 185 920 2 8
D M/502/8587 Processing sales orders|2 2 17 186 930 3 19
D R/502/8601 Meeting customers' after sales needs|2 3 14 187 942 3 10
D M/502/8606 Handling objections and closing sales|2 3 22 188 960 4 24
D K/503/0421 Deal with incidents through a contact centre|2 7 40 189 973 3 18
D L/503/0394 Carry out direct sales activities in a contact centre|2 5 15 190 985 5 23
D H/506/1912 Negotiate in a business environment|3 4 18 191 999 3 14
D F/502/4396 Bespoke software|2 3 20 192 1014 3 9
"""


def _rows():
    for line in NOTES.splitlines():
        head, nums = line.split("|")
        group, ref, title = head.split(" ", 2)
        yield (group, ref, title, *map(int, nums.split()))


ROWS = list(_rows())
SALES = ["M/502/8587", "R/502/8601", "M/502/8606"]
CONTACT_CENTRE = ["K/503/0421", "L/503/0394"]


@pytest.fixture(scope="module")
def doc():
    return parse(PATH)


@pytest.fixture(scope="module")
def units(doc):
    return {u.ref: u for u in doc.units}


@pytest.fixture(scope="module")
def groups(doc):
    return {g.id: g for g in doc.qualification.rules.groups}


@pytest.fixture(scope="module")
def lines():
    return PATH.read_text(encoding="utf-8").split("\n")


# -- totals and groups ---------------------------------------------------------------------------------

def test_totals(doc):
    assert doc.id == "sfj-l2" and doc.file == FILE and doc.line_count == 1043
    assert len(doc.units) == 39
    assert sum(len(u.outcomes) for u in doc.units) == 109
    assert sum(len(u.criteria) for u in doc.units) == 535


def test_registry_parses_the_same_document(doc):
    assert parse_source("sfj-l2") == doc


def test_groups_units_credits_and_glh(groups, units):
    assert {g: len(x.units) for g, x in groups.items()} == {"A": 5, "B": 2, "C": 17, "D": 15}
    assert {g: sum(units[u].credits for u in x.units) for g, x in groups.items()} == {"A": 19, "B": 6, "C": 58, "D": 47}
    assert {g: sum(units[u].glh for u in x.units) for g, x in groups.items()} == {"A": 136, "B": 34, "C": 297, "D": 276}
    assert {g: [u for gg, u, *_ in ROWS if gg == g] for g in "ABCD"} == {g: x.units for g, x in groups.items()}


def test_rules_of_combination(doc, groups):
    rules = doc.qualification.rules
    assert rules.min_credits == 45 and rules.level_credits is None
    a, b, c, d = (groups[g] for g in "ABCD")
    assert (a.mandatory, a.min_credits, a.max_credits, a.label) == (True, 19, None, "Mandatory Group A – 19 credits")
    assert (b.mandatory, b.min_credits, b.max_credits, b.label) == (False, 3, None, "Optional Group B – minimum 3 credits")
    assert (c.min_credits, c.max_credits, c.label) == (16, None, "Optional Group C – minimum 16 credits")
    assert (d.min_credits, d.max_credits, d.label) == (None, 7, "Optional Group D – maximum 7 credits")
    assert [g.line for g in rules.groups] == [138, 147, 153, 175]
    assert rules.text.startswith("Learners must successfully complete 45 credits to achieve this qualification.")
    assert rules.text.endswith("A maximum of 7 credits can be taken from Optional Group D.")
    assert (rules.citation.source, rules.citation.line) == ("sfj-l2", 130)


# -- per unit ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("group,ref,title,level,credits,glh,table_line,line,n_lo,n_ac", ROWS, ids=[r[1] for r in ROWS])
def test_unit_matches_notes(units, groups, group, ref, title, level, credits, glh, table_line, line, n_lo, n_ac):
    u = units[ref]
    assert (u.source, u.number, u.level, u.credits, u.glh, u.line) == ("sfj-l2", None, level, credits, glh, line)
    assert ref in groups[group].units
    assert (len(u.outcomes), len(u.criteria)) == (n_lo, n_ac)
    assert title in [u.title, *u.title_variants]
    # Numbering runs 1, 2 ... and N.1, N.2 ... with no gaps, and every criterion is an AC with a source line.
    assert [o.number for o in u.outcomes] == [str(i) for i in range(1, n_lo + 1)]
    for o in u.outcomes:
        assert [c.ref for c in o.criteria] == [f"{o.number}.{i}" for i in range(1, len(o.criteria) + 1)]
        assert all(c.kind == "ac" and c.text and line < c.line < line + 40 for c in o.criteria)


def test_lowercase_urn_is_upper_cased(units, lines):
    assert lines[156].startswith("k/506/2155\t")
    assert "K/506/2155" in units and "k/506/2155" not in units


def test_title_variants_keep_both_spellings(units):
    variants = {r: (u.title, u.title_variants) for r, u in units.items() if u.title_variants}
    assert variants == {
        "T/505/4673": ("Health and Safety Procedures in the Workplace", ["Health and safety procedures in the workplace"]),
        "F/502/4396": ("Bespoke Software", ["Bespoke software"]),
    }


def test_assessment_requirements_rows(units):
    counts = Counter(u.assessment_requirements for u in units.values())
    assert counts == {
        "All Assessment Criteria must be met and assessed in line with Skills CFA Assessment Strategy": 28,
        "N/A": 5,
        "All Assessment Criteria must be met. The method of assessment is determined by individual awarding "
        "organisations, in compliance with the CFA Sales Assessment Strategy.": 3,
        "All Assessment Criteria must be met. The method of assessment is determined by individual awarding "
        "organisations, in compliance with the CFA Contact Centre Assessment Strategy.": 2,
        "See IT User Assessment Strategy available from www.e-skills.com": 1,
    }
    assert sorted(r for r, u in units.items() if u.assessment_requirements == "N/A") == sorted(
        ["F/506/2131", "J/506/2132", "T/505/4673", "L/506/1905", "J/506/1806"])


def test_simulation_flags(units):
    flags = {r: u.simulation for r, u in units.items()}
    assert sorted(r for r, f in flags.items() if f == "allowed") == sorted(SALES)
    assert [r for r, f in flags.items() if f == "not stated"] == ["F/502/4396"]
    assert all(flags[r] == "not allowed" for r in CONTACT_CENTRE)
    assert Counter(flags.values()) == {"not allowed": 35, "allowed": 3, "not stated": 1}


def test_outcome_kinds(units):
    kinds = Counter(o.kind for u in units.values() for o in u.outcomes)
    assert kinds["knowledge"] + kinds["competence"] + kinds["other"] == 109
    assert units["T/505/4673"].outcomes[0].kind == "knowledge"  # "Know health and safety ..."
    assert units["A/506/2130"].outcomes[2].kind == "competence"
    assert [o.kind for o in units["F/502/4396"].outcomes] == ["other"] * 3  # "Input ...", "Use ..."


# -- verbatim text across layouts and traps ------------------------------------------------------------

@pytest.mark.parametrize("ref,ac,line,text", [
    # layout T, one AC per line
    ("A/506/2130", "1.1", 491, "Explain the relationship between customers' needs and expectations and customer satisfaction"),
    # layout T, wrapped across a page break (L587-590)
    ("D/506/2119", "2.10", 587, "Adhere to organisational policies and procedures, legal and ethical requirements "
                                "when communicating verbally with customers"),
    # inline layout switching to HTML mid-criterion (L779-782)
    ("R/506/2151", "2.8", 779, "Record the outcome of the handling of complaints for future reference"),
    ("R/506/2151", "2.9", 781, "Adhere to organisational policies and procedures, legal and ethical requirements "
                               "when dealing with customers' complaints"),
    # two-column layout
    ("A/506/2158", "1.3", 703, "Describe techniques to deal with situations where customers become agitated or angry"),
    ("A/506/2158", "1.4", 703, "Explain the limits of their own authority for resolving customers' problems and "
                               "making promises"),
    ("T/506/2160", "1.3", 741, "Explain the limits of their own authority in implementing improvements"),
    # layout H, one AC per <p>
    ("A/506/2130", "5.2", 505, "Share information and ideas with colleagues and/or service partners to support the "
                               "improvement of service delivery"),
    # one <p> holding several ACs (L969-970)
    ("M/502/8606", "3.1", 969, "Clarify the nature and extent of objections"),
    ("M/502/8606", "3.6", 969, "Refer to those in authority when dealing with objections outside the scope of own authority"),
    ("M/502/8606", "4.3", 970, "Follow organisational procedures for accepting confirmation of an order"),
    ("M/502/8606", "1.10", 966, "State who to go to when in need of support to overcome objections"),
    # inline sub-list kept inside AC 1.1
    ("T/505/4673", "1.1", 833, "Define the main responsibilities for health and safety in the workplace of the "
                               "following: a) employers b) employees"),
    # source typo kept
    ("T/506/2157", "3.3", 693, "Check that actions required by others following handovers have been complete"),
    # curly quotes kept
    ("J/506/2132", "1.2", 525, "Define the term “service offer”"),
    ("F/502/4396", "3.3", 1022, "Select and use appropriate methods to present information"),
])
def test_criterion_text(units, ref, ac, line, text):
    c = units[ref].criterion(ac)
    assert (c.text, c.line, c.kind) == (text, line, "ac")


def test_outcome_text_and_lines(units):
    o = units["R/506/2151"].outcomes
    assert [(x.text, x.line, x.kind) for x in o] == [
        ("Understand the monitoring and resolution of customers' complaints", 778, "knowledge"),
        ("Be able to deal with customers' complaints", 779, "competence"),
    ]
    assert units["K/506/2155"].outcomes[2].text == "Be able to make telephone calls to customers"  # from <p>


def test_no_markup_or_numbering_left_in_text(doc):
    for u in doc.units:
        for o in u.outcomes:
            for t in [o.text] + [c.text for c in o.criteria]:
                assert not re.search(r"[<>\t]|\d|  |^\s|\s$", t), (u.ref, t)


# -- qualification, facts, evidence types --------------------------------------------------------------

def test_qualification(doc):
    q = doc.qualification
    assert (q.awarding_body, q.title, q.number, q.level) == (
        "SFJ Awards", "SFJ Awards Level 2 Diploma in Customer Service", "601/4310/1", 2)
    assert (q.credits, q.glh, q.tqt, q.framework, q.grading) == (45, "245", 450, None, None)
    assert q.status == "withdrawn"
    assert q.dates == {"operational_start": "1 September 2014", "last_registration": "30 September 2022",
                       "certification_end": "30 September 2023"}
    assert q.age == "This qualification is available to learners aged 16 years and over."
    assert q.entry == "There are no pre-entry requirements for enrolling to complete this qualification."
    assert {"SFJ level 2 diploma", "level 2 diploma", "601/4310/1"} <= set(q.aliases)


def _facts(doc, topic):
    return [f for f in doc.facts if f.topic == topic]


def _clean(line: str) -> str:
    """A source line as facts quote it: footnote digits, ** emphasis and list dashes dropped, tabs joined."""
    return " ".join(re.sub("[¹²³⁴-⁹]|\\*\\*", "", line).strip().lstrip("- ").split())


def test_facts_are_cited_and_verbatim(doc, lines):
    assert doc.facts and all(f.topic in TOPICS for f in doc.facts)
    for f in doc.facts:
        c = f.citation
        assert c.source == "sfj-l2" and c.section
        first = _clean(lines[c.line - 1])
        assert f.text.startswith(first), (f.topic, c.line)
        if c.end_line is None:
            assert f.text == first
        else:
            assert c.end_line > c.line and f.text.endswith(_clean(lines[c.end_line - 1]))


@pytest.mark.parametrize("topic", [
    "simulation", "expert_witness", "witness_testimony", "professional_discussion", "observation", "countersigning",
    "assessor_requirements", "iqa", "language", "credit_transfer", "exemptions", "age", "entry", "progression",
    "status", "assessment_method", "centre_requirements", "reasonable_adjustments",
])
def test_fact_topics_present(doc, topic):
    assert _facts(doc, topic)


def test_no_facts_for_what_the_text_does_not_say(doc):
    topics = {f.topic for f in doc.facts}
    assert not topics & {"grading", "rpl", "appeals", "resubmission", "evidence_currency", "identification"}


def test_professional_discussion_is_only_the_l436_mention(doc):
    [f] = _facts(doc, "professional_discussion")
    assert (f.citation.line, f.citation.section) == (436, "4.8 Workplace Assessment")
    assert f.text == ("SFJ Awards recognise that there are alternative evidence sources which may be used where direct "
                      "observation is not possible or practical, e.g. work products, records, reflective accounts, "
                      "professional discussion etc.")


def test_simulation_facts(doc):
    sim = {f.citation.line: f for f in _facts(doc, "simulation")}
    assert sim[446].text.startswith("Assessment of the units to which the Skills CFA Assessment Strategy applies must "
                                    "be carried out in a real job and simulation is not allowed with the exception of "
                                    "the Sales units.")
    assert sim[446].units == []
    two = sim[450]
    assert two.citation.end_line == 453
    assert "1. where evidence in the workplace will not be demonstrated within an acceptable time frame 2. where the " \
           "nature of the work activity presents high risk" in two.text
    assert sorted(sim[1027].units) == sorted(SALES) and sim[1027].citation.end_line == 1031
    assert sim[1033].text.endswith("9. Candidates must show that their productivity reflects those found in the work "
                                   "situation being represented.")
    assert "8. Customer perceptions of the RWE is similar" in sim[1033].text  # typo kept
    assert sim[370].units == CONTACT_CENTRE
    assert "must be undertaken in a real working environment" in sim[370].text
    assert sorted(sim[393].units) == sorted(SALES) and "or through simulation" in sim[393].text


def test_expert_witness_and_countersigning_facts(doc):
    ew = {f.citation.line: f for f in _facts(doc, "expert_witness")}
    assert ew[434].text.startswith("Expert Witness testimony has parity with assessor observation unless otherwise "
                                   "stated in unit evidence requirements.")
    assert ew[424].citation.end_line == 428 and "within the Customer Service sector" in ew[424].text
    cs = {f.citation.line: f for f in _facts(doc, "countersigning")}
    assert {309, 325, 341, 374} <= set(cs)
    assert "their decisions are countersigned by a suitably-qualified assessor/verifier" in cs[309].text
    assert [f.citation.line for f in _facts(doc, "witness_testimony")] == [432]
    assert "Justice and Community Safety" in {f.citation.line: f for f in _facts(doc, "assessor_requirements")}[256].text


def test_other_facts_verbatim(doc):
    text = {f.topic: f.text for f in doc.facts}
    assert text["credit_transfer"] == "Credits from identical units that have already been achieved by the learner may be transferred."
    assert text["exemptions"] == "No exemptions have been identified."
    assert "No learners can therefore be registered on this qualification after 30 September 2022" in \
        {f.citation.line: f.text for f in _facts(doc, "status")}[103]
    assert "provided that sufficient notice is given" in " ".join(f.text for f in _facts(doc, "language"))
    assert text["reasonable_adjustments"] == ("Reasonable adjustments may be made by carrying out the assessment in "
                                              "British or Irish Sign Language.")


def test_evidence_types(doc):
    got = [(e.key, e.name, e.citation.line) for e in doc.evidence_types]
    assert got == [
        ("observation", "direct observation", 432),
        ("expert_witness", "testimony from an Expert Witness or Manager", 432),
        ("expert_witness", "Expert Witness testimony", 434),
        ("product", "work products", 436),
        ("product", "records", 436),
        ("reflective_account", "reflective accounts", 436),
        ("professional_discussion", "professional discussion", 436),
        ("simulation", "simulation", 446),
    ]
    for e in doc.evidence_types:
        assert e.name.lower() in e.description.lower() and e.citation.source == "sfj-l2"


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


@pytest.mark.parametrize("keep", [20, 140, 300, 500, 589, 780, 1000, 1019, 1030, 1040])
def test_truncated_copy_raises(tmp_path, lines, keep):
    _raises(_write(tmp_path, "\n".join(lines[:keep])))


def test_copy_cut_mid_line_raises(tmp_path):
    text = PATH.read_text(encoding="utf-8")
    _raises(_write(tmp_path, text[:-20]))  # inside RWE guideline 9
    cut = text.index("1.2 Explain the use of different negotiation techniques")
    _raises(_write(tmp_path, text[:cut]))


@pytest.mark.parametrize("old,new,line", [
    ("1.3 Describe the characteristics of challenging customers", "1.4 Describe the characteristics", 514),  # AC gap
    ("\t2.3\tCommunicate clearly", "\tCommunicate clearly", 581),  # criterion lost its number: 2.2 absorbs, 2.4 gaps
    ("A/506/2130\tDeliver customer service\t2\t5", "A/506/2130\tDeliver customer service\t2\t6", 130),  # 19 != 20
    ("Optional Group C – minimum 16 credits", "Optional Group C – minimum 15 credits", 130),
    ("verbally with customers\t\nLevel:\t2\t\nCredit value:\t3",  # unit block disagrees with the table
     "verbally with customers\t\nLevel:\t2\t\nCredit value:\t4", 566),
    ("URN:\tK/506/2978\t", "URN:\tK/506/297\t", 815),
    ("post-transaction customer service\t\nLevel:\t2\t\nCredit value:\t5\t\nGLH:\t22",
     "post-transaction customer service\t\nLevel:\t2\t\nCredit value:\t5\t\nGLH:\t2x", 815),
    ("- M/502/8606 Handling objections", "- M/502/8605 Handling objections", 1025),
])
def test_corrupted_copy_raises(tmp_path, old, new, line):
    text = PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1
    err = _raises(_write(tmp_path, text.replace(old, new)))
    assert err.line == line, err


def test_unit_without_its_requirements_row_raises(tmp_path, lines):
    assert lines[589].startswith("Assessment requirements")
    err = _raises(_write(tmp_path, "\n".join(lines[:589] + lines[590:])))
    assert "D/506/2119" in err.reason and "assessment requirements" in err.reason


def test_stray_text_between_units_raises(tmp_path, lines):
    copy = lines[:506] + ["Some stray paragraph"] + lines[506:]
    assert _raises(_write(tmp_path, "\n".join(copy))).line == 507


def test_non_utf8_copy_raises(tmp_path):
    p = tmp_path / FILE
    p.write_bytes(PATH.read_bytes().replace("–".encode(), b"\x96"))
    _raises(p)
