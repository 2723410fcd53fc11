"""The NCFE Level 1 Certificate parser against the counts and traps in source-notes/003.md."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.errors import SourceError
from catalogue.model import TOPICS
from catalogue.parsers import SOURCES_DIR
from catalogue.parsers.ncfe import parse

SOURCE = SOURCES_DIR / "ncfe_l1_certificate.txt"
LINES = SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def doc():
    return parse(SOURCE)


@pytest.fixture(scope="module")
def units(doc):
    return {u.number: u for u in doc.units}


# number: (Ofqual ref, title, group, level, credits, GLH, detail line, LOs, ACs)
UNITS = {
    "01": ("L/506/2083", "Understand working in a customer service environment", "A", 1, 3, 25, 579, 4, 16),
    "02": ("Y/506/2085", "Communication in customer service", "A", 1, 2, 14, 644, 2, 14),
    "03": ("L/506/1791", "Principles of personal performance and development", "A", 1, 3, 30, 687, 3, 16),
    "04": ("R/506/1792", "Principles of working in a business environment", "A", 1, 4, 25, 728, 4, 16),
    "05": ("Y/506/1793", "Work with others in a business environment", "A", 1, 2, 18, 776, 2, 13),
    "06": ("A/506/2094", "Record details of customer service problems", "B", 1, 3, 14, 807, 3, 13),
    "07": ("A/506/2113", "Deal with customer queries, requests and problems", "B", 1, 3, 11, 860, 3, 16),
    "08": ("T/506/2126", "Communicate with customers in writing", "B", 2, 3, 20, 909, 3, 11),
    "09": ("H/506/2154", "Deal with incoming telephone calls from customers", "B", 2, 3, 16, 955, 3, 18),
    "10": ("K/506/2155", "Make telephone calls to customers", "B", 2, 3, 16, 1023, 3, 21),
    "11": ("R/506/2134", "Process information about customers", "B", 2, 3, 14, 1083, 2, 11),
    "12": ("H/506/1795", "Manage time and workload", "C", 1, 1, 10, 1125, 2, 11),
    "13": ("A/506/1799", "Meet and welcome visitors in a business environment", "C", 1, 2, 20, 1154, 2, 10),
    "14": ("F/503/0392", "Contribute to sales activities in a contact centre", "C", 1, 3, 6, 1182, 3, 13),
    "15": ("F/503/0361", "Use specific features of contact centre systems and technology", "C", 1, 3, 12, 1222, 2, 15),
    "16": ("T/505/4673", "Health and safety procedures in the workplace", "C", 2, 2, 16, 1257, 2, 8),
    "17": ("M/502/8587", "Processing sales orders", "C", 2, 2, 17, 1285, 3, 19),
    "18": ("R/502/8601", "Meeting customers' after sales needs", "C", 2, 3, 14, 1331, 3, 10),
}


def test_document_identity(doc):
    assert (doc.id, doc.file) == ("ncfe-l1", "ncfe_l1_certificate.txt")
    # 1,428 newlines; the last line has none, so the file has 1,429 lines.
    assert doc.line_count == 1429 == len(LINES)


def test_qualification(doc):
    q = doc.qualification
    assert (q.awarding_body, q.title, q.number) == ("NCFE", "NCFE Level 1 Certificate in Customer Service", "601/3972/9")
    assert (q.level, q.credits, q.tqt, q.glh) == (1, 23, 230, "133")
    assert q.framework is None and q.status is None
    assert q.dates == {"specification": "Version 4.2 June 2022"}  # no qualification dates are stated
    assert q.grading == "Grades are not awarded."
    assert q.age == "pre-16 and above"
    assert q.entry == "There are no specific recommended prior learning requirements for this qualification."
    assert {"NCFE level 1", "level 1 certificate"} <= set(q.aliases)


def test_rules_of_combination(doc):
    r = doc.qualification.rules
    assert r.min_credits == 23 and r.credit_name == "credits"
    assert (r.level_credits, r.total_units, r.optional_units) == (None, None, None)
    assert r.text == (
        "To be awarded the Level 1 Certificate in Customer Service, learners must achieve a minimum of 23 credits:\n"
        "- a total of 14 credits from Group A\n"
        "- a minimum of 6 credits from Group B\n"
        "- and the remaining credits can come from Group B or Group C"
    )
    assert (r.citation.source, r.citation.line, r.citation.end_line) == ("ncfe-l1", 111, 115)
    a, b, c = r.groups
    assert [g.id for g in r.groups] == ["A", "B", "C"]
    assert (a.mandatory, a.min_credits, len(a.units), a.line) == (True, 14, 5, 117)
    assert (b.mandatory, b.min_credits, len(b.units), b.line) == (False, 6, 6, 125)
    assert (c.mandatory, c.min_credits, len(c.units), c.line) == (False, None, 7, 134)
    for g in r.groups:
        assert g.max_credits is None and g.min_units is None and g.max_units is None  # none stated
        assert g.units == [ref for ref, _, grp, *_ in UNITS.values() if grp == g.id]


def test_group_and_total_credits(doc):
    credit = {u.ref: u.credits for u in doc.units}
    groups = {g.id: sum(credit[ref] for ref in g.units) for g in doc.qualification.rules.groups}
    assert groups == {"A": 14, "B": 18, "C": 16}
    assert sum(credit.values()) == 48


def test_unit_table(doc, units):
    assert [u.number for u in doc.units] == list(UNITS)
    for number, (ref, title, _, level, credits, glh, line, los, acs) in UNITS.items():
        u = units[number]
        assert (u.ref, u.title, u.level, u.credits, u.glh, u.line) == (ref, title, level, credits, glh, line), number
        assert (len(u.outcomes), len(u.criteria)) == (los, acs), number
        assert u.source == "ncfe-l1" and u.title_variants == [] and u.knowledge == []


def test_totals(doc):
    assert len(doc.units) == 18
    assert sum(len(u.outcomes) for u in doc.units) == 49
    assert sum(len(u.criteria) for u in doc.units) == 251


def test_outcome_kinds(units):
    for u in units.values():
        for o in u.outcomes:
            expected = "competence" if o.text.startswith("Be able to") else "knowledge"
            assert o.kind == expected
            assert o.text.startswith(("Know ", "Understand ", "Be able to "))
            assert all(c.ref.startswith(o.number + ".") and c.kind == "ac" for c in o.criteria)
    for number in ("01", "03", "04"):
        assert {o.kind for o in units[number].outcomes} == {"knowledge"}
    assert {o.kind for o in units["18"].outcomes} == {"competence"}


def test_unit_summaries(units):
    assert units["01"].summary == (
        "The purpose of this unit is to increase learners' understanding of the customer service role. Learners will "
        "be able to identify the different types of customer and their needs and be able to refer problems."
    )
    assert units["12"].summary == "This purpose of this unit is to develop learners' understanding of time management techniques."


def test_criteria_verbatim(units):
    u01, u16 = units["01"], units["16"]
    assert u01.criterion("1.1").text == "State what is meant by 'customer service'"
    assert (u01.criterion("1.1").line, u01.outcomes[0].line) == (587, 583)
    # LO 4 follows a "(cont'd)" heading in the middle of the LO list.
    assert u01.outcomes[3].text == "Know how to refer customer queries and problems to others"
    assert [c.ref for c in u01.outcomes[3].criteria] == ["4.1", "4.2", "4.3"]
    # The a)/b) sub-items belong to AC 1.1; no AC is made of them.
    assert u16.criterion("1.1").text == (
        "Define the main responsibilities for health and safety in the workplace of the following: a) employers b) employees"
    )
    assert [c.ref for c in u16.outcomes[0].criteria] == ["1.1", "1.2", "1.3", "1.4"]
    assert u16.criterion("2.4").text == "Assess how own health and safety practices could be improved"
    # OCR typos are kept.
    assert units["07"].outcomes[1].text == "Be able to deal with customers' gueries and requests"
    assert units["07"].criterion("2.1").text == "Deal with gueries and requests in a professional way"
    # "The learner can" without a colon (L1212).
    assert units["14"].criterion("3.1").text == "List the products and/or services offered or supported by the contact centre"
    assert units["18"].criterion("3.2").text == "Analyse and report the findings to the relevant person in the organisation"
    assert units["08"].criterion("1.4").text == (
        "Explain the implications of confidentiality and UK General Data Protection Regulations (UK GDPR) when "
        "communicating with customers in writing"
    )
    assert units["10"].criterion("3.9").line == 1065


def test_no_junk_in_texts(doc):
    texts = [c.text for u in doc.units for c in u.criteria] + [o.text for u in doc.units for o in u.outcomes]
    texts += [c.guidance for u in doc.units for c in u.criteria if c.guidance]
    for text in texts:
        assert "**" not in text and "Version 4.2" not in text and "cont'd" not in text and "<u>" not in text
        assert text == text.strip() and "  " not in text
    assert "M/100/7116" not in {u.ref for u in doc.units}


def test_guidance_keyed_by_ac(units):
    u01 = units["01"]
    assert u01.criterion("3.4").guidance == (
        "A service offer defines the extent and limits of the customer service that an organisation is offering.\n"
        "Different types of organisation requires the learner to provide more than one example from their sector."
    )
    assert u01.criterion("2.4").guidance is None  # the un-numbered item names no AC: a unit note, not a guess
    assert u01.notes[1] == (
        "Customer expectations are what people think should happen and how they think they should be treated when "
        "asking for or receiving customer service. Customer satisfaction is the feeling that a customer gets when he "
        "or she is happy with the customer service that has been provided."
    )
    assert units["06"].criterion("3.1").guidance == (
        "Appropriate people can include but is not exclusive to:\n- supervisor\n- management\n- head office"
    )
    assert units["07"].criterion("1.4").guidance == "Behaviours are actions and mannerisms towards others."  # no dash
    # Unindented sub-bullets after a blank line still belong to 2.4 (L1016-1021).
    assert units["09"].criterion("2.4").guidance == (
        "Listening actively refers to:\n- asking questions to check information\n- repeating information to show "
        "understanding\n- avoiding distractions, assumptions and interruptions\n- using body language/facial "
        "expressions as if the customer is present."
    )
    assert units["09"].criterion("1.6").guidance.count("\n- ") == 6
    assert units["10"].criterion("1.6").guidance == units["09"].criterion("1.6").guidance
    # Unit 11 has no "Assessment guidance" heading; 2.3 holds two terms in one item.
    assert units["11"].criterion("2.3").guidance == (
        "The learner should be able to differentiate between authorised and unauthorised people. "
        "Timely manner - in line with organisational procedures"
    )
    assert units["08"].criterion("1.1").guidance == "Written communication may include letter, email, online forum etc."
    counts = {n: sum(1 for c in u.criteria if c.guidance) for n, u in units.items()}
    assert counts == {"01": 3, "02": 4, "03": 0, "04": 0, "05": 0, "06": 5, "07": 1, "08": 3, "09": 3, "10": 1,
                      "11": 8, "12": 0, "13": 0, "14": 0, "15": 0, "16": 0, "17": 0, "18": 0}


def test_guidance_blocks(units):
    strategy = {n: u.assessment_requirements for n, u in units.items() if u.assessment_requirements}
    assert strategy == {
        "14": "This unit must be assessed in line with Skills CFA Contact Centre Assessment Strategy.",
        "15": "This unit must be assessed in line with Skills CFA Contact Centre Assessment Strategy.",
        "17": "This unit must be assessed in line with Skills CFA Sales Standards Assessment Strategy.",
        "18": "This unit must be assessed in line with Skills CFA Sales Standards Assessment Strategy.",
    }
    none = [n for n, u in units.items() if "There is no assessment guidance available for this unit." in u.notes]
    assert none == ["03", "04", "05", "12", "13", "16"]
    boiler = [n for n, u in units.items() if u.notes and u.notes[0].startswith("Assessment guidance is provided below")]
    assert boiler == ["01", "02", "06", "07", "08", "09", "10", "11"]


def test_evidence_types(doc):
    names = [(e.key, e.name, e.citation.line) for e in doc.evidence_types]
    assert names == [
        ("observation", "Assessor observation", 308),
        ("witness_testimony", "witness testimony", 309),
        ("product", "work product", 310),
        ("other", "worksheets", 311),
        ("other", "assignments/projects/reports", 312),
        ("professional_discussion", "record of professional discussion", 313),
        ("questioning", "record of oral and written questioning", 314),
        ("report", "learner and peer reports", 315),
        ("rpl", "Recognition of Prior Learning (RPL)", 316),
    ]
    assert all(e.description is None for e in doc.evidence_types)  # the spec describes none of them


def test_glossary(doc):
    terms = {g.term: g for g in doc.glossary}
    assert list(terms) == ["Define", "Demonstrate", "Describe", "Explain", "Give (examples of)", "Identify", "Indicate",
                           "Locate", "List", "Outline", "Plan", "Show", "State", "Use"]
    assert terms["Explain"].definition == "Provide details about the subject with reasons showing how or why."
    assert terms["Plan"].definition == (
        "Think about, organise and present information in a logical way. This could be presented as written "
        "information, a diagram or an illustration."
    )
    assert (terms["Define"].citation.line, terms["Use"].citation.line) == (1374, 1387)
    assert "Assess" not in terms and "Analyse" not in terms  # used in ACs but not defined


def _facts(doc, topic):
    return [f for f in doc.facts if f.topic == topic]


def test_facts_cite_their_lines(doc):
    assert {f.topic for f in doc.facts} <= set(TOPICS)
    for f in doc.facts:
        assert f.citation.source == "ncfe-l1"
        cited = LINES[f.citation.line - 1].replace("**", "").replace("\t", ": ")
        assert f.text.split("\n")[0][:20] in cited, f
    assert "appeals" not in {f.topic for f in doc.facts}  # the spec is silent on appeals


@pytest.mark.parametrize(
    "topic, line, text",
    [
        ("assessment_method", 70, "Assessment requirements: internally assessed and externally moderated portfolio of evidence"),
        ("language", 300, "Unless stated otherwise in this qualification specification, all learners taking this qualification "
         "must be assessed in English and all assessment evidence presented for external quality assurance must be in English."),
        ("grading", 146, "To achieve the Level 1 Certificate in Customer Service, learners must successfully demonstrate their "
         "achievement of all learning outcomes and assessment criteria of the units as detailed in this qualification "
         "specification. Grades are not awarded."),
        ("resubmission", 148, "Learners who aren't successful can resubmit work within the registration period; however, a charge may apply."),
        ("credit_transfer", 171, "Where a learner has already achieved a unit with credit, NCFE will recognise that prior learning and "
         "will allow the credit to be transferred onto a new qualification, provided that the units have the same Ofqual reference number."),
        ("simulation", 320, "Evidence must be drawn from actual work situations, with simulation used only in exceptional circumstances."),
        ("countersigning", 210, "Assessors working towards an appropriate qualification must ensure their decisions are countersigned "
         "by a suitably-qualified assessor/verifier."),
        ("age", 105, "This qualification is suitable for learners aged pre-16 and above."),
        ("professional_discussion", 313, "record of professional discussion"),
        ("reasonable_adjustments", 1403, "Learners who require reasonable adjustments or special consideration should discuss their "
         "requirements with their Tutor who should refer to our Reasonable Adjustments and Special Considerations policy for quidance."),
    ],
)
def test_fact_verbatim(doc, topic, line, text):
    assert any(f.text == text and f.citation.line == line for f in _facts(doc, topic)), [
        (f.citation.line, f.text) for f in _facts(doc, topic)
    ]


def test_list_facts(doc):
    progression = {f.citation.line: f for f in _facts(doc, "progression")}
    assert progression[162].text.endswith("- Leisure. Travel and Tourism\n- Hospitality")  # the source's full stop kept
    assert progression[156].citation.end_line == 160
    exemptions = " ".join(f.text for f in _facts(doc, "exemptions"))
    assert "there are no exemptions currently identified" in exemptions and "no equivalent units" in exemptions
    countersign = _facts(doc, "countersigning")[0]
    assert (countersign.citation.line, countersign.citation.end_line) == (210, 212)
    unit_specific = {(f.topic, f.citation.line): f.units for f in doc.facts if f.units}
    assert unit_specific[("simulation", 1122)] == ["R/506/2134"]
    assert unit_specific[("witness_testimony", 684)] == ["Y/506/2085"]
    assert unit_specific[("assessment_method", 1366)] == ["R/502/8601"]


def test_every_required_topic_present(doc):
    topics = {f.topic for f in doc.facts}
    assert {"assessment_method", "language", "grading", "resubmission", "credit_transfer", "exemptions", "age", "entry",
            "progression", "reasonable_adjustments", "simulation", "countersigning", "assessor_requirements", "iqa",
            "rpl", "status"} <= topics


def test_deterministic(doc):
    again = parse(SOURCE)
    assert again == doc and repr(again) == repr(doc)


# --- malformed copies (helpers shared with test_parse_svq) ----------------------------

def edited(lines: list[str], line: int, new: str | None) -> list[str]:
    """A copy of `lines` with 1-based `line` replaced by `new`, or deleted when new is None."""
    out = list(lines)
    if new is None:
        del out[line - 1]
    else:
        out[line - 1] = new
    return out


def parse_error(parse, path: Path, lines: list[str]) -> SourceError:
    """Write `lines` to `path`, parse it, and return the SourceError that must follow (never a document)."""
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        parse(path)
    assert exc.value.file == path.name
    return exc.value


@pytest.mark.parametrize("keep", [100, 500, 700, 1000, 1300, 1372, 1380])
def test_truncated_copy_raises(tmp_path, keep):
    err = parse_error(parse, tmp_path / "ncfe_copy.txt", LINES[:keep])
    assert 1 <= err.line <= keep


def _corrupt(tmp_path, line: int, new: str | None) -> SourceError:
    return parse_error(parse, tmp_path / "ncfe_copy.txt", edited(LINES, line, new))


def test_corruptions_name_the_line(tmp_path):
    assert _corrupt(tmp_path, 598, "- 2.4 List information sources needed to deliver reliable customer service").line == 598
    assert _corrupt(tmp_path, 1266, "a) employers").line == 1266
    assert _corrupt(tmp_path, 1140, "Be able to manage time and workload").line == 1140
    assert _corrupt(tmp_path, 615, "Unit 01 Understand working in a customer service (L/506/2083) (cont'd)").line == 615
    assert _corrupt(tmp_path, 909, "Unit 09 Communicate with customers in writing (T/506/2126)").line == 909
    assert _corrupt(tmp_path, 1016, "2.9 **Listening actively** refers to:").line == 1016
    assert _corrupt(tmp_path, 1374, "Define Give the meaning of a word or phrase.").line == 1374
    assert _corrupt(tmp_path, 129, "- Unit 08 Communicate with customers in writing (4 credits)").line == 129
    assert _corrupt(tmp_path, 121, "- Unit 03 Principles of personal performance and development (4 credits)").line == 113
    # A unit that stops after its ACs, with no guidance block, is incomplete.
    assert _corrupt(tmp_path, 726, "").line == 728
    err = _corrupt(tmp_path, 585, None)  # "The learner can:" removed
    assert err.line == 586 and "The learner can" in err.reason


def test_encoding_errors(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("\n".join(LINES[:10]).encode() + b"\n\xff\xfe broken\n")
    with pytest.raises(SourceError) as exc:
        parse(path)
    assert (exc.value.file, exc.value.line) == ("bad.txt", 11)
    path.write_text("\r\n".join(LINES), encoding="utf-8")
    with pytest.raises(SourceError) as exc:
        parse(path)
    assert exc.value.line == 1
