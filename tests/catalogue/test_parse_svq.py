"""The Pearson SVQ 4 parser against the counts and traps in source-notes/004.md."""
from __future__ import annotations

from itertools import combinations

import pytest

from catalogue.errors import SourceError
from catalogue.model import TOPICS
from catalogue.parsers import SOURCES_DIR
from catalogue.parsers.svq import parse
from tests.catalogue.test_parse_ncfe import edited, parse_error

SOURCE = SOURCES_DIR / "pearson_svq4.txt"
LINES = SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def doc():
    return parse(SOURCE)


@pytest.fixture(scope="module")
def units(doc):
    return {u.number: u for u in doc.units}


# number: (SQA code, group, credits, SCQF level, heading line, K&U, PC ranges by element)
UNITS = {
    "1": ("CFACSF5", "A", 10, 8, 509, 18, [(1, 5), (6, 9)]),
    "2": ("CFACSF6", "A", 10, 8, 573, 14, [(1, 4), (5, 7)]),
    "3": ("CFACSA17", "B", 10, 8, 632, 9, [(1, 5), (6, 12)]),
    "4": ("CFACSA18", "B", 11, 8, 695, 9, [(1, 6), (7, 13)]),
    "5": ("CFACSB12", "C", 8, 8, 753, 9, [(1, 5), (6, 13)]),
    "6": ("CFACSB13", "C", 10, 8, 809, 11, [(1, 4), (5, 12), (13, 17)]),
    "7": ("CFACSB14", "C", 8, 8, 880, 9, [(1, 3), (4, 9)]),
    "8": ("CFACSB15", "C", 8, 8, 940, 10, [(1, 4), (5, 9)]),
    "9": ("CFACSB16", "C", 8, 8, 999, 6, [(1, 5), (6, 11)]),
    "10": ("CFACSC8", "D", 10, 8, 1054, 12, [(1, 4), (5, 8), (9, 14)]),
    "11": ("CFACSD14", "E", 10, 8, 1119, 12, [(1, 5), (6, 9), (10, 12)]),
    "12": ("CFACSD15", "E", 9, 8, 1186, 8, [(1, 5), (6, 11)]),
    "13": ("CFACSD16", "E", 11, 8, 1247, 9, [(1, 6), (7, 12), (13, 17)]),
    "14": ("CFACSD17", "E", 7, 8, 1316, 4, [(1, 6), (7, 12)]),
    "15": ("CFACSD18", "E", 11, 8, 1366, 8, [(1, 5), (6, 12), (13, 17)]),
    "16": ("CFACSD19", "E", 11, 8, 1438, 7, [(1, 4), (5, 10), (11, 15)]),
    "17": ("CFACSD20", "E", 7, 7, 1509, 7, [(1, 8), (9, 14)]),
    "18": ("CFACSD21", "E", 4, 6, 1568, 9, [(1, 5), (6, 14)]),
    "19": ("CFACSD22", "E", 5, 7, 1633, 14, [(1, 8), (9, 14)]),
}
TITLES = {
    "1": "Show Understanding of Customer Service Management",
    "2": "Follow Organisational Rules, External Regulations and Legislation when Managing Customer Service",
    "3": "Champion Customer Service",
    "10": "Handle Referred Customer Complaints",
    "18": "Analyse and Report on the Content of Customer Service Feedback Posted on Social Media",
    "19": "Develop a Customer Service Network through Social Media Platforms",
}


def test_document_identity(doc):
    assert (doc.id, doc.file, doc.line_count) == ("svq4", "pearson_svq4.txt", 2000)
    assert doc.glossary == []


def test_qualification(doc):
    q = doc.qualification
    assert (q.awarding_body, q.title) == ("Pearson", "SVQ 4 in Customer Service at SCQF Level 8")
    assert q.number is None  # the file states no qualification number
    assert (q.level, q.framework, q.credits, q.glh, q.tqt) == (4, "SCQF Level 8", 64, None, None)
    assert q.status == "Pre Publication Draft"
    assert q.dates == {"first_registration": "September 2015", "operational_start": "01/09/2015"}
    assert q.grading == "The qualification and units are graded pass/fail."
    assert q.age == "18+"
    assert q.entry == "No prior knowledge, understanding, skills or qualifications are required before candidates register for this qualification."
    assert {"the SVQ", "SVQ 4", "SVQ level 4", "pearson svq"} <= set(q.aliases)


