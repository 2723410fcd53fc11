"""Rules of combination: check(), suggest(), remaining().

Every test runs twice: on a catalogue built from the source notes' unit tables (independent
of the parsers) and on the real catalogue. The reference implementations below are written
straight from the rules as the notes state them, using the notes' tables, never catalogue code.
"""
from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from catalogue import rules
from tests.catalogue.conftest import NOTES_RULES, notes_rows

ROWS = defaultdict(dict)  # source -> ref -> (group, credits, level, glh)
for _r in notes_rows():
    ROWS[_r["source"]][_r["ref"]] = (_r["group"], int(_r["credits"]), int(_r["level"]),
                                     int(_r["glh"]) if _r["glh"] else None)
CREDIT_BASED = ["sfj-l2", "habc-l3", "ncfe-l1"]
SVQ = [ref for ref in ROWS["svq4"]]
SFJ_EXAMPLE = ["A/506/2130", "F/506/2131", "J/506/2132", "A/506/1964", "L/506/1788",  # group A
               "D/506/2119", "A/506/2158", "K/506/2978", "H/506/2154", "K/506/2155", "K/503/0421"]


@pytest.fixture(params=["notes", "real"], scope="module")
def cat(request):
    return request.getfixturevalue(f"{request.param}_cat")


# --- independent reference -------------------------------------------------------------------


def ref_valid(sid: str, selection) -> bool:
    """The rules as stated in the notes, applied to the notes' unit table."""
    table = ROWS[sid]
    sel = {r for r in selection if r in table}
    top, groups = NOTES_RULES[sid]
    members = {g: [r for r in sel if table[r][0] == g] for g in groups}
    total = level = 0
    for g, kw in groups.items():
        if kw.get("mandatory") and len(members[g]) != sum(1 for r in table.values() if r[0] == g):
            return False
        credits = sum(table[r][1] for r in members[g])
        counted = min(credits, kw.get("max_credits", credits))
        if counted < kw.get("min_credits", 0) or len(members[g]) < kw.get("min_units", 0):
            return False
        total += counted
        if "level_credits" in top:
            lvl = sum(table[r][1] for r in members[g] if table[r][2] >= top["level_credits"][0])
            level += min(lvl, counted)  # over-maximum credits come off lower-level units first
    if total < top["min_credits"]:
        return False
    if "level_credits" in top and level < top["level_credits"][1]:
        return False
    if "total_units" in top and len(sel) != top["total_units"]:
        return False
    return True


def ref_min_cost(sid: str, selection, key: str) -> int | None:
    """Cheapest extra cost (credits or GLH) to complete a credit-based qualification, by dynamic
    programming over (counted total, counted level credits): independent of the search."""
    table = ROWS[sid]
    sel = {r for r in selection if r in table}
    top, groups = NOTES_RULES[sid]
    T = top["min_credits"]
    L, N = top.get("level_credits", (0, 0))
    cost = lambda r: table[r][1] if key == "credits" else table[r][3]
    states = {(0, 0): 0}
    for g, kw in groups.items():
        units = [r for r, v in table.items() if v[0] == g]
        cap = min(kw.get("max_credits", T), T)
        gs = {(0, 0): 0}
        for r in units:
            forced = r in sel or kw.get("mandatory")
            c = 0 if r in sel else cost(r)
            k, lk = table[r][1], table[r][1] if table[r][2] >= L else 0
            new = {} if forced else dict(gs)
            for (a, b), v in gs.items():
                s = (min(a + k, cap), min(b + lk, cap))
                if v + c < new.get(s, 10**9):
                    new[s] = v + c
            gs = new
        gs = {s: v for s, v in gs.items() if s[0] >= kw.get("min_credits", 0)}
        merged = {}
        for (t, lv), v in states.items():
            for (a, b), w in gs.items():
                s = (min(t + a, T), min(lv + min(a, b), N))
                if v + w < merged.get(s, 10**9):
                    merged[s] = v + w
        states = merged
    return states.get((T, N))


def valid_svq_selections() -> list[frozenset]:
    return [frozenset(c) for n in (8,) for c in itertools.combinations(SVQ, n) if ref_valid("svq4", c)]


# --- check -------------------------------------------------------------------------------------


def test_sfj_example_from_the_notes_is_valid_with_45_credits(cat):
    report = rules.check(cat, "sfj-l2", SFJ_EXAMPLE)
    assert report.valid and report.violations == []
    assert report.credits == 45 and report.shortfall == 0
    by_id = {g.id: g for g in report.groups}
    assert (by_id["A"].counted, by_id["B"].counted, by_id["C"].counted, by_id["D"].counted) == (19, 3, 16, 7)
    assert by_id["D"].max_reached and by_id["D"].over_max == 0


