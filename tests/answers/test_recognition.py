"""Reading what the learner named (issue 13, patterns 1 and 6): the qualification by any of its names,
never taken for a unit; every unit of a list, none dropped. Facts from catalogue/sources/."""
from __future__ import annotations

import pytest

from bot.domain.answers import LearnerContext, resolve

from .conftest import text


@pytest.mark.parametrize("message,source", [
    ("601/4310/1 whats the minimum number of credits", "sfj-l2"),
    ("how many guided learning hours is the habc level 3 customer service diploma", "habc-l3"),
    ("SVQ 4 in Customer Service at SCQF Level 8 - total credit points?", "svq4"),
    ("Highfield Level 3 Diploma in Customer Service (QCF): min credits?", "habc-l3"),
    ("the level 1 certificate in customer service, how many credits", "ncfe-l1"),
])
def test_a_qualification_named_by_its_title_or_number_is_no_unit(cat, message, source):
    assert resolve.unit(cat, message, source) is None
    assert resolve.units(cat, message, source) == []


@pytest.mark.parametrize("message,source,total", [
    ("601/4310/1 whats the minimum number of credits", None, "45"),
    ("601/4027/6 - how many credits altogether?", None, "55"),
    ("601/3972/9 how many credits", None, "23"),
])
def test_a_qualification_number_first_is_the_question_frame(ask, message, source, total):
    answer = ask("ask_unit_info", message, LearnerContext(source))
    assert total in text(answer) and "couldn't find that unit" not in text(answer)


@pytest.mark.parametrize("message,source,numbers", [
    ("done 304 and 305", "habc-l3", ["304", "305"]),  # HABC learners give C&G numbers too
    ("I've finished 206, 207 & 210", "sfj-l2", ["206", "207", "210"]),
    ("done 206/207/210", "sfj-l2", ["206", "207", "210"]),
    ("svq 4: done 1,2,3", "svq4", ["1", "2", "3"]),
    ("done units 1-5 and 9", "svq4", ["1", "2", "3", "4", "5", "9"]),
    ("finished units 01 to 05", "ncfe-l1", ["01", "02", "03", "04", "05"]),
    ("206 207 & 210 done", "sfj-l2", ["206", "207", "210"]),
])
def test_every_unit_of_a_list_is_read(cat, message, source, numbers):
    found = resolve.units(cat, message, source)
    assert [u.mention for u in found] == numbers and all(u.ref for u in found)


def test_a_number_no_specification_has_is_kept_not_dropped(cat):
    found = resolve.units(cat, "done 206, 207, 209 & 210", "sfj-l2")
    assert [u.mention for u in found] == ["206", "207", "209", "210"]
    assert found[2].ref is None and not found[2].options


def test_a_unit_double_number_stays_one_unit(cat):
    assert [(u.mention, u.ref) for u in resolve.units(cat, "c&g 305/695", "cg-pool")] == [("305/695", "Y/506/2152")]


def test_the_unknown_number_is_said_when_units_are_recorded(ask):
    answer = ask("report_units", "I've finished 206, 209 and 210", LearnerContext("sfj-l2"))
    assert set(answer.unit_updates) == {"D/506/2119", "L/506/2133"}
    assert '"209"' in text(answer)