def test_rules(doc):
    r = doc.qualification.rules
    assert (r.min_credits, r.level_credits, r.total_units, r.optional_units) == (64, (8, 48), 8, 6)
    assert r.credit_name == "SCQF credit points"
    assert (r.citation.line, r.citation.end_line) == (217, 220)
    assert r.text.splitlines()[-1] == (
        "Number of optional units that must be achieved The candidate must complete both mandatory units plus a minimum "
        "of one unit from Optional Groups B, C, D and E. In addition, the candidate must complete a further two units "
        "from any of Groups B, C and E\t6"
    )
    groups = {g.id: g for g in r.groups}
    assert list(groups) == ["A", "B", "C", "D", "E"]
    assert (groups["A"].mandatory, groups["A"].min_units, groups["A"].units) == (True, 2, ["CFACSF5", "CFACSF6"])
    assert groups["A"].label == "Mandatory units – Group A Customer Service Foundations"
    assert groups["D"].label == "Optional unit – Group D Handling Problems"
    assert groups["C"].line == 228  # the "(continued)" header at L234 does not start a new group
    for gid in "BCDE":
        assert (groups[gid].mandatory, groups[gid].min_units, groups[gid].min_credits) == (False, 1, None)
    assert [groups[g].max_units for g in "BCDE"] == [None, None, 1, None]
    for gid, g in groups.items():
        assert g.units == [code for code, grp, *_ in UNITS.values() if grp == gid]


def test_unit_table(doc, units):
    assert [u.number for u in doc.units] == list(UNITS)
    for number, (code, _, credits, level, line, ku, ranges) in UNITS.items():
        u = units[number]
        assert (u.ref, u.credits, u.level, u.glh, u.line) == (code, credits, level, None, line), number
        assert len(u.knowledge) == ku, number
        assert [(int(o.criteria[0].ref[2:]), int(o.criteria[-1].ref[2:])) for o in u.outcomes] == ranges, number
        assert [o.number for o in u.outcomes] == [f"E{k}" for k in range(1, len(ranges) + 1)]
        assert u.title_variants == []
    for number, title in TITLES.items():
        assert units[number].title == title


def test_totals(doc):
    assert len(doc.units) == 19
    assert sum(len(u.knowledge) for u in doc.units) == 185
    assert sum(len(o.criteria) for u in doc.units for o in u.outcomes) == 240
    assert sum(len(u.outcomes) for u in doc.units) == 44
    below_8 = {u.number: u.level for u in doc.units if u.level < 8}
    assert below_8 == {"17": 7, "18": 6, "19": 7}


def test_numbering_runs_on(doc):
    for u in doc.units:
        pcs = [c.ref for o in u.outcomes for c in o.criteria]
        assert pcs == [f"PC{k}" for k in range(1, len(pcs) + 1)]
        assert [c.ref for c in u.knowledge] == [f"K&U{k}" for k in range(1, len(u.knowledge) + 1)]
        assert all(o.kind == "element" for o in u.outcomes)
        assert all(c.kind == "pc" for o in u.outcomes for c in o.criteria)
        assert all(c.kind == "ku" for c in u.knowledge)
        assert u.criterion("PC1") is u.outcomes[0].criteria[0]


