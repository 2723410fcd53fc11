"""Barred combinations (none in the five seeds; an imported qualification may state them)."""
from __future__ import annotations

from catalogue import rules
from catalogue.build import Catalogue
from catalogue.model import Group, Qualification, RuleSet, SourceDocument, UnitSpec


def barred_cat() -> Catalogue:
    units = [UnitSpec(source="q", ref=ref, number=None, title=f"Unit {ref}", level=2, credits=c, glh=None, line=1)
             for ref, c in (("M1", 5), ("O1", 3), ("O2", 3), ("O3", 4))]
    rs = RuleSet(groups=[Group("A", "Mandatory", ["M1"], mandatory=True),
                         Group("B", "Optional", ["O1", "O2", "O3"])],
                 min_credits=11, barred=[["O1", "O2"]])
    q = Qualification(awarding_body="X", title="Test qualification", number=None, level=2, framework=None,
                      credits=11, glh=None, tqt=None, status=None, rules=rs)
    return Catalogue({"q": SourceDocument(id="q", short_name="Q", file="q.json", qualification=q, units=units)})


def test_a_barred_pair_is_a_violation():
    report = rules.check(barred_cat(), "q", ["M1", "O1", "O2"])
    assert not report.valid
    assert "These units may not be combined: O1 Unit O1; O2 Unit O2." in report.violations


def test_suggestions_never_complete_a_barred_pair():
    cat = barred_cat()
    # Without the bar, M1+O1+O2 (11 credits) would be the cheapest completion.
    assert [s.units for s in rules.suggest(cat, "q", ["M1"], limit=5)] == [["O1", "O3"], ["O2", "O3"]]
    assert [s.units for s in rules.suggest(cat, "q", ["M1", "O1"], limit=5)] == [["O3"]]