def test_credits_over_a_group_maximum_do_not_count(cat):
    # Swap one C unit (3) for a second D unit (Manage diary systems, 2): D has 9, only 7 count.
    refs = [r for r in SFJ_EXAMPLE if r != "H/506/2154"] + ["L/506/1807"]
    report = rules.check(cat, "sfj-l2", refs)
    d = next(g for g in report.groups if g.id == "D")
    assert (d.credits, d.counted, d.over_max, d.max_reached) == (9, 7, 2, True)
    assert report.credits == 42 and report.shortfall == 3 and not report.valid
    assert any("Group C needs at least 16 credits; 13 so far (3 short)" in v for v in report.violations)
    assert any("2 of its 9 credits do not count" in n for n in report.notes)


def test_habc_level_rule_shortfall(cat):
    mandatory = [r for r, v in ROWS["habc-l3"].items() if v[0] == "M"]
    level2 = ["D/506/2119", "T/506/2126", "L/506/2133", "Y/506/2135", "T/506/2143", "F/506/2159", "Y/506/2149",
              "T/506/2160"]  # 24 credits of level 2 from group A
    report = rules.check(cat, "habc-l3", mandatory + level2)
    assert report.credits == 55 and report.shortfall == 0
    assert (report.level.level, report.level.required, report.level.counted, report.level.shortfall) == (3, 40, 31, 9)
    assert not report.valid
    assert report.violations == ["At least 40 credits must come from units at level 3 or above; 31 so far (9 short)."]


def test_rejected_units_are_reported_with_reasons(cat):
    refs = SFJ_EXAMPLE + ["K/506/2169", "D/506/2119", "X/999/9999", "cfacsf5"]
    report = rules.check(cat, "sfj-l2", refs)
    assert report.valid  # the SFJ units still complete it
    reasons = {r.ref: r.reason for r in report.rejected}
    assert reasons["D/506/2119"].startswith("listed more than once")
    assert reasons["X/999/9999"] == "not a unit in any of the specifications"
    assert reasons["K/506/2169"].startswith("not in this qualification")
    assert cat.sources["habc-l3"].short_name in reasons["K/506/2169"]
    assert cat.sources["cg-pool"].short_name in reasons["K/506/2169"]
    assert cat.sources["svq4"].short_name in reasons["CFACSF5"]


def test_loose_ref_spelling_is_accepted(cat):
    report = rules.check(cat, "sfj-l2", [r.lower().replace("/", "") for r in SFJ_EXAMPLE])
    assert report.valid and not report.rejected


def test_svq_unit_counts_and_too_many_units(cat):
    nine = ["CFACSF5", "CFACSF6", "CFACSA17", "CFACSB12", "CFACSC8", "CFACSD14", "CFACSD15", "CFACSD16", "CFACSD17"]
    report = rules.check(cat, "svq4", nine)
    assert not report.valid and report.units == 9 and report.optional_count == 7
    assert "Exactly 8 units are needed; 9 chosen (1 too many)." in report.violations
    result = rules.remaining(cat, "svq4", nine)
    assert result.possible is False and result.suggestions == []
    eight = nine[:-1]
    report = rules.check(cat, "svq4", eight)
    assert report.valid and report.credits == 78 and report.level.counted == 78


def test_svq_brute_force_every_subset(real_cat):
    """All 2^19 subsets of the SVQ units: exactly 2,010 are valid, and they are the reference's.
    (The real catalogue only: about 15 s.)"""
    cat = real_cat
    units = [u.ref for u in cat.units_in("svq4")]
    assert sorted(units) == sorted(SVQ)
    valid = set()
    for mask in range(1 << len(units)):
        sel = [units[i] for i in range(len(units)) if mask >> i & 1]
        if rules.check(cat, "svq4", sel).valid:
            valid.add(frozenset(sel))
    assert len(valid) == 2010
    assert valid == set(valid_svq_selections())


# --- check vs the reference, properties ---------------------------------------------------------


@st.composite
def selections(draw, sid):
    table = ROWS[sid]
    mandatory = [r for r, v in table.items() if NOTES_RULES[sid][1][v[0]].get("mandatory")]
    optional = [r for r in table if r not in mandatory]
    sel = set(draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional))))
    if draw(st.integers(0, 4)):  # usually all mandatory units
        sel |= set(mandatory)
    else:
        sel |= set(draw(st.lists(st.sampled_from(mandatory), unique=True)))
    return sorted(sel)