def test_texts_verbatim(units):
    u1, u6 = units["1"], units["6"]
    assert u1.knowledge[0].text == (
        "the customer service management role and responsibilities in relation to your organisation's service offer, "
        "customer expectations and customer satisfaction"
    )
    # K&U continues after the repeated heading at L547.
    assert (u1.criterion("K&U13").text, u1.criterion("K&U13").line) == ("your leadership role in customer service delivery", 549)
    assert u1.outcomes[1].text == "Demonstrate how your management responsibilities link with customer service principles"
    # Unit 6 switches from table rows to tab rows after a repeated "Performance criteria" (L870).
    assert u6.outcomes[2].text == "Deal with problems relating to customer service operations"
    assert (u6.criterion("PC12").text, u6.criterion("PC12").line) == (
        "modify your plans for customer service operations in the light of your evaluation", 868)
    assert (u6.criterion("PC13").text, u6.criterion("PC13").line) == (
        "collect information on the nature of the problem and assess the likely impact on the customer", 874)
    # Split header (Unit 3:) and markdown table rows.
    assert units["3"].criterion("PC1").text == "explain the role of customer service within your organisation's strategic and business plans"
    assert units["3"].outcomes[0].line == 673
    # Source oddities kept.
    assert units["18"].criterion("PC2").text == "identify customer service feedback posted as social media by customer"
    assert units["9"].terminology.endswith("cooperation; support; gambling")
    assert units["17"].criterion("K&U3").text == (
        "the importance of setting targets that are SMART (Specific, Measurable, Achievable, Realistic, Time-bound)"
    )
    # Unit 19 ends before the §13 boilerplate.
    assert units["19"].outcomes[-1].criteria[-1].text == (
        "review use of social media for delivery of customer service using data collected through monitoring to "
        "identify further improvements"
    )
    assert units["19"].outcomes[-1].criteria[-1].line == 1697


def test_unit_fields(units):
    for u in units.values():
        assert u.assessment_requirements == (
            "There are no specific assessment requirements for this unit. Please refer to the overall Skills CFA "
            "Assessment Strategy in Annexe A."
        )
        assert "*" not in u.summary and "\t" not in u.summary
    assert units["1"].terminology == "Customer service management; key principles; knowledge; understanding; strategic principles"
    assert units["8"].summary.splitlines()[-1] == (
        "This unit is for you only if you are in a position to influence the way your organisation determines the "
        "level of service offered to different customers."
    )
    assert units["3"].summary.count("\n") == 1


def test_no_table_junk(doc):
    for u in doc.units:
        for c in u.criteria:
            assert "|" not in c.text and "\t" not in c.text and c.text == c.text.strip()
        for o in u.outcomes:
            assert "|" not in o.text and o.text != "Performance criteria"
    codes = {u.ref for u in doc.units}
    assert not codes & {"B&A 3", "CS 2", "M&L 17"}  # Appendix B's QCF units are not units of this qualification


def test_brute_force_unit_selections(doc):
    """Exactly 2,010 selections satisfy the unit rules; all of them also meet both credit rules."""
    rules = doc.qualification.rules
    spec = {u.ref: u for u in doc.units}
    group_of = {ref: g for g in rules.groups for ref in g.units}
    mandatory = [ref for g in rules.groups if g.mandatory for ref in g.units]
    optional = [ref for g in rules.groups if not g.mandatory for ref in g.units]
    assert len(optional) == 17

    def by_parsed_rules(chosen) -> bool:
        counts = {g.id: sum(1 for ref in chosen if group_of[ref] is g) for g in rules.groups if not g.mandatory}
        return all((g.min_units or 0) <= counts[g.id] <= (g.max_units or 99) for g in rules.groups if not g.mandatory)

    def by_the_words(chosen) -> bool:
        # "a minimum of one unit from Optional Groups B, C, D and E ... a further two units from any of Groups B, C and E"
        counts = {gid: sum(1 for ref in chosen if group_of[ref].id == gid) for gid in "BCDE"}
        return all(counts[g] >= 1 for g in "BCDE") and sum(counts[g] - 1 for g in "BCE") == 2 and counts["D"] == 1

    valid = []
    for chosen in combinations(optional, rules.optional_units):
        assert by_parsed_rules(chosen) == by_the_words(chosen), chosen
        if by_parsed_rules(chosen):
            valid.append(mandatory + list(chosen))
    assert len(valid) == 2010
    assert all(len(sel) == rules.total_units for sel in valid)
    totals = [sum(spec[r].credits for r in sel) for sel in valid]
    level, need = rules.level_credits
    at_level = [sum(spec[r].credits for r in sel if spec[r].level >= level) for sel in valid]
    assert (min(totals), max(totals)) == (64, 84)
    assert min(at_level) == need == 48
    assert all(t >= rules.min_credits for t in totals)
    exact = [u.ref for u in doc.units if u.number in {"1", "2", "3", "5", "10", "17", "18", "19"}]
    assert exact in valid and sum(spec[r].credits for r in exact) == 64
    assert sum(spec[r].credits for r in exact if spec[r].level >= 8) == 48


