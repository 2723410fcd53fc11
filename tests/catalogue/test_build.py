"""Building the catalogue: merge by reference, differences between sources, failure, caching."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest

import catalogue
from catalogue.build import EXPECTED_COUNTS, Catalogue, build, describe_difference, unit_differences
from catalogue.errors import SourceError
from catalogue.model import Criterion, Outcome, SourceDocument, Unit, UnitSpec
from catalogue.parsers import SOURCES, SOURCES_DIR
from catalogue.text import fold, minor_kinds, words
from tests.catalogue.conftest import notes_rows


def spec(source, ref="A/000/0001", title="Do a thing", level=2, credits=3, glh=10, criteria=()):
    outcome = Outcome("1", "Understand things", "knowledge",
                      [Criterion(r, t, "ac", 1) for r, t in criteria])
    return UnitSpec(source, ref, None, title, level, credits, glh, 1, outcomes=[outcome] if criteria else [])


# --- text --------------------------------------------------------------------------------------


def test_minor_kinds():
    assert minor_kinds("Bespoke Software", "Bespoke  software") == ["case"]
    assert minor_kinds("customers’ premises", "customers' premises") == ["quotes"]
    assert minor_kinds("explain why “x” is used", "Explain why ‘x’ is used") == ["case", "quotes"]
    assert minor_kinds("post transaction", "post-transaction") == ["hyphenation"]
    assert minor_kinds("explain it.", "Explain it") == ["case", "trailing punctuation"]
    assert minor_kinds("a\n b", "a b") == []
    assert minor_kinds("customers' premises", "customer's premises") is None  # where the apostrophe is matters
    assert minor_kinds("organisational need", "organisational needs") is None


def test_fold_and_words():
    assert fold("Resolve Customers’ Complaints¹") == "resolve customers' complaints"
    assert words("Resolve customers’ complaints – now") == "resolve customers complaints now"


# --- merging and differences on small documents --------------------------------------------------


def test_merge_keeps_every_sources_view_and_reports_differences():
    a = spec("s1", title="Bespoke Software", glh=24, criteria=[("1.1", "Explain it"), ("1.2", "State it")])
    b = spec("s2", title="Bespoke software", glh=22, criteria=[("1.1", "explain it."), ("1.2", "State that")])
    c = spec("s3", ref="B/000/0002")
    docs = {s: SourceDocument(s, s.upper(), f"{s}.txt", None, units) for s, units in
            (("s1", [a]), ("s2", [b, c]))}
    cat = Catalogue(docs)
    unit = cat.unit("A/000/0001")
    assert set(unit.specs) == {"s1", "s2"} and unit.spec("s2") is b
    diffs = {(d.field, d.item): d for d in cat.differences}
    assert set(diffs) == {("title", None), ("glh", None), ("criterion_text", "1.1"), ("criterion_text", "1.2")}
    assert diffs[("title", None)].minor and diffs[("title", None)].note == "case only"
    assert diffs[("glh", None)].values == {"s1": 24, "s2": 22} and not diffs[("glh", None)].minor
    assert diffs[("criterion_text", "1.1")].note == "case, trailing punctuation only"
    assert not diffs[("criterion_text", "1.2")].minor
    assert cat.differences_for("B/000/0002") == [] and len(cat.differences_for("A/000/0001")) == 4
    assert "A/000/0001 glh: s1: 24 | s2: 22" == describe_difference(diffs[("glh", None)])


def test_not_stated_is_not_a_difference():
    u = Unit("A/000/0001", {"s1": spec("s1", glh=None), "s2": spec("s2", glh=12)})
    assert list(unit_differences(u)) == []


def test_a_unit_twice_in_one_source_is_an_error():
    doc = SourceDocument("s1", "S1", "s1.txt", None, [spec("s1"), spec("s1")])
    with pytest.raises(ValueError, match="appears twice"):
        Catalogue({"s1": doc})


# --- the real catalogue ------------------------------------------------------------------------------


def test_counts_match_what_the_texts_state(real_cat):
    assert real_cat.counts() == EXPECTED_COUNTS


def test_units_merge_across_sources(real_cat):
    cat = real_cat
    assert len(cat.units) == len({r["ref"] for r in notes_rows()}) == 93
    assert set(cat.unit("K/506/2155").specs) == {"sfj-l2", "ncfe-l1"}
    assert cat.spec("K/506/2155", "ncfe-l1").number == "10"
    assert set(cat.unit("D/506/2119").specs) == {"sfj-l2", "habc-l3", "cg-pool"}
    assert cat.spec("Y/506/2152", "cg-pool").number == "305/695"
    assert cat.spec("K/506/2155", "habc-l3") is None and cat.unit("nope") is None


def test_level_credits_glh_agree_with_the_notes_tables(real_cat):
    """An independent cross-check of the parsers: every (source, unit) against the notes' tables."""
    for row in notes_rows():
        s = real_cat.spec(row["ref"], row["source"])
        assert s is not None, row
        got = (s.level, s.credits, s.glh, len(s.outcomes), len(s.criteria))
        want = (int(row["level"]), int(row["credits"]), int(row["glh"]) if row["glh"] else None,
                int(row["outcomes"]), int(row["criteria"]))
        assert got == want, (row["source"], row["ref"])


