"""Fuzzy lookup against the real catalogue."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from catalogue.lookup import (extract_unit_refs, find_criterion, find_evidence_type, find_qualification, find_term,
                              find_unit, parse_criterion_ref)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cat(real_cat):
    return real_cat


def load_loose_refs() -> list[tuple[str, str, str]]:
    with open(DATA / "loose_unit_refs.tsv", encoding="utf-8") as f:
        rows = list(csv.reader((l for l in f if not l.startswith("#")), delimiter="\t"))
    return [tuple(r) for r in rows[1:]]


def test_loose_reference_top1_accuracy(cat):
    rows = load_loose_refs()
    assert len(rows) >= 100
    misses = []
    for query, source, expected in rows:
        best = find_unit(cat, query, source or None).best
        if best is None or best.ref != expected:
            misses.append((query, source, expected, best and best.ref))
    accuracy = 1 - len(misses) / len(rows)
    print(f"\nloose unit references: top-1 accuracy {accuracy:.3f} ({len(rows) - len(misses)}/{len(rows)})")
    assert accuracy >= 0.95, misses


def test_every_expected_ref_in_the_held_out_list_exists(cat):
    for _, source, expected in load_loose_refs():
        assert cat.unit(expected) is not None
        if source:
            assert cat.spec(expected, source) is not None, (source, expected)


@pytest.mark.parametrize("query", ["k5062155", "K/506/2115", "k/506/2155", "K 506 2155", "unit K/506/2155", "5062155",
                                   "k/506/2l55"])
def test_urn_forms_and_typos(cat, query):
    result = find_unit(cat, query)
    assert result.best is not None and result.best.ref == "K/506/2155" and result.best.how == "ref"


def test_exact_urn_is_found_even_outside_the_given_qualification(cat):
    result = find_unit(cat, "K/506/2155", source="habc-l3")
    assert result.best.ref == "K/506/2155" and result.best.score == 100.0


def test_ambiguous_urn_typo_offers_both(cat):
    result = find_unit(cat, "A/506/213")  # A/506/2130 or A/506/2113, one edit each
    assert result.ambiguous and result.best is None
    assert {m.ref for m in result.candidates} == {"A/506/2130", "A/506/2113"}


@pytest.mark.parametrize("query,source,expected,number", [
    ("206", "cg-pool", "D/506/2119", "206"),
    ("206", None, "D/506/2119", "206"),
    ("695", None, "Y/506/2152", "305/695"),
    ("unit 09", "ncfe-l1", "H/506/2154", "09"),
    ("unit 9", "ncfe-l1", "H/506/2154", "09"),
    ("unit 10", "svq4", "CFACSC8", "10"),
    ("unit 4", "habc-l3", "K/506/2169", "4"),
    ("the unit 206", None, "D/506/2119", "206"),
])
def test_unit_numbers(cat, query, source, expected, number):
    best = find_unit(cat, query, source).best
    assert best is not None and (best.ref, best.how, best.number) == (expected, "number", number)


def test_another_sources_number_counts_when_the_unit_is_in_the_qualification(cat):
    best = find_unit(cat, "206", source="habc-l3").best  # C&G 206 = D/506/2119, HABC unit 12
    assert (best.ref, best.source, best.score) == ("D/506/2119", "cg-pool", 90.0)
    assert find_unit(cat, "206", source="svq4").results == []


def test_unit_number_without_qualification_is_ambiguous(cat):
    result = find_unit(cat, "unit 10")
    assert result.ambiguous and result.best is None
    assert {(m.ref, m.source) for m in result.candidates} == {
        ("K/506/2155", "ncfe-l1"), ("CFACSC8", "svq4"), ("D/506/2170", "habc-l3")}


@pytest.mark.parametrize("query,expected", [
    ("difficult customers", "F/506/2159"),  # a synonym
    ("the complaints unit", "R/506/2151"),  # filler words; the only complaints unit in the SFJ
    ("telephone calls incoming", "H/506/2154"),
])
def test_titles_within_a_qualification(cat, query, expected):
    result = find_unit(cat, query, "sfj-l2")
    assert result.best is not None and result.best.ref == expected, result.results[:3]


@pytest.mark.parametrize("query,expected", [
    ("resolve customer complants", "R/506/2151"),
    ("buddie a colleage", "M/506/1895"),
    ("Exceed customer expectations", "Y/506/2135"),
    ("resolve customers' complaints", "R/506/2151"),
    ("resolve customers’ problems", "K/506/2169"),
    ("ERR", "L/506/1905"),
    ("customer service management", "CFACSF5"),  # a phrase inside one title only
])
def test_titles_and_misspellings(cat, query, expected):
    result = find_unit(cat, query)
    assert result.best is not None and result.best.ref == expected, result.results[:3]


@pytest.mark.parametrize("query,refs", [
    ("resolve customers", {"R/506/2151", "K/506/2169"}),
    ("resolve customer issues", {"R/506/2151", "K/506/2169"}),
    ("resolve customers complaints problems", {"R/506/2151", "K/506/2169"}),
    ("telephone calls", {"H/506/2154", "K/506/2155"}),
    ("complaints", {"R/506/2151", "CFACSC8"}),
    ("champion customer service", {"D/506/2153", "CFACSA17"}),  # same title, HABC/C&G and SVQ
    ("bespoke software", {"F/502/4396", "J/502/4397"}),
    ("objections and closing", {"M/502/8606", "F/502/8612"}),
])
def test_queries_close_to_several_units_are_ambiguous(cat, query, refs):
    result = find_unit(cat, query)
    assert result.ambiguous and result.best is None
    assert refs <= {m.ref for m in result.candidates}


def test_source_disambiguates_a_shared_title(cat):
    assert find_unit(cat, "champion customer service", "svq4").best.ref == "CFACSA17"
    assert find_unit(cat, "champion customer service", "habc-l3").best.ref == "D/506/2153"


def test_title_outside_the_qualification_is_still_found(cat):
    best = find_unit(cat, "deal with incoming calls", source="habc-l3").best
    assert best.ref == "H/506/2154" and cat.spec("H/506/2154", "habc-l3") is None


@pytest.mark.parametrize("query", ["", "   ", "xyzzy", "1234", "unit 999", "K/999/9999x", "???", None])
def test_nonsense_gives_no_match_without_raising(cat, query):
    assert find_unit(cat, query).best is None


# --- several units in one message -------------------------------------------------------------


@pytest.mark.parametrize("text,source,expected", [
    ("I've finished 206, 207 and Exceed customer expectations", None, ["D/506/2119", "T/506/2126", "Y/506/2135"]),
    ("I've finished 206, 207 and Exceed customer expectations", "habc-l3", ["D/506/2119", "T/506/2126", "Y/506/2135"]),
    ("done gather, analyse and interpret customer feedback and K/506/2155", None, ["D/506/2170", "K/506/2155"]),
    ("Promote additional products and/or services to customers, deal with incoming calls", None,
     ["L/506/2133", "H/506/2154"]),
    ("hi, i've done buddy a colleague and manage diary systems too", None, ["M/506/1895", "L/506/1807"]),
    ("units 206 and 207 are finished", None, ["D/506/2119", "T/506/2126"]),
    ("I am doing unit 10 of the SVQ and unit 3", None, ["CFACSC8", "CFACSA17"]),
    ("I have completed unit 4 and unit 7", "habc-l3", ["K/506/2169", "Y/506/2166"]),
    ("Finished: 311, 323.", None, ["R/506/2151", "K/506/2169"]),
    ("cfacsb12 and CFACSD21", None, ["CFACSB12", "CFACSD21"]),
])
def test_extract_several_units(cat, text, source, expected):
    found = extract_unit_refs(cat, text, source)
    assert [x.best.ref if x.best else None for x in found] == expected


def test_extract_keeps_ambiguity(cat):
    found = extract_unit_refs(cat, "I have completed unit 4 and unit 7")  # no qualification named
    assert len(found) == 2 and all(x.ambiguous for x in found)
    assert extract_unit_refs(cat, "nothing to report") == []
    assert extract_unit_refs(cat, "") == []


# --- criteria -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,ref", [("2.3", "2.3"), ("AC 2.10", "2.10"), ("2.10", "2.10"), ("ac2.1", "2.1"),
                                      ("PC 5", "PC5"), ("pc5", "PC5"), ("K&U 8", "K&U8"), ("knowledge 8", "K&U8"),
                                      ("k and u 8", "K&U8"), ("criterion 1.1.", "1.1")])
def test_parse_criterion_ref(text, ref):
    assert parse_criterion_ref(text) == (ref, None)


@pytest.mark.parametrize("text", ["5", "2..3", "ac", "", "pc 2.3", "K&U 1.2", "2.3.4", "abc", None])
def test_malformed_criterion_refs_give_a_reason(text):
    ref, error = parse_criterion_ref(text)
    assert ref is None and error


def test_find_criterion(cat):
    hit = find_criterion(cat, "D/506/2119", "AC 2.10")
    assert hit and hit.criterion.ref == "2.10" and hit.criterion.text.startswith("Adhere to organisational policies")
    assert find_criterion(cat, "D/506/2119", "2.10", source="cg-pool").criterion.text.startswith("adhere")
    pc = find_criterion(cat, "CFACSF5", "pc 5")
    assert pc.criterion.kind == "pc" and pc.criterion.text == (
        "carry out risk assessment when dealing with customer service problems")
    assert find_criterion(cat, "CFACSF5", "knowledge 8").criterion.kind == "ku"
    miss = find_criterion(cat, "D/506/2119", "3.1")
    assert not miss and miss.error == "D/506/2119 has no criterion 3.1 (its criteria run 1.1 to 2.10)"
    assert "ambiguous" in find_criterion(cat, "D/506/2119", "5").error
    assert find_criterion(cat, "X/000/0000", "1.1").error.startswith("no unit")
    assert "is not in" in find_criterion(cat, "D/506/2119", "1.1", source="svq4").error


# --- qualifications, evidence, glossary -------------------------------------------------------------


@pytest.mark.parametrize("query,source", [
    ("level 2 diploma", "sfj-l2"), ("the SVQ", "svq4"), ("NCFE level 1", "ncfe-l1"),
    ("highfield level 3", "habc-l3"), ("SFJ", "sfj-l2"), ("higfield", "habc-l3"), ("601/4310/1", "sfj-l2"),
    ("svq 4", "svq4"), ("level 3", "habc-l3"), ("HABC diploma", "habc-l3"), ("level 1 certificate", "ncfe-l1"),
])
def test_qualification_loose_names(cat, query, source):
    found = find_qualification(cat, query)
    assert found.best is not None and found.best.source == source


def test_qualification_ambiguous_or_unknown(cat):
    diploma = find_qualification(cat, "diploma")
    assert diploma.ambiguous and {m.source for m in diploma.results[:2]} == {"sfj-l2", "habc-l3"}
    assert find_qualification(cat, "customer service").best is None
    assert find_qualification(cat, "").best is None
    assert find_qualification(cat, "city and guilds").best is None  # a unit pool, not a qualification
    assert find_qualification(cat, "city and guilds", include_pool=True).best.source == "cg-pool"


@pytest.mark.parametrize("query,key", [
    ("PD", "professional_discussion"), ("prof discussion", "professional_discussion"),
    ("professional discusion", "professional_discussion"), ("expert witness", "expert_witness"),
    ("witness statement", "witness_testimony"), ("reflective log", "reflective_account"), ("obs", "observation"),
    ("Q&A", "questioning"), ("observaton", "observation"),
])
def test_evidence_synonyms(cat, query, key):
    found = find_evidence_type(cat, query)
    assert found.key == key and found.entries and all(e.key == key for e in found.entries)


def test_evidence_per_source_and_unknown(cat):
    pd = find_evidence_type(cat, "PD", source="habc-l3")
    assert [e.name for e in pd.entries] == ["D – Discussion"] and pd.entries[0].citation.source == "habc-l3"
    assert find_evidence_type(cat, "expert witness", source="ncfe-l1").entries == []  # NCFE does not name it
    assert find_evidence_type(cat, "banana").key is None


def test_glossary_verbs(cat):
    assert [g.term for g in find_term(cat, "explain")] == ["Explain"]
    assert [g.term for g in find_term(cat, "give examples")] == ["Give (examples of)"]
    assert [g.term for g in find_term(cat, "expalin")] == ["Explain"]
    assert find_term(cat, "analyse") == [] and find_term(cat, "assess") == []  # used in ACs, never defined


# How learners type a qualification's name (issue 13, pattern 1): bodies' other spellings, levels as words,
# kinds shortened, the number anywhere and however spaced (numbers from the specifications' cover pages).
@pytest.mark.parametrize("query,source", [
    ("HABC level three diploma", "habc-l3"), ("level two diploma", "sfj-l2"), ("the level one certificate", "ncfe-l1"),
    ("L1 cert", "ncfe-l1"), ("lvl2 dip", "sfj-l2"), ("the lvl 3 dip", "habc-l3"), ("high field level 3", "habc-l3"),
    ("601 / 4310 / 1 what is the total credits", "sfj-l2"), ("mandatory units of 601/4027/6?", "habc-l3"),
    ("60140276", "habc-l3"), ("601/3972/9 glh", "ncfe-l1"), ("svq four", "svq4"), ("scqf level eight", "svq4"),
    ("habc: Manage personal and professional development", "habc-l3"),  # "personal" is no typo of "pearson"
])
def test_qualification_as_people_type_it(cat, query, source):
    found = find_qualification(cat, query)
    assert found.best is not None and found.best.source == source and found.best.score >= 60


@pytest.mark.parametrize("query", ["city&guilds 206", "cityandguilds unit 210", "C and G unit 302", "c & g 304",
                                   "City and Guild 305"])
def test_city_and_guilds_spellings_name_the_unit_pool(cat, query):
    found = find_qualification(cat, query, include_pool=True)
    assert found.best is not None and found.best.source == "cg-pool"


def test_real_words_are_not_corrected_into_an_awarding_body(cat):
    assert find_qualification(cat, "can a person from my centre sign it").best is None