def _facts(doc, topic):
    return [f for f in doc.facts if f.topic == topic]


def test_fact_topics(doc):
    topics = {f.topic for f in doc.facts}
    assert topics <= set(TOPICS)
    assert {"simulation", "expert_witness", "witness_testimony", "countersigning", "assessor_requirements", "iqa",
            "evidence_currency", "professional_discussion", "observation", "language", "credit_transfer", "appeals",
            "age", "entry", "grading", "status"} <= topics
    for f in doc.facts:
        cited = LINES[f.citation.line - 1].replace("*", "").replace("\t", ": ").lstrip("- ")
        assert f.text.split("\n")[0][:20] in cited, f


@pytest.mark.parametrize(
    "topic, line, text",
    [
        ("status", 11, "Pre Publication Draft"),
        ("status", 160, "Operational start date: 01/09/2015"),
        ("grading", 165, "Grading information: The qualification and units are graded pass/fail."),
        ("evidence_currency", 354, "Current: usually not more than two years old"),
        ("expert_witness", 383, "expert witness testimony (EWT)"),
        ("professional_discussion", 381, "professional discussion (PD)"),
        ("countersigning", 1849, "Any assessors working towards an appropriate qualification must ensure their decisions are "
         "countersigned by a suitably-qualified assessor/verifier and should be supported by a qualified assessor throughout "
         "their training period; AND have a full and current understanding of the units of competence and requirements of "
         "the qualifications being assessed, including the quality of assessment and the assessment process."),
        ("countersigning", 1873, "The need for countersigning the decisions of EQAs working towards a qualification applies to "
         "England and Wales and Scotland"),
        ("simulation", 1910, "Simulation can also be used for SVQs. However, where simulation is used for SVQ units, it should "
         "only be for small parts of the units (at any level), in exceptional circumstances only and undertaken in RWE."),
        ("language", 329, "Assessment of the internally assessed units may be in English, Welsh or Irish. If assessment is to "
         "be carried out in either Welsh or Irish then centres must inform Pearson at the point of candidate registration."),
        ("credit_transfer", 430, "All awarding organisations recognise the credits awarded by all other awarding "
         "organisations that operate within the SCQF."),
        ("appeals", 398, "Centres must document all candidates' appeals and their resolutions."),
        ("assessor_requirements", 1831, "Candidates may be assessed, moderated or verified at work either by several appointed individuals."),
        ("assessment_method", 388, "Candidates can also use one piece of evidence to prove their knowledge, skills and "
         "understanding across different outcomes and standards and/or across different units. It is not necessary for "
         "candidates to have each standard assessed separately. They should be encouraged to reference evidence to the "
         "relevant standard. However, the evidence provided for each unit must be clearly reference the unit being "
         "assessed. Evidence must be available to the assessor, the internal verifier and the Pearson standards verifier."),
    ],
)
def test_fact_verbatim(doc, topic, line, text):
    assert any(f.text == text and f.citation.line == line for f in _facts(doc, topic)), [
        (f.citation.line, f.text) for f in _facts(doc, topic)
    ]


