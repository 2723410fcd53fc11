"""The City & Guilds unit pool parser against source notes 002 (figures, traps, lookups)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from catalogue.errors import SourceError
from catalogue.model import TOPICS, SourceDocument, UnitSpec
from catalogue.parsers import SOURCES_DIR, parse_source
from catalogue.parsers.cityguilds import canonical_evidence, parse, unit_by_number

SOURCE = SOURCES_DIR / "cg_unit_pool.txt"

# Source notes 002 §1 unit table: number, title, UAN, level, credits, GLH, LOs, ACs, header line.
TABLE = [
    ("206", "Communicate verbally with customers", "D/506/2119", 2, 3, 14, 2, 16, 2),
    ("207", "Communicate with customers in writing", "T/506/2126", 2, 3, 20, 3, 11, 325),
    ("210", "Promote additional products and/or services to customers", "L/506/2133", 2, 2, 14, 2, 8, 618),
    ("212", "Exceed customer expectations", "Y/506/2135", 2, 3, 15, 2, 10, 848),
    ("213", "Deliver customer service whilst working on customer’s premises", "T/506/2143", 2, 4, 20, 2, 13, 1062),
    ("216", "Deliver customer service to challenging customers", "F/506/2159", 2, 3, 16, 2, 14, 1299),
    ("217", "Develop customer relationships", "Y/506/2149", 2, 3, 18, 2, 12, 1646),
    ("218", "Support customer service improvements", "T/506/2160", 2, 3, 12, 3, 9, 1896),
    ("219", "Support customers through real-time online customer service", "A/506/2161", 2, 3, 15, 3, 11, 2148),
    ("220", "Support customers using self-service equipment", "H/506/2977", 2, 3, 18, 3, 10, 2454),
    ("221", "Use social media to deliver customer service", "J/506/2163", 2, 3, 18, 2, 11, 2710),
    ("222", "Provide post-transaction customer service", "K/506/2978", 2, 5, 22, 2, 11, 3003),
    ("224", "Manage diary systems", "L/506/1807", 2, 2, 12, 2, 10, 3166),
    ("225", "Provide reception services", "H/506/1814", 2, 3, 15, 2, 12, 3324),
    ("226", "Contribute to the organisation of an event", "L/506/1869", 2, 3, 23, 4, 16, 3474),
    ("227", "Buddy a colleague to develop their skills", "M/506/1895", 2, 3, 19, 3, 13, 3733),
    ("228", "Employee rights and responsibilities", "L/506/1905", 2, 2, 16, 2, 10, 3964),
    ("231", "Processing sales orders", "M/502/8587", 2, 2, 17, 3, 19, 4098),
    ("302", "Gather, analyse and interpret customer feedback", "D/506/2170", 3, 5, 22, 4, 19, 4262),
    ("303", "Negotiate in a business environment", "H/506/1912", 3, 4, 18, 3, 14, 4649),
    ("304", "Organise and deliver customer service", "L/506/2150", 3, 5, 27, 3, 16, 4860),
    ("305/695", "Understand the customer service environment", "Y/506/2152", 3, 5, 40, 4, 16, 5229),
    ("306/696", "Understand customers and customer retention", "J/506/2910", 3, 4, 35, 3, 14, 5608),
    ("307/697", "Principles of business", "D/506/1942", 3, 10, 74, 5, 19, 5954),
    ("308", "Manage personal and professional development", "T/506/2952", 3, 3, 12, 3, 13, 6326),
    ("309", "Develop resources to support consistency of customer service delivery", "Y/506/2166", 3, 5, 21, 3, 13, 6650),
    ("310", "Use service partnerships to deliver customer service", "D/506/2167", 3, 3, 20, 3, 12, 6938),
    ("311", "Resolve customers’ complaints", "R/506/2151", 3, 4, 22, 2, 17, 7242),
    ("312", "Monitor the quality of customer service interactions", "K/506/2172", 3, 5, 27, 3, 15, 7532),
    ("313", "Promote equality, diversity and inclusion in the workplace", "T/506/1820", 3, 3, 15, 3, 10, 7808),
    ("314", "Manage team performance", "A/506/1821", 3, 4, 21, 3, 14, 8146),
    ("315", "Manage individuals’ performance", "J/506/1921", 3, 4, 20, 2, 12, 8634),
    ("316", "Collaborate with other departments", "M/506/1931", 3, 3, 14, 3, 10, 9059),
    ("317", "Negotiating, handling objections and closing sales", "F/502/8612", 3, 4, 22, 5, 22, 9197),
    ("318", "Obtaining and analysing sales-related information", "R/502/8615", 3, 4, 24, 4, 15, 9447),
    ("319", "Buyer behaviour in sales situations", "K/502/8622", 3, 3, 27, 2, 11, 9653),
    ("320", "Manage incidents referred to a contact centre", "K/503/0418", 3, 6, 30, 3, 16, 9788),
    ("321", "Lead direct sales activities in a contact centre team", "D/503/0397", 3, 4, 8, 4, 22, 9975),
    ("322", "Bespoke software", "J/502/4397", 3, 4, 30, 3, 9, 10203),
    ("323", "Resolve customers’ problems", "K/506/2169", 3, 4, 19, 2, 13, 10534),
    ("402", "Champion customer service", "D/506/2153", 4, 4, 17, 3, 17, 10787),
    ("404", "Build and maintain effective customer relations", "R/506/2179", 4, 6, 25, 4, 21, 11041),
    ("406", "Manage a customer service award programme", "L/506/2181", 4, 6, 25, 3, 12, 11340),
    ("407", "Manage the use of technology to improve customer service", "Y/506/2183", 4, 4, 14, 3, 12, 11568),
    ("408", "Develop a social media strategy for customer service", "D/506/2962", 4, 5, 16, 3, 17, 11804),
]


@pytest.fixture(scope="module")
def doc() -> SourceDocument:
    return parse(SOURCE)


def unit(doc: SourceDocument, number: str) -> UnitSpec:
    u = unit_by_number(doc.units, number)
    assert u is not None, number
    return u


def ac(doc: SourceDocument, number: str, ref: str) -> str:
    c = unit(doc, number).criterion(ref)
    assert c is not None, (number, ref)
    return c.text


def lists(doc: SourceDocument):
    """(unit, outcome) for every evidence list, in file order."""
    return [(u, o) for u in doc.units for o in u.outcomes if o.evidence_line is not None]


def norm(item: str) -> str:
    return re.sub(r"\s+", " ", item.lower())


# --- document and totals -------------------------------------------------------------------------

def test_document(doc):
    assert (doc.id, doc.short_name, doc.file) == ("cg-pool", "City & Guilds unit pool", "cg_unit_pool.txt")
    assert doc.qualification is None  # no title, number or rules of combination in the text
    assert doc.line_count == 12116
    assert doc.glossary == []


def test_registry_parses_the_same_document(doc):
    assert parse_source("cg-pool") == doc


def test_totals(doc):
    assert len(doc.units) == 45
    assert sum(len(u.outcomes) for u in doc.units) == 130
    assert sum(len(u.criteria) for u in doc.units) == 617
    assert len(lists(doc)) == 103
    empty = [(u.number, o.number) for u, o in lists(doc) if not o.evidence]
    assert empty == [("225", "1")]
    assert unit(doc, "225").outcomes[0].evidence_line == 3419


def test_uans_credits_glh_levels(doc):
    refs = [u.ref for u in doc.units]
    assert len(set(refs)) == 45
    assert all(re.fullmatch(r"[A-Z]/\d{3}/\d{4}", r) for r in refs)
    assert sum(u.credits for u in doc.units) == 174
    assert sum(u.glh for u in doc.units) == 949
    assert Counter(u.level for u in doc.units) == {2: 18, 3: 22, 4: 5}
    assert all(u.source == "cg-pool" for u in doc.units)


@pytest.mark.parametrize("number,title,uan,level,credits,glh,n_lo,n_ac,line", TABLE, ids=[r[0] for r in TABLE])
def test_unit_table(doc, number, title, uan, level, credits, glh, n_lo, n_ac, line):
    u = unit(doc, number)
    assert (u.number, u.title, u.ref, u.level, u.credits, u.glh, u.line) == (number, title, uan, level, credits, glh, line)
    assert (len(u.outcomes), len(u.criteria)) == (n_lo, n_ac)


def test_units_in_file_order(doc):
    assert [u.number for u in doc.units] == [r[0] for r in TABLE]


def test_numbering_has_no_gaps(doc):
    for u in doc.units:
        assert [o.number for o in u.outcomes] == [str(i) for i in range(1, len(u.outcomes) + 1)]
        for o in u.outcomes:
            assert [c.ref for c in o.criteria] == [f"{o.number}.{i}" for i in range(1, len(o.criteria) + 1)]
            assert all(c.kind == "ac" for c in o.criteria)
            lines = [c.line for c in o.criteria]
            assert lines == sorted(lines) and o.line < lines[0]


def test_no_ac_runs_into_other_text(doc):
    for u in doc.units:
        for c in u.criteria:
            assert not re.search(r"Unit |Learning outcome|Evidence", c.text), (u.number, c.ref, c.text)
            assert not re.search(r"\s\d$", c.text), (u.number, c.ref, c.text)
            assert c.text == c.text.strip() and "\n" not in c.text


def test_outcome_kinds(doc):
    outcomes = [o for u in doc.units for o in u.outcomes]
    kinds = Counter(o.kind for o in outcomes)
    assert kinds == {"knowledge": 56, "competence": 71, "other": 3}
    acs = Counter()
    for o in outcomes:
        acs[o.kind] += len(o.criteria)
    assert acs == {"knowledge": 272, "competence": 336, "other": 9}
    assert [o.kind for o in unit(doc, "322").outcomes] == ["other"] * 3
    assert [o.kind for o in unit(doc, "320").outcomes] == ["competence", "competence", "knowledge"]
    assert {o.kind for o in unit(doc, "308").outcomes} == {"competence"}
    for number in ("228", "305", "306", "307"):
        assert {o.kind for o in unit(doc, number).outcomes} == {"knowledge"}


# --- header fields -------------------------------------------------------------------------------

def test_header_fields(doc):
    u206 = unit(doc, "206")
    assert u206.nos == ("Customers Service (2013) National Occupational Standards:\n"
                        "• CFACSA3 Communicate effectively with customers\n"
                        "• CFACSB6 Use questioning techniques when delivering customer service")
    assert u206.assessment_requirements == ("This unit is endorsed by Skills CFA Assessment Strategy "
                                            "Competence units (S/NVQ)")
    assert u206.aim.startswith("This unit aims to develop the knowledge and skills required to communicate verbally")
    assert u206.assessment_type is None
    assert unit(doc, "222").nos is None  # no NOS field at all
    assert unit(doc, "404").nos == "Customers Service (2013) National Occupational Standards:"  # no code
    assert unit(doc, "227").nos.endswith("• CFACSD5249 Buddy a colleague to develop their customer service skills.")
    assert unit(doc, "228").nos == "N/A" and unit(doc, "228").assessment_requirements == "N/A"
    assert unit(doc, "228").assessment_type == ("Short Answer Questions (C&G) Assignment or Skills CFA "
                                                "on-line ERR workbook")
    for number in ("305", "306"):  # "Assessment type" before the NOS field
        u = unit(doc, number)
        assert u.assessment_type == "E-volve or portfolio of evidence" and u.nos.startswith("Customers Service")
    assert unit(doc, "322").assessment_requirements == ("This unit will be assessed as specified in the e-Skills "
                                                        "IT User Assessment Strategy 2009.")
    assert unit(doc, "320").assessment_requirements == ("This unit is endorsed by CFA, the Sector Skills Council "
                                                        "for Administration")
    for number in ("231", "317"):  # the "Aim" that is not an aim
        assert unit(doc, number).aim == ("For those assessment criteria which are performance related the most "
                                         "likely form of evidence is assessor observation.")
    assert unit(doc, "318").aim == ("This unit aims to provide the knowledge and skills needed to obtain and analyse "
                                    "information that helps to understand the markets for products and/or services "
                                    "and the volume, mix and value of the products or services sold.")
    assert all(u.simulation == "not stated" for u in doc.units)


def test_levels_written_as_level_n(doc):
    assert [unit(doc, n).level for n in ("231", "317", "318", "319")] == [2, 3, 3, 3]


def test_titles_wrapped_and_hyphen_breaks(doc):
    assert unit(doc, "220").title == "Support customers using self-service equipment"
    assert unit(doc, "318").title == "Obtaining and analysing sales-related information"
    assert unit(doc, "309").title == "Develop resources to support consistency of customer service delivery"
    assert unit(doc, "219").title == "Support customers through real-time online customer service"


def test_headers_with_leading_space_and_repeats(doc):
    spaced = [3324, 3474, 3733, 4098, 4649, 6326, 7808, 8146, 8634, 9059, 9197, 10203]  # 4845 is a repeat
    assert {u.line for u in doc.units} >= set(spaced)
    # The three repeated headers add an appendix, not a unit.
    assert unit(doc, "228").notes[-1].startswith("Supporting information\nEvidence requirements\n5528-227")
    assert unit(doc, "303").notes[-1].startswith("Supporting information\nGuidance\n")
    assert unit(doc, "322").notes[0].startswith("Supporting information\nThe following guidance")
    assert "Outcome 2 Create and modify appropriate structures" in unit(doc, "322").notes[0]


# --- criteria: verbatim spot checks for each trap ------------------------------------------------

# (unit, AC, text as it must read), one or more per trap of source notes 002 §6.
VERBATIM = [
    # a word broken after a hyphen at a line end is joined without a space
    ("219", "3.4", "adhere to organisational policies and procedures, legal and ethical requirements when supporting "
                   "customers through on-line customer service."),
    ("222", "1.1", "explain organisational policies and procedures for post-transaction customer service"),
    ("317", "5.3", "identify and make use of potential add-on, up-selling or cross-selling opportunities"),
    ("321", "3.2", "agree realistic and achievable team sales targets including cross-selling and up-selling"),
    ("319", "1.7", "explain the impact of the different roles within the decision-making unit on the sales cycle."),
    ("321", "4.6", "explain how to set sales targets including cross-selling and up-selling."),
    # a blank line inside a wrapped AC (L377/379)
    ("207", "1.3", "describe the potential benefits and limitations associated with communicating with customers "
                   "in writing"),
    # a page number after the AC ("3" at L4085, "1" at L3962)
    ("228", "2.4", "identify sources of information and advice on employment rights and responsibilities."),
    ("227", "3.6", "offer a buddy hints and tips based on personal experience."),
    # a./b./c. sub-items, some with text after the list or an indented line
    ("228", "1.6", "describe the: a. types b. roles c. responsibilities of representative bodies and their relevance "
                   "to their own role."),
    ("225", "1.4", "explain the: a. health b. safety c. security implications of visitors to a building"),
    ("225", "2.7", "adhere to organisational procedures on: a. entry b. security c. health d. safety."),
    ("226", "1.5", "explain the requirements of: a. health b. safety c. security when organising events"),
    ("227", "2.4", "agree: a. specific b. measurable c. achievable d. realistic e. time-bound (SMART) buddying "
                   "objectives."),
    ("303", "3.4", "adhere to: a. organisational policies and procedures b. legal and ethical requirements when "
                   "carrying out business negotiations."),
    # an AC line with a leading space (L3642)
    ("226", "2.3", "distribute pre-event documentation to delegates in accordance with the event plan"),
    # "guidance" at the start of a wrapped line is not a heading (L9895)
    ("320", "2.1", "agree with colleagues the areas in which they need support and guidance in incident management"),
    # the author's query in 404 AC 1.2 is removed
    ("404", "1.2", "analyse the features of influencing techniques"),
    # quotes, double spaces and case kept as written
    ("304", "1.6", "explain how to analyse the “customer journey’."),
    ("206", "2.2", "listen “actively” to what customers are saying"),
    ("206", "2.1", "Identify customers’ wants and priorities"),
    ("303", "2.4", "prepare fall-back stances  and compromises that align with the negotiating strategy and priorities"),
    # last ACs before guidance-numbered lines (313, 314) and a "Range" heading (306)
    ("313", "1.4", "describe nominated responsibilities within an organisation for equality, diversity and inclusion."),
    ("314", "1.3", "describe constraints on the ability to amend priorities and plans"),
    ("306", "1.5", "explain the uses of CRM data in customer service delivery."),
]


@pytest.mark.parametrize("number,ref,text", VERBATIM, ids=[f"{n}-{r}" for n, r, _ in VERBATIM])
def test_verbatim_criteria(doc, number, ref, text):
    assert ac(doc, number, ref) == text


def test_page_numbers_are_dropped(doc):
    assert "• structure\n• customers" in unit(doc, "307").outcomes[0].range  # "2" at L6031 between them
    assert unit(doc, "317").outcomes[2].evidence[-1] == "witness testimony"  # list before the "3" at L9357


def test_sub_item_acs(doc):
    with_items = [(u.number, c.ref) for u in doc.units for c in u.criteria if re.search(r"\ba\. .* b\. ", c.text)]
    assert sorted(with_items) == sorted([("225", "1.4"), ("225", "2.7"), ("226", "1.1"), ("226", "1.5"),
                                         ("227", "2.2"), ("227", "2.4"), ("228", "1.3"), ("228", "1.6"),
                                         ("228", "2.2"), ("303", "2.1"), ("303", "3.3"), ("303", "3.4")])


def test_odd_lines_inside_outcomes(doc):
    assert unit(doc, "226").criterion("2.3").line == 3642
    assert unit(doc, "312").outcomes[0].text == "understand how to monitor the quality of customer service interactions"
    assert unit(doc, "228").outcomes[1].text == "Understand employers’ expectations and employees’ rights and obligations."


def test_guidance_numbered_lines_are_not_criteria(doc):
    assert [len(o.criteria) for o in unit(doc, "314").outcomes] == [3, 5, 6]
    assert [len(o.criteria) for o in unit(doc, "305").outcomes] == [5, 3, 6, 2]
    assert "3.2 Relationship:" in unit(doc, "305").outcomes[2].guidance
    assert ac(doc, "313", "1.1") == "explain the difference between equality, diversity and inclusion"
    assert ac(doc, "314", "1.2") == "explain a range of quality management techniques to manage team performance"


@pytest.mark.parametrize("number,count", [("308", 13), ("313", 10), ("314", 14), ("315", 12)])
def test_criterion_guidance(doc, number, count):
    u = unit(doc, number)
    assert sum(c.guidance is not None for c in u.criteria) == count == len(u.criteria)
    for c in u.criteria:
        assert c.guidance.count("In this criterion") == 1, c.ref
        assert not re.match(r"\d+\.\d+\b", c.guidance), c.ref  # the label is not part of the text
    assert all(o.evidence_line is None for o in u.outcomes)


def test_criterion_guidance_texts(doc):
    u = unit(doc, "308")
    assert u.criterion("1.1").guidance.startswith("Sources of information on professional development trends")
    # 3.3 and 3.4 have no label in the source
    assert u.criterion("3.3").guidance == (
        "Review mechanisms in the development plan prepared and implemented in ACs 2.4 and 2.5 can be used to review "
        "progress towards personal and professional objectives.\n"
        "In this criterion the learner is required to provide evidence that progress against the development plan "
        "has been reviewed and the outcome of that review.")
    assert u.criterion("3.4").guidance.startswith("The personal professional development plan being implemented")
    assert u.criterion("3.2").guidance.endswith("is effective in improving performance.")
    assert unit(doc, "313").criterion("1.1").guidance.startswith("Equality is a quality of being the same")
    assert unit(doc, "313").criterion("2.3").guidance.endswith(
        "has:\nExplained, using one specific situation in the workplace, how particular behaviours have been adopted "
        "to support each of the three areas of equality, diversity and inclusion.")
    assert unit(doc, "314").criterion("3.2").guidance.endswith(
        "should be SMART.\nIn this criterion the learner is required to provide evidence of having correctly and "
        "appropriately communicated individual and team objectives, responsibilities and priorities.")
    assert unit(doc, "315").criterion("2.7").guidance.startswith("‘Adhered’ means followed closely")
    others = [(u.number, c.ref) for u in doc.units if u.number not in ("308", "313", "314", "315")
              for c in u.criteria if c.guidance]
    assert others == []


# --- guidance, range, notes ----------------------------------------------------------------------

def test_guidance_text(doc):
    g = unit(doc, "206").outcomes[0].guidance
    assert g.startswith("The tone of voice, choice of expression and body language used when dealing with customers "
                        "can show:\n• confidence or lack of it\n• anger or aggression")
    assert "• handling a basic customer enquiry where it needs to be clear, easily understood and  puts customers at ease" in g
    assert unit(doc, "220").outcomes[1].guidance.startswith("Signs that show when a customer is having difficulty")
    assert unit(doc, "310").outcomes[0].guidance.startswith("The roles and responsibilities will vary")
    assert "Note: these need not be put in place only identified." in unit(doc, "310").outcomes[2].guidance
    assert unit(doc, "225").outcomes[0].guidance.endswith("Presentation:\nChallenging people:")
    assert unit(doc, "228").outcomes[0].guidance is None


def test_range(doc):
    with_range = [(u.number, o.number) for u in doc.units for o in u.outcomes if o.range]
    assert with_range == [("218", "2"), ("222", "1"), ("306/696", "1"), ("306/696", "2"), ("306/696", "3"),
                          ("307/697", "1"), ("307/697", "2"), ("307/697", "3"), ("307/697", "4"), ("307/697", "5")]
    assert unit(doc, "222").outcomes[0].range == ("Range of post-transaction activities:\neg\n• warranties\n"
                                                  "• guarantees\n• help desks\n• follow up calls")
    assert unit(doc, "218").outcomes[1].range.startswith("Range of sources:\neg\n• customers")
    assert unit(doc, "306").outcomes[0].range.startswith("Customer experience:")
    assert unit(doc, "306").outcomes[0].guidance is None
    assert unit(doc, "307").outcomes[4].range == ("Principles:\n• The 4 Ps/7 Ps\nProcess:\n• 7 step sales process\n"
                                                  "Market research:\n• qualitative\n• quantitative.")


def test_unit_notes(doc):
    assert ("Note: this unit is about delivering customer service to challenging customers. It is not about delivering "
            "customer service in normal situations.  The candidate will require to be observed dealing with at least "
            "three challenging customers. Witness testimonies can be added if necessary.") in unit(doc, "216").notes
    assert unit(doc, "222").notes == [
        "Note: this unit is about providing post-transaction customer service. It is not about delivering customer "
        "service in normal situations but is about after purchase or after service usage.  The candidate will require "
        "to be observed providing post-transaction customer service with at least three customers over time. Witness "
        "testimonies can be added if necessary."]
    assert any(n.startswith("Note: The candidate must be observed at least on one occasion") for n in unit(doc, "304").notes)
    assert "any report at this level would need to be in excess of 500 words" in unit(doc, "303").notes[-1]
    assert "short answer question assignments provided by City & Guilds" in unit(doc, "228").notes[-1]
    assert unit(doc, "305").notes[-1].startswith("Additional Guidance if delivered as Portfolio based\n")
    assert unit(doc, "305").notes[-1].endswith("Any necessary additional coverage could be generated through "
                                               "professional discussion.")
    # Notes between outcomes belong to that outcome (217 LO1), the rest to the unit.
    lo1 = unit(doc, "217").outcomes[0]
    assert lo1.notes[0].startswith("*Internal/organisational documentation need not be held")
    assert lo1.notes[1].startswith("Note: while the candidate can provide a copy of the organisational policies")
    assert all(not o.notes for u in doc.units for o in u.outcomes if not (u.number == "217" and o.number == "1"))
    assert all(not n.startswith(("Learning outcome", "Unit ")) for u in doc.units for n in u.notes)


def test_cross_references(doc):
    assert "covered in unit 207" in unit(doc, "206").notes[0]
    assert "covered in unit 206" in unit(doc, "207").notes[0]
    assert "covered in unit 323" in unit(doc, "311").notes[0]
    assert "covered in unit 311" in unit(doc, "323").notes[0]


# --- evidence lists ------------------------------------------------------------------------------

def test_evidence_items_clean_and_joined(doc):
    e = unit(doc, "206").outcomes[1].evidence
    assert e == ["observation", "witness testimony", "professional discussion", "reflective account", "questioning",
                 "organisational policies and , legal and ethical requirements"]  # sic
    assert unit(doc, "213").outcomes[0].evidence[-1] == \
        "organisational standards of presentation, behaviour and communication"
    assert unit(doc, "216").outcomes[1].evidence[-1] == \
        "legal and ethical requirements and organisational policies and procedures"
    assert unit(doc, "217").outcomes[1].evidence[-1] == "legislation, organisational policies and procedures"
    assert unit(doc, "304").outcomes[0].evidence_line == 4998  # "Evidence for this element may be supplied by:"
    assert unit(doc, "303").outcomes[1].evidence == ["report", "product", "professional discussion", "questioning"]
    assert unit(doc, "224").outcomes[1].evidence[-1] == "organisational policies and procedures"
    for u, o in lists(doc):
        assert all(i and not i.endswith(("*", ".", " ")) for i in o.evidence), (u.number, o.number)
        assert len({norm(i) for i in o.evidence}) == len(o.evidence)  # no item repeats within a list


def test_units_without_evidence_lists(doc):
    none = [u.number for u in doc.units if all(o.evidence_line is None for o in u.outcomes)]
    assert none == ["222", "228", "305/695", "306/696", "307/697", "308", "313", "314", "315"]
    assert sum(1 for u in doc.units if u.number not in none) == 36


# Source notes 002 §4: lists containing each item (trailing */. removed, case and spaces normalised).
ITEM_COUNTS = {
    "professional discussion": 93, "questioning": 93, "reflective account": 79, "case study/reflective account": 1,
    "witness testimony": 61, "expert witness testimony": 3, "observation": 55,
    "organisational policies and procedures": 36, "product": 23, "customer records": 19, "customer data/records": 2,
    "data records": 1, "service offer": 16, "legislative and regulatory requirements": 16,
    "organisational documentation": 16, "documentation": 11, "internal documentation": 3, "report": 9,
    "customer feedback": 8, "feedback": 3, "legislation, organisational policies and procedures": 5,
    "knowledge base content": 5, "marketing materials": 3, "manuals": 3, "frequently asked questions": 3,
    "social media strategy": 3, "instruction manual": 2, "implementation plans": 2,
    "data collection and analysis plan": 2, "refund policy": 2, "monitoring techniques": 2,
    "customer service award programme": 2, "organisational ethical policies": 2,
    "organisational processes and procedures": 2, "diary entries": 1, "problem logs": 1, "organisation chart": 1,
    "customer journey ‘map’": 1, "business case": 1, "sampling frame": 1, "appraisal": 1,
    "report on gathering, analysing and interpreting customer feedback": 4,
    "report on championing customer service": 3,
}


def test_evidence_item_counts(doc):
    counts = Counter(i for _, o in lists(doc) for i in {norm(x) for x in o.evidence})
    assert {k: counts[k] for k in ITEM_COUNTS} == ITEM_COUNTS
    reports_on = {k: n for k, n in counts.items() if k.startswith("report on ")}
    assert sum(reports_on.values()) == 29 and len(reports_on) == 11


def has(o, key: str) -> bool:
    return any(canonical_evidence(i) == key for i in o.evidence)


def test_professional_discussion_pattern(doc):
    knowledge = [(u, o) for u, o in lists(doc) if o.kind == "knowledge"]
    competence = [(u, o) for u, o in lists(doc) if o.kind == "competence"]
    assert (len(knowledge), len(competence)) == (37, 63)
    assert not any(has(o, "observation") for _, o in knowledge)  # no "understand" LO lists observation
    filled = [o for _, o in knowledge if o.evidence]
    assert len(filled) == 36
    assert all(has(o, "professional_discussion") and has(o, "questioning") for o in filled)
    trio = [o for o in filled if has(o, "reflective_account")]
    assert len(trio) == 29 and all(has(o, "report") for o in filled if o not in trio)
    no_obs = [(u.number, o.number) for u, o in competence if not has(o, "observation")]
    assert no_obs == [("302", "2"), ("303", "2"), ("303", "3"), ("309", "3"), ("316", "2"), ("316", "3"),
                      ("317", "2"), ("318", "3")]
    no_pd = [(u.number, o.number) for u, o in competence if not has(o, "professional_discussion")]
    assert no_pd == [("207", "2"), ("207", "3"), ("225", "2"), ("226", "3"), ("231", "2"), ("231", "3")]
    assert all(o.evidence == ["product", "expert witness testimony"] for o in unit(doc, "322").outcomes)


@pytest.mark.parametrize("item,key", [
    ("observation", "observation"), ("witness testimony.", "witness_testimony"),
    ("expert witness testimony", "expert_witness"), ("Professional Discussion*", "professional_discussion"),
    ("reflective account", "reflective_account"), ("case study/reflective account", "reflective_account"),
    ("questioning.", "questioning"), ("product", "product"), ("report", "report"),
    ("report on championing customer service", "report"), ("customer data/records.*", "product"),
    ("organisational policies and procedures**.", "product"), ("frequently asked questions*", "product"),
    ("evidence of questions asked", "product"), ("customer journey ‘map’.", "product"),
    ("presentation or other mode of communication", "product"), ("interpretive dance", "other"),
])
def test_canonical_evidence(item, key):
    assert canonical_evidence(item) == key


def test_every_item_has_a_canonical_type(doc):
    assert [i for _, o in lists(doc) for i in o.evidence if canonical_evidence(i) == "other"] == []


def test_evidence_types(doc):
    types = {t.key: t for t in doc.evidence_types}
    assert list(types) == ["observation", "witness_testimony", "expert_witness", "professional_discussion",
                           "reflective_account", "questioning", "product", "report"]
    assert all(t.description is None for t in doc.evidence_types)  # the text never describes them
    assert {k: (t.name, t.citation.line) for k, t in types.items()} == {
        "observation": ("observation", 282), "witness_testimony": ("witness testimony", 284),
        "expert_witness": ("expert witness testimony", 10268),
        "professional_discussion": ("professional discussion", 157), "reflective_account": ("reflective account", 159),
        "questioning": ("questioning", 161), "product": ("product", 3655), "report": ("report", 2853)}
    assert all(t.citation.source == "cg-pool" for t in doc.evidence_types)


# --- facts ---------------------------------------------------------------------------------------

def facts(doc, topic, number=None):
    ref = unit(doc, number).ref if number else None
    return [f for f in doc.facts if f.topic == topic and (ref is None or f.units == [ref])]


def test_facts_are_cited_and_in_vocabulary(doc):
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    squash = lambda s: re.sub(r"\s+", " ", s).strip()
    assert doc.facts
    for f in doc.facts:
        assert f.topic in TOPICS
        c = f.citation
        assert c.source == "cg-pool" and 1 <= c.line <= (c.end_line or c.line) <= 12116
        assert len(f.units) == 1 and f.units[0] in {u.ref for u in doc.units}
        assert c.section.split(",")[0] == f"Unit {next(u.number for u in doc.units if u.ref == f.units[0])}"
        cited = squash(" ".join(lines[c.line - 1:c.end_line or c.line]))
        body = squash(re.sub(r"^Assessment requirements: ", "", f.text).replace("• ", ""))
        assert body in cited, (c, f.text[:60])  # the fact is the cited text, whitespace aside


def test_professional_discussion_facts(doc):
    portfolio = {(f.units[0], f.citation.line, f.citation.end_line) for f in facts(doc, "professional_discussion")
                 if f.text == "Any necessary additional coverage could be generated through professional discussion."}
    assert portfolio == {("Y/506/2152", 5597, 5598), ("J/506/2910", 5947, 5948), ("D/506/1942", 6324, 6325)}
    footnotes = [f for f in facts(doc, "professional_discussion") if "be able to discuss them" in f.text]
    assert len(footnotes) == 12
    assert footnotes[0].citation.line == 306 and footnotes[0].units == ["D/506/2119"]
    assert len(facts(doc, "professional_discussion")) == 15


def test_observation_and_witness_facts(doc):
    assert any("at least three challenging customers" in f.text for f in facts(doc, "observation", "216"))
    assert any("at least three customers over time" in f.text for f in facts(doc, "observation", "222"))
    assert any("must be observed at least on one occasion" in f.text for f in facts(doc, "observation", "304"))
    assert facts(doc, "observation", "206")[0].citation.line == 299
    assert [f.text for f in facts(doc, "observation", "231")] == [unit(doc, "231").aim]
    observed = {u.number for u in doc.units if facts(doc, "observation", u.number)}
    assert {"206", "207", "210", "212", "213", "216", "217", "218", "219", "220", "221", "222", "304", "311",
            "323"} <= observed
    assert any("witness testimonies and other forms of evidence can be used" in f.text
               for f in facts(doc, "witness_testimony", "311"))
    assert any("witness testimonies can be used" in f.text for f in facts(doc, "witness_testimony", "323"))
    assert facts(doc, "witness_testimony", "309")  # report "(including witness testimonies)"


def test_expert_witness_and_assessment_method_facts(doc):
    ew = facts(doc, "expert_witness")
    assert [f.citation.line for f in ew] == [10264, 10294, 10330] and {f.units[0] for f in ew} == {"J/502/4397"}
    assert "expert witness testimony" in ew[0].text
    methods = [f.text for f in facts(doc, "assessment_method")]
    assert "Assessment type: E-volve or portfolio of evidence" in methods
    assert any(t.startswith("Assessment type: Short Answer Questions (C&G)") for t in methods)
    assert any(t.startswith("5528-227 Employee rights and responsibilities must be assessed") for t in methods)
    assert any("minimum of 3000 words to a maximum of 5000 words" in t for t in facts_text(doc, "assessment_method", "307"))
    assert any("in excess of 500 words" in t for t in facts_text(doc, "assessment_method", "303"))
    assert not [f for f in doc.facts if f.topic in ("simulation", "expert_witness") and f.units != ["J/502/4397"]]


def facts_text(doc, topic, number):
    return [f.text for f in facts(doc, topic, number)]


# --- lookups (source notes 002 §1 and §6) --------------------------------------------------------

def test_lookups(doc):
    assert unit(doc, "305") is unit(doc, "695") is unit(doc, "305/695")
    assert unit(doc, "696").ref == "J/506/2910" and unit(doc, "697").title == "Principles of business"
    assert unit_by_number(doc.units, "229") is None and unit_by_number(doc.units, "69") is None
    by_ref = {u.ref: u for u in doc.units}
    assert by_ref["K/506/2978"].number == "222"
    assert unit(doc, "228").outcome_of("1.6").number == "1"
    assert unit(doc, "228").criterion("2.5") is None
    assert unit(doc, "321").glh == 8 and unit(doc, "321").credits == 4


# --- damaged copies ------------------------------------------------------------------------------

def copy_with(tmp_path: Path, edit) -> Path:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    target = tmp_path / SOURCE.name
    target.write_text(edit(lines), encoding="utf-8")
    return target


def assert_rejected(path: Path, line: int | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse(path)
    err = info.value
    assert err.file == "cg_unit_pool.txt" and err.line >= 1 and err.reason
    if line is not None:
        assert err.line == line, err
    return err


@pytest.mark.parametrize("keep", [0, 1, 5, 40, 3000, 4090, 5600, 6650, 9000, 11000, 12103, 12110, 12115])
def test_truncated_copy_is_rejected(tmp_path, keep):
    path = copy_with(tmp_path, lambda lines: "\n".join(lines[:keep]) + "\n")
    assert_rejected(path)


def test_cut_mid_line_is_rejected(tmp_path):
    path = tmp_path / SOURCE.name
    path.write_bytes(SOURCE.read_bytes()[:200_000])
    assert_rejected(path)


def test_missing_uan_is_rejected(tmp_path):
    path = copy_with(tmp_path, lambda lines: "\n".join(lines[:6] + lines[7:]))
    assert "UAN" in assert_rejected(path).reason


def test_missing_ac_is_rejected(tmp_path):
    def drop(lines):  # delete AC 2.3 of unit 206 (L182-183): 2.4 then follows 2.2
        return "\n".join(lines[:181] + ["", ""] + lines[183:])
    err = assert_rejected(copy_with(tmp_path, drop), 185)
    assert "expected AC 2.3" in err.reason


def test_missing_evidence_heading_is_rejected(tmp_path):
    def drop(lines):  # unit 207 LO1's list heading (L429) becomes blank
        return "\n".join(lines[:428] + [""] + lines[429:])
    assert_rejected(copy_with(tmp_path, drop))


def test_garbled_heading_is_rejected(tmp_path):
    def garble(lines):
        return "\n".join(lines[:49] + ["The learner might:"] + lines[50:])
    assert_rejected(copy_with(tmp_path, garble), 50)


def test_invalid_utf8_and_control_characters_are_rejected(tmp_path):
    data = SOURCE.read_bytes()
    path = tmp_path / SOURCE.name
    at = data.index("customer’s premises".encode())
    path.write_bytes(data[:at] + b"\xff" + data[at + 1:])
    assert_rejected(path, 1080)  # "your customer’s premises" in 213's NOS
    path.write_bytes(data.replace(b"UAN: T/506/2126", b"UAN:\tT/506/2126"))
    assert_rejected(path, 330)


def test_parsing_is_deterministic(doc, tmp_path):
    again = parse(shutil.copy(SOURCE, tmp_path / SOURCE.name))
    assert again == doc
    assert parse(SOURCE) == doc
