"""The discussion service: planning, recording, decisions, sign-off, amendments, achievement."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.records import access, audit, discussion as disc, enrolment, people
from bot.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bot.records.models import Answer, Decision


def refs(items):
    return [pc.criterion_ref for pc in items]


@pytest.fixture
def d(session, world):
    return disc.start(session, world.alex, world.sam, "cg-pool", ["206"], channel="slack")


def test_start_plans_every_criterion_in_order(session, world, d):
    items = disc.plan(session, d)
    assert refs(items) == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert [pc.position for pc in items] == [1, 2, 3, 4, 5]
    assert items[0].criterion_text == "Explain how to adapt their speech to meet customers’ needs"
    assert items[0].outcome_ref == "1" and items[0].pd_listed is True
    assert items[0].citation == "City & Guilds unit pool, line 20"
    assert items[4].guidance == "In this criterion the learner is required to show how they adapt."
    assert items[0].guidance == "Speech: tone, pitch, pace."  # the outcome's guidance where the AC has none
    assert d.status == "open" and d.unit_refs == ["D/506/2119"] and d.channel == "slack"
    assert disc.current(session, d).criterion_ref == "1.1"
    assert audit.entries(session, "discussion", d.id, "discussion.start")[0].detail["planned"] == 5


def test_pd_listed_false_and_none(session, world):
    mixed = disc.start(session, world.alex, world.sam, None, ["226"])  # source from the enrolment
    by_ref = {pc.criterion_ref: pc for pc in disc.plan(session, mixed)}
    assert by_ref["1.1"].pd_listed is True
    assert by_ref["3.1"].pd_listed is False and by_ref["3.1"].evidence == ["observation", "witness testimony", "work products"]
    enrolment.enrol(session, world.sam, "svq4", world.alex, actor=world.admin)
    svq = disc.start(session, world.alex, world.sam, "svq4", ["CFACSF5"])
    items = disc.plan(session, svq)
    assert [(pc.criterion_ref, pc.kind, pc.pd_listed) for pc in items] == [
        ("PC1", "pc", None), ("PC2", "pc", None), ("K&U1", "ku", None)]


def test_start_with_outcomes(session, world):
    d2 = disc.start(session, world.alex, world.sam, "cg-pool", ["206"], outcomes=["LO2"])
    assert refs(disc.plan(session, d2)) == ["2.1", "2.2"]
    with pytest.raises(NotFound, match="Unit 226 has no outcome 2. Its outcomes are: 1, 3"):
        disc.start(session, world.alex, world.sam, "cg-pool", ["226"], outcomes=["2"])


def test_start_checks(session, world, d):
    with pytest.raises(Forbidden, match="You cannot start a professional discussion: that needs the assessor role"):
        disc.start(session, world.sam, world.sam, "cg-pool", ["206"])
    with pytest.raises(NotFound, match="learner"):
        disc.start(session, world.alex, 9999, "cg-pool", ["206"])
    with pytest.raises(NotFound, match="Unit '999' is not part of the City & Guilds unit pool that Sam Patel is enrolled on"):
        disc.start(session, world.alex, world.sam, "cg-pool", ["999"])
    with pytest.raises(Invalid, match="not enrolled on 'svq4'"):
        disc.start(session, world.alex, world.sam, "svq4", ["CFACSF5"])
    kim = people.create_person(session, "Kim Jones")
    access.assign(session, world.admin, world.alex, kim)
    with pytest.raises(Invalid, match="not enrolled on any qualification"):
        disc.start(session, world.alex, kim, None, ["206"])
    with pytest.raises(Invalid, match="Say which unit"):
        disc.start(session, world.alex, world.sam, "cg-pool", [])
    with pytest.raises(Conflict, match="already have an unfinished discussion with Sam Patel"):
        disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    # another assessor: only once an admin assigns the learner to them too
    with pytest.raises(Forbidden, match=r"^Sam Patel is not assigned to you; an admin can assign them to you "
                                        r"\(see README: Identity and roles\)\.$"):
        disc.start(session, world.bea, world.sam, "cg-pool", ["206"])
    access.assign(session, world.admin, world.bea, world.sam)
    assert disc.start(session, world.bea, world.sam, "cg-pool", ["206"]).id != d.id


def test_answers_are_versioned_never_overwritten(session, world, d):
    a1 = disc.record_answer(session, d, "1.1", "I slow down.", world.alex, question="Can you explain?")
    a2 = disc.record_answer(session, d, "AC 1.1", "And I check they understood.", world.alex)
    assert (a1.version, a2.version) == (1, 2) and a1.superseded_by == a2.id
    assert a2.text == "I slow down.\n\nAnd I check they understood." and a2.question == "Can you explain?"
    a3 = disc.record_answer(session, d, "1.1", "Only this.", world.alex, replace=True)
    assert a3.text == "Only this." and a3.version == 3
    assert [a.text for a in disc.history(session, d)] == [
        "I slow down.", "I slow down.\n\nAnd I check they understood.", "Only this."]
    assert disc.current_answers(session, d)[("D/506/2119", "1.1")].id == a3.id
    assert len(audit.entries(session, "answer")) == 3


def test_same_client_msg_id_stores_one_answer(session, world, d):
    first = disc.record_answer(session, d, "1.1", "Once.", world.alex, "rasa-msg-1")
    second = disc.record_answer(session, d, "1.1", "Once.", world.alex, "rasa-msg-1")
    assert first.id == second.id
    assert session.scalar(select(func.count()).select_from(Answer)) == 1


@pytest.mark.parametrize("text, error, message", [
    ("", Invalid, "The answer is empty, so nothing was saved"),
    ("   \n ", Invalid, "The answer is empty"),
    ("x" * 50_001, Invalid, r"That answer is 50,001 bytes; the limit is 50 kB \(50,000 bytes\)"),
])
def test_bad_answers(session, world, d, text, error, message):
    with pytest.raises(error, match=message):
        disc.record_answer(session, d, "1.1", text, world.alex)
    assert session.scalar(select(func.count()).select_from(Answer)) == 0


def test_answer_limit_counts_bytes_and_the_whole_answer(session, world, d):
    disc.record_answer(session, d, "1.1", "é" * 25_000, world.alex)  # 50,000 bytes: allowed
    with pytest.raises(Invalid, match="limit is 50 kB"):
        disc.record_answer(session, d, "1.1", "more", world.alex)  # appended, it would pass the limit
    assert disc.record_answer(session, d, "1.1", "more", world.alex, replace=True).version == 2


def test_unknown_criterion_and_wrong_role(session, world, d):
    with pytest.raises(NotFound, match="'9.9' is not one of the criteria planned"):
        disc.record_answer(session, d, "9.9", "x", world.alex)
    with pytest.raises(Forbidden, match="You cannot record answers: that needs the assessor role"):
        disc.record_answer(session, d, "1.1", "x", world.sam)
    with pytest.raises(Forbidden, match="run by another assessor"):
        disc.record_answer(session, d, "1.1", "x", world.bea)
    with pytest.raises(NotFound, match="discussion 424242"):
        disc.record_answer(session, 424242, "1.1", "x", world.alex)
    with pytest.raises(NotFound):
        disc.goto(session, d, "PC7")


def test_decisions_move_on_and_keep_history(session, world, d):
    disc.decide(session, d, "1.1", "met", None, world.alex)
    assert disc.current(session, d).criterion_ref == "1.2"
    with pytest.raises(Invalid, match="reason for 'not yet met'"):
        disc.decide(session, d, "1.2", "not_yet_met", "  ", world.alex)
    disc.decide(session, d, "1.2", "not yet met", "No example given", world.alex)
    disc.decide(session, d, "1.3", "skip", None, world.alex)
    assert disc.current(session, d).criterion_ref == "2.1"
    cov = disc.coverage(session, d)
    assert (refs(cov["met"]), refs(cov["not_yet_met"]), refs(cov["not_covered"])) == (
        ["1.1"], ["1.2"], ["1.3", "2.1", "2.2"])
    assert refs(disc.remaining(session, d)) == ["1.3", "2.1", "2.2"]
    assert refs(disc.skipped(session, d)) == ["1.3"]
    # a changed decision is a new version; the same decision again is not
    disc.decide(session, d, "1.2", "met", None, world.alex)
    again = disc.decide(session, d, "1.2", "met", None, world.alex)
    versions = disc.history(session, d, Decision)
    assert [(x.criterion_ref, x.outcome, x.version) for x in versions] == [
        ("1.1", "met", 1), ("1.2", "not_yet_met", 1), ("1.3", "skipped", 1), ("1.2", "met", 2)]
    assert again.version == 2
    with pytest.raises(Invalid, match="Unknown decision 'maybe'"):
        disc.decide(session, d, "2.1", "maybe", None, world.alex)
    with pytest.raises(Forbidden):
        disc.decide(session, d, "2.1", "met", None, world.sam)


def test_goto_back_and_first_open(session, world, d):
    assert disc.goto(session, d, "2.2").criterion_ref == "2.2"
    assert disc.current(session, d).criterion_ref == "2.2"
    assert disc.back(session, d).criterion_ref == "2.1"
    disc.goto(session, d, "1.1")
    with pytest.raises(Invalid, match="first criterion"):
        disc.back(session, d)
    for ref in ["1.1", "1.2", "1.3", "2.1", "2.2"]:
        disc.decide(session, d, ref, "met", None, world.alex)
    assert disc.current(session, d) is None
    assert disc.back(session, d).criterion_ref == "2.2"  # from the end, back to the last one


def test_deciding_elsewhere_keeps_the_pointer(session, world, d):
    disc.goto(session, d, "1.2")
    disc.decide(session, d, "2.1", "met", None, world.alex)
    assert disc.current(session, d).criterion_ref == "1.2"
    disc.decide(session, d, "1.2", "met", None, world.alex)
    assert disc.current(session, d).criterion_ref == "1.3"


def test_pause_resume_finish(session, world, d):
    disc.decide(session, d, "1.1", "met", None, world.alex)
    disc.goto(session, d, "2.2")
    assert disc.pause(session, d, world.alex).status == "paused"
    assert disc.find_active(session, world.alex, world.sam).id == d.id
    assert disc.find_active(session, world.bea, world.sam) is None
    resumed = disc.resume(session, d, world.alex)
    assert resumed.status == "open" and disc.current(session, d).criterion_ref == "1.2"  # first open
    summary = disc.finish(session, d, world.alex)
    assert summary["status"] == "finished" and summary["planned"] == 5
    assert summary["met"] == ["D/506/2119 1.1"] and len(summary["not_covered"]) == 4
    assert disc.find_active(session, world.alex, world.sam) is None
    assert disc.find_active(session, world.alex, world.sam, include_finished=True).id == d.id
    actions = [e.action for e in audit.entries(session, "discussion", d.id)]
    assert actions == ["discussion.start", "discussion.goto", "discussion.pause", "discussion.resume",
                       "discussion.finish"]


def test_sign_off_locks_the_record(session, world, d):
    with pytest.raises(Invalid, match="Nothing has been recorded"):
        disc.sign(session, d, world.alex, "assessor")
    disc.record_answer(session, d, "1.1", "An answer", world.alex)
    with pytest.raises(Forbidden, match="run by another assessor"):
        disc.sign(session, d, world.bea, "assessor")
    with pytest.raises(Forbidden, match="Only this discussion's learner"):
        disc.sign(session, d, world.alex, "learner")
    with pytest.raises(Conflict, match="has not been signed off yet"):
        disc.amend(session, d, "1.1", "answer", "new", "typo", world.alex)
    s1 = disc.sign(session, d, world.alex, "assessor")
    assert d.status == "signed" and d.signed_at == s1.signed_at and s1.declaration == disc.ASSESSOR_DECLARATION
    s2 = disc.sign(session, d, world.sam, "learner", by=world.alex)
    assert s2.recorded_by == world.alex.id and s2.person_id == world.sam.id
    with pytest.raises(Conflict, match="already signed by the learner"):
        disc.sign(session, d, world.sam, "learner")
    for change in (lambda: disc.record_answer(session, d, "1.1", "sneaky", world.alex),
                   lambda: disc.decide(session, d, "1.1", "met", None, world.alex),
                   lambda: disc.pause(session, d), lambda: disc.finish(session, d)):
        with pytest.raises(Conflict, match="signed off .* amendment, with a reason"):
            change()
    assert [a.text for a in disc.history(session, d)] == ["An answer"]


def test_amendment_after_sign_off_is_audited(session, world, d):
    disc.record_answer(session, d, "1.1", "First answer", world.alex)
    disc.decide(session, d, "1.1", "not_yet_met", "Too vague", world.alex)
    disc.sign(session, d, world.alex, "assessor")
    with pytest.raises(Invalid, match="needs a reason"):
        disc.amend(session, d, "1.1", "answer", "Fixed", "  ", world.alex)
    with pytest.raises(Invalid, match="Can't amend 'question'"):
        disc.amend(session, d, "1.1", "question", "x", "why", world.alex)
    with pytest.raises(Invalid, match="no decision"):
        disc.amend(session, d, "1.2", "reason", "x", "why", world.alex)
    am = disc.amend(session, d, "1.1", "answer", "First answer, typed correctly", "Typo in the record", world.alex)
    assert (am.field, am.old, am.new, am.reason) == ("answer", "First answer", "First answer, typed correctly",
                                                     "Typo in the record")
    disc.amend(session, d, "1.1", "decision", "met", "IQA agreed the example was sufficient", world.alex)
    current = disc.current_decisions(session, d)[("D/506/2119", "1.1")]
    assert (current.outcome, current.reason, current.version) == ("met", "IQA agreed the example was sufficient", 2)
    assert [a.text for a in disc.history(session, d)] == ["First answer", "First answer, typed correctly"]
    entries = audit.entries(session, action="discussion.amend")
    assert [(e.detail["field"], e.detail["old"], e.detail["new"]) for e in entries] == [
        ("answer", "First answer", "First answer, typed correctly"), ("decision", "not_yet_met", "met")]
    assert [a.field for a in disc.amendments(session, d)] == ["answer", "decision"]


def test_criterion_records(session, world, d):
    disc.record_answer(session, d, "1.1", "One", world.alex)
    disc.record_answer(session, d, "1.1", "Two", world.alex, replace=True)
    disc.decide(session, d, "1.1", "met", None, world.alex)
    rows = disc.criterion_records(session, d)
    assert [r.planned.criterion_ref for r in rows] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert rows[0].answer.text == "Two" and [a.text for a in rows[0].earlier_answers] == ["One"]
    assert rows[0].decision.outcome == "met" and rows[1].answer is None and rows[1].decision is None


def test_mark_achieved_if_complete(session, world, d):
    for ref in ["1.1", "1.2", "1.3", "2.1"]:
        disc.decide(session, d, ref, "met", None, world.alex)
    disc.decide(session, d, "2.2", "not_yet_met", "No example", world.alex)
    assert disc.mark_achieved_if_complete(session, d) == []
    assert enrolment.unit_statuses(session, world.enrolment) == {}
    disc.decide(session, d, "2.2", "met", None, world.alex)
    assert disc.mark_achieved_if_complete(session, d) == ["D/506/2119"]
    row_status = enrolment.unit_statuses(session, world.enrolment)
    assert row_status == {"D/506/2119": "achieved"}
    assert disc.mark_achieved_if_complete(session, d) == []  # already achieved


def test_mark_achieved_across_discussions_on_outcomes(session, world):
    first = disc.start(session, world.alex, world.sam, "cg-pool", ["206"], outcomes=["1"])
    for ref in ["1.1", "1.2", "1.3"]:
        disc.decide(session, first, ref, "met", None, world.alex)
    assert disc.mark_achieved_if_complete(session, first) == []  # outcome 2 not yet covered
    disc.finish(session, first)
    second = disc.start(session, world.alex, world.sam, "cg-pool", ["206"], outcomes=["2"])
    for ref in ["2.1", "2.2"]:
        disc.decide(session, second, ref, "met", None, world.alex)
    assert disc.mark_achieved_if_complete(session, second) == ["D/506/2119"]


def test_several_units_and_ambiguous_refs(session, world):
    d2 = disc.start(session, world.alex, world.sam, "cg-pool", ["206", "L/506/1869"])
    assert d2.unit_refs == ["D/506/2119", "L/506/1869"]
    assert disc.resolve(session, d2, "1.1").unit_ref == "D/506/2119"  # the current criterion's unit
    assert disc.resolve(session, d2, "1.1", unit="226").unit_ref == "L/506/1869"
    assert disc.resolve(session, d2, "3.2").unit_ref == "L/506/1869"  # only one unit has it
    disc.goto(session, d2, "3.1")
    assert disc.resolve(session, d2, "1.1").unit_ref == "L/506/1869"
    with pytest.raises(NotFound, match="not part of this discussion"):
        disc.resolve(session, d2, "1.1", unit="999")