def test_list_and_unit_facts(doc):
    rwe = next(f for f in _facts(doc, "simulation") if f.citation.line == 1945)
    assert rwe.citation.end_line == 1955 and rwe.text.count("\n") == 9
    assert rwe.text.splitlines()[1] == "1. the RWE is managed as a real work situation"
    eligibility = {f.units[0]: f.citation.line for f in _facts(doc, "entry") if f.units}
    assert eligibility == {"CFACSA18": 707, "CFACSB15": 952, "CFACSD16": 1261, "CFACSD19": 1454, "CFACSD20": 1523,
                           "CFACSD21": 1582, "CFACSD22": 1647}
    assert all("²" not in f.text and "*" not in f.text and "<i>" not in f.text for f in doc.facts)


def test_evidence_types(doc):
    got = [(e.key, e.name, e.citation.line) for e in doc.evidence_types]
    assert got[:8] == [
        ("observation", "direct observation of the candidate's performance by their assessor (O)", 377),
        ("questioning", "outcomes from oral or written questioning (Q&A)", 378),
        ("product", "products of the candidate's work (P)", 379),
        ("reflective_account", "personal statements and/or reflective accounts (RA)", 380),
        ("professional_discussion", "professional discussion (PD)", 381),
        ("witness_testimony", "authentic statements/witness testimony (WT)", 382),
        ("expert_witness", "expert witness testimony (EWT)", 383),
        ("rpl", "evidence of Recognition of Prior Learning (RPL)", 384),
    ]
    assert got[8:] == [("other", "Evidence from Workplace Performance", 1901), ("simulation", "Simulation", 1910)]
    rpl = doc.evidence_types[7]
    assert rpl.description == (
        "where a candidate can demonstrate that they can meet a unit's outcomes and standards through knowledge, "
        "understanding or skills they already possess without undertaking a course of development."
    )
    assert [e.description for e in doc.evidence_types[:7]] == [None] * 7


def test_deterministic(doc):
    again = parse(SOURCE)
    assert again == doc and repr(again) == repr(doc)


# --- malformed copies -------------------------------------------------------------------

@pytest.mark.parametrize("keep", [200, 600, 1100, 1690, 1698, 1760, 1900])
def test_truncated_copy_raises(tmp_path, keep):
    err = parse_error(parse, tmp_path / "svq_copy.txt", LINES[:keep])
    assert 1 <= err.line <= keep


def _corrupt(tmp_path, line: int, new: str | None) -> SourceError:
    return parse_error(parse, tmp_path / "svq_copy.txt", edited(LINES, line, new))


def test_corruptions_name_the_line(tmp_path):
    assert _corrupt(tmp_path, 536, "4\thow organisational systems balance customer satisfaction").line == 536  # K&U 3 -> 4
    assert _corrupt(tmp_path, 874, "14\tcollect information on the nature of the problem").line == 874  # PC 13 -> 14
    assert _corrupt(tmp_path, 621, "| 3 | use appropriate sources | extra |").line == 621
    assert _corrupt(tmp_path, 636, "Unit code: CFACSA99").line == 632  # page and table disagree
    assert _corrupt(tmp_path, 227, "4\tCFACSA18\tMake Customer Service Environmentally Friendly and Sustainable\t11").line == 227
    assert _corrupt(tmp_path, 220, LINES[219].replace("a further two units", "a further three units")).line == 220
    assert _corrupt(tmp_path, 1054, "Unit 11:").line == 1054
    assert _corrupt(tmp_path, 1346, "Terminology").line == 1346  # heading out of order
    err = _corrupt(tmp_path, 1098, None)  # PC1 missing
    assert err.line == 1098 and "performance criterion 1 " in err.reason
    # Without the §13 heading the end of unit 19 is unknown: refuse rather than read boilerplate as PCs.
    err = _corrupt(tmp_path, 1699, "More text")
    assert err.line == 2000 and "13 Further information" in err.reason


def test_element_without_criteria(tmp_path):
    lines = LINES[:1097] + LINES[1101:]  # unit 10's PC1-4 removed; its first element heading stays
    err = parse_error(parse, tmp_path / "svq_copy.txt", lines)
    assert err.line == 1099 and "no performance criteria" in err.reason