def test_real_differences(real_cat):
    cat = real_cat
    values = {(d.unit, d.field): d.values for d in cat.differences if d.field in ("level", "credits", "glh")}
    assert values == {
        ("D/506/2170", "glh"): {"sfj-l2": 24, "habc-l3": 24, "cg-pool": 22},
        ("L/506/2181", "credits"): {"habc-l3": 4, "cg-pool": 6},
        ("L/506/2181", "glh"): {"habc-l3": 15, "cg-pool": 25},
    }
    titles = {d.unit: d for d in cat.differences if d.field == "title"}
    assert not titles["T/506/2143"].minor  # customers' vs customer's premises
    assert titles["J/502/4397"].minor and titles["J/502/4397"].note == "case only"
    assert titles["R/506/2151"].minor and titles["R/506/2151"].note == "quotes only"
    crit = {(d.unit, d.item): d for d in cat.differences if d.field == "criterion_text"}
    d = crit[("F/506/2159", "2.5")]  # "organisational need" (SFJ) vs "needs"
    assert not d.minor and d.values["sfj-l2"].endswith("organisational need")
    assert crit[("D/506/2119", "1.3")].minor  # quote style and case only
    assert not [d for d in cat.differences if d.field in ("outcomes", "criteria")]  # counts agree everywhere
    assert all(len(d.values) >= 2 for d in cat.differences)


def test_catalogue_api(real_cat):
    cat = real_cat
    assert [d.id for d in cat.qualifications()] == ["sfj-l2", "habc-l3", "ncfe-l1", "svq4"]
    assert cat.source("svq4").qualification.rules.total_units == 8
    with pytest.raises(KeyError, match="unknown source 'nope'"):
        cat.source("nope")
    assert [u.ref for u in cat.units_in("ncfe-l1")][:2] == ["L/506/2083", "Y/506/2085"]
    assert cat.group_of("sfj-l2", "K/503/0421").id == "D" and cat.group_of("habc-l3", "K/503/0421") is None
    assert cat.group_of("svq4", "CFACSC8").id == "D"
    sim = cat.facts(topic="simulation")
    assert sim and {f.topic for f in sim} == {"simulation"}
    assert Counter(f.citation.source for f in cat.facts("ncfe-l1")) == Counter({"ncfe-l1": len(cat.facts("ncfe-l1"))})


def test_build_time_and_cache():
    catalogue.clear_cache()
    first = catalogue.load_catalogue()
    assert catalogue.load_catalogue() is first
    catalogue.clear_cache()
    assert catalogue.load_catalogue() is not first


def test_a_broken_source_stops_the_build(tmp_path):
    for file, _ in SOURCES.values():
        shutil.copy(SOURCES_DIR / file, tmp_path / file)
    path = tmp_path / SOURCES["svq4"][0]
    lines = path.read_text(encoding="utf-8").split("\n")
    cut = next(i for i, l in enumerate(lines) if l.startswith("Unit 19"))
    path.write_text("\n".join(lines[:cut + 30]), encoding="utf-8")  # truncated mid-unit
    with pytest.raises(SourceError) as err:
        build(tmp_path)
    assert err.value.file.endswith("pearson_svq4.txt") and err.value.line > 0 and err.value.reason


def test_a_deleted_criterion_line_fails_with_file_and_line(tmp_path):
    """Parses cleanly but loses a criterion: parse_source checks every unit's counts, so the build
    stops with file, line and reason instead of returning a catalogue with a silently wrong count."""
    import shutil

    from catalogue.errors import SourceError
    from catalogue.parsers import SOURCES_DIR, parse_source

    shutil.copy(SOURCES_DIR / "pearson_svq4.txt", tmp_path / "pearson_svq4.txt")
    lines = (tmp_path / "pearson_svq4.txt").read_text("utf-8").split("\n")
    del lines[1313]  # line 1314: one performance criterion (fuzz seed svq4:1000047)
    (tmp_path / "pearson_svq4.txt").write_text("\n".join(lines), "utf-8")
    with pytest.raises(SourceError) as err:  # a damaged text must not parse into a catalogue
        parse_source("svq4", tmp_path)
    assert err.value.file.endswith("pearson_svq4.txt") and err.value.line > 0
    assert "the text looks damaged" in err.value.reason or "missing" in err.value.reason
