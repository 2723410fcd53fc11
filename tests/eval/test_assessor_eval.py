"""The held-out assessor discussions (tests/eval/assessor.yaml): shape, real criteria, independence
from the training data, and the check that scripts/eval_assessor.py applies to what was stored."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.domain.planning import plan_unit, resolve_unit
from bot.domain.refs import criterion_key
from catalogue import load_catalogue
from scripts.eval_assessor import check
from scripts.evallib import load, normalise
from tests.eval.test_questions import MIN_COPY, _training_lines

DISCUSSIONS = load(Path(__file__).with_name("assessor.yaml"))["discussions"]


def test_enough_discussions_over_every_specification():
    assert len(DISCUSSIONS) >= 20 and sum(len(d["turns"]) for d in DISCUSSIONS) >= 100
    assert set(Counter(d["spec"] for d in DISCUSSIONS)) == {"sfj-l2", "habc-l3", "cg-pool", "ncfe-l1", "svq4"}
    assert len({d["id"] for d in DISCUSSIONS}) == len(DISCUSSIONS)
    for d in DISCUSSIONS:
        assert "started" in d["turns"][0] and len(d["turns"]) >= 5, d["id"]


@pytest.mark.parametrize("d", DISCUSSIONS, ids=[d["id"] for d in DISCUSSIONS])
def test_expected_criteria_are_in_the_units_plan(d):
    cat = load_catalogue()
    units = d["turns"][0]["started"]["units"]
    planned = {criterion_key(item.criterion.ref) for u in units for item in plan_unit(resolve_unit(cat, d["spec"], u))}
    named = [w["ref"] for t in d["turns"] for k in ("answer", "decision") if k in t for w in [t[k]]]
    assert named and {criterion_key(str(r)) for r in named} <= planned


def test_no_turn_is_in_the_training_data():
    lines = _training_lines()
    says = {normalise(t["say"]) for d in DISCUSSIONS for t in d["turns"]}
    assert [s for s in says if len(s) >= MIN_COPY and any(s in line for line in lines)] == []


U = "D/506/2119"
BEFORE = (1, [U], {(U, "1.1"): ("She said sorry", None, None)})


def test_check_finds_a_decision_stored_as_answer_text():
    after = (1, [U], {(U, "1.1"): ("She said sorry\n\nthat's met", None, None)})
    problems = check({"say": "that's met", "decision": {"ref": "1.1", "outcome": "met"}}, BEFORE, after)
    assert problems == ["1.1 answer changed to \"She said sorry\\n\\nthat's met\"", "1.1 decision is None, expected met"]


def test_check_finds_the_wrong_criterion_changed():
    after = (1, [U], {(U, "1.1"): ("She said sorry", "met", None)})
    problems = check({"say": "1.3 is met", "decision": {"ref": "1.3", "outcome": "met"}}, BEFORE, after)
    assert problems == ["1.1 changed but should not have: ('She said sorry', None, None) -> ('She said sorry', 'met', None)",
                        "1.3 decision is None, expected met"]


def test_check_passes_what_was_meant_and_nothing_for_a_question():
    after = (1, [U], {(U, "1.1"): ("She said sorry", "not_yet_met", "no log")})
    turn = {"say": "not yet - no log", "decision": {"ref": "1.1", "outcome": "not_yet_met", "reason": "no log"}}
    assert check(turn, BEFORE, after) == []
    assert check({"say": "the one about tone is met"}, BEFORE, BEFORE) == []
    assert check({"say": "start", "started": {"units": [U]}}, (None, [], {}), (1, [U], {})) == []