@pytest.mark.parametrize("sid", CREDIT_BASED)
def test_check_agrees_with_reference(cat, sid):
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(selections(sid))
    def prop(sel):
        report = rules.check(cat, sid, sel)
        assert report.valid == ref_valid(sid, sel)
        assert report.valid == (not report.violations)
        if report.valid:  # adding units never breaks a credit-based route
            extra = [r for r in ROWS[sid] if r not in sel][:3]
            assert rules.check(cat, sid, sel + extra).valid

    prop()


@pytest.mark.parametrize("sid", CREDIT_BASED)
@pytest.mark.parametrize("key", ["credits", "glh"])
def test_suggestions_complete_minimally_and_optimally(cat, sid, key):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(selections(sid))
    def prop(sel):
        suggestions = rules.suggest(cat, sid, sel, minimise=key, limit=3)
        best = ref_min_cost(sid, sel, key)
        if ref_valid(sid, sel):
            assert suggestions == []
            return
        assert best is not None and suggestions
        costs = [s.credits if key == "credits" else s.glh for s in suggestions]
        assert costs[0] == best and costs == sorted(costs)
        assert len({frozenset(s.units) for s in suggestions}) == len(suggestions)
        for s in suggestions:
            assert not set(s.units) & set(sel)
            assert rules.check(cat, sid, sel + s.units).valid
            for u in s.units:  # minimal: every added unit is needed
                assert not rules.check(cat, sid, sel + [x for x in s.units if x != u]).valid

    prop()


@pytest.mark.parametrize("key", ["credits", "glh"])
def test_ncfe_k_best_against_brute_force(cat, key):
    """NCFE has 13 optional units: every set of additions can be enumerated."""
    table = ROWS["ncfe-l1"]
    mandatory = [r for r, v in table.items() if v[0] == "A"]
    optional = [r for r, v in table.items() if v[0] != "A"]
    for sel in ([], mandatory[:2], mandatory + ["A/506/2094"], mandatory + ["H/506/1795", "F/503/0392"],
                ["A/506/2113", "T/505/4673"]):
        forced = [m for m in mandatory if m not in sel]
        free = [o for o in optional if o not in sel]
        costs = []
        for n in range(len(free) + 1):
            for extra in itertools.combinations(free, n):
                full = sel + forced + list(extra)
                if ref_valid("ncfe-l1", full) and all(not ref_valid("ncfe-l1", [x for x in full if x != e]) for e in extra):
                    costs.append(sum(table[r][1 if key == "credits" else 3] for r in forced + list(extra)))
        got = [s.credits if key == "credits" else s.glh for s in rules.suggest(cat, "ncfe-l1", sel, key, limit=3)]
        assert got == sorted(costs)[:3]


def test_svq_suggestions_are_the_cheapest_valid_supersets(cat):
    valid = valid_svq_selections()
    credits = {r: v[1] for r, v in ROWS["svq4"].items()}
    for sel in ([], ["CFACSD21"], ["CFACSF5", "CFACSA18", "CFACSB13"], ["CFACSD14", "CFACSD15", "CFACSD16"],
                ["CFACSF5", "CFACSF6", "CFACSA17", "CFACSB12", "CFACSC8", "CFACSD14", "CFACSD15"]):
        expected = sorted(sum(credits[r] for r in v - set(sel)) for v in valid if set(sel) <= v)
        got = rules.suggest(cat, "svq4", sel, limit=3)
        assert [s.credits for s in got] == expected[:3]
        for s in got:
            assert frozenset(sel + s.units) in set(valid)


def test_empty_selection_minimal_route_drops_break_it(cat):
    for sid in CREDIT_BASED + ["svq4"]:
        best = rules.suggest(cat, sid, [], limit=1)[0]
        assert rules.check(cat, sid, best.units).valid
        for u in best.units:
            assert not rules.check(cat, sid, [x for x in best.units if x != u]).valid


def test_glh_falls_back_to_credits_for_the_svq(cat):
    result = rules.remaining(cat, "svq4", [], minimise="glh")
    assert result.suggestions and result.suggestions[0].minimised == "credits"
    assert result.suggestions[0].glh is None
    assert "states no GLH" in result.note


def test_remaining_on_complete_and_bad_input(cat):
    done = rules.remaining(cat, "sfj-l2", SFJ_EXAMPLE)
    assert done.report.valid and done.suggestions == [] and done.possible
    with pytest.raises(ValueError, match="no rules of combination"):
        rules.check(cat, "cg-pool", [])
    with pytest.raises(ValueError, match="minimise"):
        rules.suggest(cat, "sfj-l2", [], minimise="time")
