"""The turn interpreter against a real database (SQLite and PostgreSQL), one behaviour per test."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.flows import discussion as turns
from bot.records import audit, discussion as disc, enrolment
from bot.records.db import dispose, new_engine, transaction
from bot.domain.errors import Forbidden
from bot.records.models import Answer, Discussion
from sqlalchemy.orm import Session


@pytest.fixture
def d(session, world):
    started = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    session.commit()
    return started


def say(session, d, world, text, msg_id=None):
    return turns.handle(session, d.id, text, world.alex, msg_id)


def texts(result):
    return [r.text for r in result.replies]


def answer_for(session, d, ref):
    found = disc.current_answers(session, d).get(("D/506/2119", ref))
    return found.text if found else None


def decision_for(session, d, ref):
    found = disc.current_decisions(session, d).get(("D/506/2119", ref))
    return (found.outcome, found.reason) if found else None


def test_start_reply_shows_the_plan_and_the_first_criterion(session, world, d):
    result = turns.start_reply(session, d.id)
    plan, first = result.replies
    assert plan.text.startswith("Professional discussion with *Sam Patel*: unit 206 Communicate verbally with customers "
                                "(City & Guilds unit pool).")
    assert "5 criteria to cover: 1.1–1.3, 2.1, 2.2." in plan.text
    assert first.text.splitlines() == [
        "*1.1* (1 of 5) · Outcome 1: Understand how to communicate verbally with customers",
        "“Explain how to adapt their speech to meet customers’ needs”",
        "Ask: Can you explain how to adapt your speech to meet customers’ needs?",
        "Guidance: Speech: tone, pitch, pace.",
    ]
    assert [b.payload for b in first.buttons] == ["met", "not yet met", "skip"]
    assert first.source == "City & Guilds unit pool, line 20"
    assert (result.finished, result.paused, result.discussion_id) == (False, False, d.id)


def test_plan_names_criteria_without_pd(session, world):
    d2 = disc.start(session, world.alex, world.sam, "cg-pool", ["226"])
    plan = turns.start_reply(session, d2.id).replies[0].text
    assert ("- Outcome 3 (3.1, 3.2): the specification lists observation, witness testimony, work products, "
            "not professional discussion.") in plan
    assert "Note:" not in turns.start_reply(session, d2.id).replies[1].text  # 1.1: PD is listed for outcome 1
    shown = say(session, d2, world, "go to 3.1").replies[0].text
    assert "Note: for outcome 3 the specification lists observation, witness testimony, work products, " \
           "not professional discussion." in shown


def test_answers_are_saved_at_once_and_added_to(session, world, d):
    first = say(session, d, world, "I slow down and use plain words.")
    assert texts(first) == ["Saved for 1.1. Met, not yet met, or more to add?"]
    assert answer_for(session, d, "1.1") == "I slow down and use plain words."
    second = say(session, d, world, "And I check they understood.")
    assert texts(second) == ["Added to the answer for 1.1. Met, not yet met, or more to add?"]
    assert answer_for(session, d, "1.1") == "I slow down and use plain words.\n\nAnd I check they understood."
    stored = disc.history(session, d)[0]
    assert stored.question == "Can you explain how to adapt your speech to meet customers’ needs?"


def test_met_moves_to_the_next_criterion(session, world, d):
    result = say(session, d, world, "met")
    assert result.replies[0].text == "1.1: met."
    assert result.replies[1].text.startswith("*1.2* (2 of 5)")
    assert decision_for(session, d, "1.1") == ("met", None)
    assert "Guidance:" not in result.replies[1].text  # outcome 1's guidance was just shown with 1.1
    assert "Guidance: Speech: tone, pitch, pace." in say(session, d, world, "go to 1.2").replies[0].text
    assert say(session, d, world, "met").replies[1].text.startswith("*1.3*")
    decided = say(session, d, world, "met")  # 1.3 -> 2.1; then 2.2 has guidance of its own
    assert "Guidance:" not in decided.replies[1].text
    assert "Guidance: In this criterion the learner is required to show how they adapt." in \
        say(session, d, world, "met").replies[1].text


def test_not_yet_met_asks_for_a_reason(session, world, d):
    ask = say(session, d, world, "not yet met")
    assert texts(ask) == ["What is missing for 1.1? (The reason is recorded for the learner.)"]
    assert decision_for(session, d, "1.1") is None
    done = say(session, d, world, "because no example of adapting to a customer")
    assert done.replies[0].text == "1.1: not yet met."
    assert decision_for(session, d, "1.1") == ("not_yet_met", "no example of adapting to a customer")
    assert session.get(Discussion, d.id).pending is None


def test_not_met_with_reason_in_one_message(session, world, d):
    say(session, d, world, "not met because she forgot tone")
    assert decision_for(session, d, "1.1") == ("not_yet_met", "she forgot tone")


def test_a_command_instead_of_the_reason_drops_the_question(session, world, d):
    say(session, d, world, "not yet met")
    result = say(session, d, world, "skip")
    assert result.replies[0].text == "1.1: skipped."
    assert decision_for(session, d, "1.1") == ("skipped", None)


def test_skip_goto_back(session, world, d):
    assert say(session, d, world, "skip").replies[1].text.startswith("*1.2*")
    assert say(session, d, world, "go to 2.2").replies[0].text.startswith("*2.2* (5 of 5)")
    say(session, d, world, "Adapting means changing my pace.")
    assert answer_for(session, d, "2.2") == "Adapting means changing my pace."
    assert say(session, d, world, "back").replies[0].text.startswith("*2.1*")
    assert texts(say(session, d, world, "go to 7.7"))[0].startswith("'7.7' is not one of the criteria planned")


def test_change_my_answer(session, world, d):
    say(session, d, world, "first version")
    say(session, d, world, "met")
    ask = say(session, d, world, "change my answer to 1.1")
    assert ask.replies[0].text.startswith("OK, send the new answer for 1.1")
    assert "It is now: “first version”" in ask.replies[0].text
    done = say(session, d, world, "second version")
    assert texts(done) == ["Replaced the answer for 1.1. Met, not yet met, or more to add?"]
    assert answer_for(session, d, "1.1") == "second version"
    assert [a.text for a in disc.history(session, d)] == ["first version", "second version"]
    say(session, d, world, "change my answer to 1.1: third version")
    assert answer_for(session, d, "1.1") == "third version"


def test_whats_left_and_coverage(session, world, d):
    say(session, d, world, "met")
    say(session, d, world, "not yet met: no example")
    say(session, d, world, "skip")
    left = texts(say(session, d, world, "what's left?"))
    assert left == ["Still to cover (2): 2.1, 2.2.\nSkipped (1): 1.3. Say *go to 1.3* to return."]
    cov = texts(say(session, d, world, "show coverage"))
    assert cov == ["Coverage: 1 of 5 met.\n- Met (1): 1.1\n- Not yet met (1): 1.2 (no example)\n"
                   "- Not covered (3): 1.3, 2.1, 2.2"]


def test_pasted_block_saves_each_answer(session, world, d):
    result = say(session, d, world, "1.1: Slow down. 1.2: Listening shows respect\n2.1: Plain words, at 10.30: no jargon")
    assert result.replies[0].text == "Saved 3 answers: 1.1, 1.2, 2.1."
    assert answer_for(session, d, "1.1") == "Slow down."
    assert answer_for(session, d, "1.2") == "Listening shows respect"
    assert answer_for(session, d, "2.1") == "Plain words, at 10.30: no jargon"  # 10.30 is not a planned criterion
    assert texts(say(session, d, world, "9.1: nothing"))[0].startswith("'9.1' is not one of the criteria planned")


def test_bad_input_is_answered_not_saved(session, world, d):
    assert texts(say(session, d, world, "   ")) == ["The answer is empty, so nothing was saved."]
    big = say(session, d, world, "x" * 60_000)
    assert big.replies[0].text.startswith("That answer is 60,000 bytes; the limit is 50 kB (50,000 bytes).")
    assert session.scalar(select(func.count()).select_from(Answer)) == 0


def test_double_submit_is_acted_on_once(session, world, d):
    one = say(session, d, world, "An answer", "msg-1")
    two = say(session, d, world, "An answer", "msg-1")
    assert texts(one) == texts(two) and [b.title for b in two.replies[0].buttons] == ["Met", "Not yet met", "Skip"]
    assert answer_for(session, d, "1.1") == "An answer"
    say(session, d, world, "skip", "msg-2")
    say(session, d, world, "skip", "msg-2")
    assert disc.current(session, d).criterion_ref == "1.2"  # skipped once, not twice


def test_double_submit_from_two_threads(db, session, world, d):
    did, alex = d.id, world.ids["alex"]
    barrier = threading.Barrier(4)
    errors = []

    def send():
        try:
            barrier.wait()
            transaction(lambda s: turns.handle(s, did, "Said once", alex, "rasa-42"), db)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    session.rollback()  # a new read transaction: see what the threads committed
    assert [a.text for a in disc.history(session, d)] == ["Said once"]


def test_pause_and_resume(session, world, d):
    say(session, d, world, "met")
    say(session, d, world, "go to 2.2")
    paused = say(session, d, world, "pause")
    assert paused.paused and not paused.finished
    assert paused.replies[0].text.startswith("Paused at 2.2. Everything so far is saved.")
    assert session.get(Discussion, d.id).status == "paused"
    back = turns.resume(session, world.alex, world.sam)
    assert back.replies[0].text == "Resuming the discussion with *Sam Patel*: 1 of 5 criteria decided."
    assert back.replies[1].text.startswith("*1.2*")  # the first criterion without a decision
    assert back.discussion_id == d.id
    nothing = turns.resume(session, world.bea)
    assert nothing.finished and nothing.replies[0].text.startswith("I can't find an unfinished discussion")


def test_finish_and_sign_with_the_learner_present(session, world, d):
    for _ in range(5):
        say(session, d, world, "met")
    finish = say(session, d, world, "finish")
    assert texts(finish)[0] == "Discussion finished." and texts(finish)[2] == "Sign it off now?"
    assert not finish.finished
    declaration = say(session, d, world, "sign now")
    assert disc.ASSESSOR_DECLARATION in declaration.replies[0].text
    signed = say(session, d, world, "I confirm")
    assert signed.replies[0].text.startswith("Signed by you (")
    assert "unit 206 is now confirmed as achieved" in signed.replies[0].text
    assert "Is Sam Patel with you to confirm?" in signed.replies[1].text
    confirmed = say(session, d, world, "learner confirms")
    assert not confirmed.finished  # #19 point 5: the assessor stays in the discussion until they leave
    assert [(s.role, s.person_id, s.recorded_by) for s in disc.sign_offs(session, d)] == [
        ("assessor", world.alex.id, world.alex.id), ("learner", world.sam.id, world.alex.id)]
    assert enrolment.unit_statuses(session, world.enrolment) == {"D/506/2119": "achieved"}


def test_sign_without_the_learner_and_decline(session, world, d):
    say(session, d, world, "An answer")
    say(session, d, world, "sign")
    assert texts(say(session, d, world, "cancel")) == ["Not signed. Say *sign* when you're ready."]
    assert session.get(Discussion, d.id).status == "open"
    say(session, d, world, "sign")
    say(session, d, world, "yes")
    later = say(session, d, world, "not present")
    assert later.finished and texts(later) == ["OK. The record is signed by you; the learner can confirm it later."]
    assert [s.role for s in disc.sign_offs(session, d)] == ["assessor"]
    assert enrolment.unit_statuses(session, world.enrolment) == {}  # not every criterion met


def test_changes_after_sign_off_are_amendments_with_a_reason(session, world, d):
    say(session, d, world, "Original answer")
    say(session, d, world, "sign")
    say(session, d, world, "i confirm")
    say(session, d, world, "not present")
    refused = say(session, d, world, "Another answer")
    assert refused.replies[0].text.startswith("This record is signed off.")
    assert answer_for(session, d, "1.1") == "Original answer"
    say(session, d, world, "change my answer to 1.1")
    ask = say(session, d, world, "Corrected answer")
    assert texts(ask) == ["This record is signed, so the change is an amendment. Why are you amending it?"]
    done = say(session, d, world, "I mistyped what Sam said")
    assert done.replies[0].text.startswith("Amended the answer to 1.1, with your reason.")
    assert answer_for(session, d, "1.1") == "Corrected answer"
    (entry,) = audit.entries(session, action="discussion.amend")
    assert entry.actor_id == world.alex.id
    assert (entry.detail["old"], entry.detail["new"], entry.detail["reason"]) == (
        "Original answer", "Corrected answer", "I mistyped what Sam said")


def test_only_the_discussions_assessor(session, world, d):
    with pytest.raises(Forbidden):
        turns.handle(session, d.id, "met", world.sam)
    with pytest.raises(Forbidden):
        turns.handle(session, d.id, "met", world.bea)


def test_restart_mid_discussion_loses_nothing(db, session, world, d):
    """Everything between turns is in the database: a new engine and session carry on exactly."""
    did, alex = d.id, world.ids["alex"]
    say(session, d, world, "An answer for 1.1", "m1")
    say(session, d, world, "met", "m2")
    say(session, d, world, "not yet met", "m3")  # now waiting for a reason
    session.commit()
    session.close()
    dispose(db)  # the action server restarts: no engine, no session, nothing in memory
    engine = new_engine(db)
    try:
        with Session(engine) as fresh:
            result = turns.handle(fresh, did, "no example of listening", alex, "m4")
            assert result.replies[0].text == "1.2: not yet met."
            again = turns.handle(fresh, did, "met", alex, "m2")  # a redelivered old message changes nothing
            assert again.replies[0].text == "1.1: met."
            assert disc.current_answers(fresh, did)[("D/506/2119", "1.1")].text == "An answer for 1.1"
            assert {k[1]: v.outcome for k, v in disc.current_decisions(fresh, did).items()} == {
                "1.1": "met", "1.2": "not_yet_met"}
            assert turns.handle(fresh, did, "pause", alex).paused
            fresh.commit()
        engine.dispose()
        engine = new_engine(db)
        with Session(engine) as fresh:
            back = turns.resume(fresh, alex, world.ids["sam"])
            assert back.discussion_id == did and back.replies[1].text.startswith("*1.3*")
    finally:
        engine.dispose()


def test_a_turn_that_dies_midway_leaves_nothing_behind(db, session, world, d, monkeypatch):
    """The message id, the changes and the replies commit together: a process that fails mid-turn
    leaves no claim, so the channel's redelivery of the message is acted on."""
    did, alex = d.id, world.ids["alex"]
    real = turns.records.record_answer

    def dies(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the process died here")

    monkeypatch.setattr(turns.records, "record_answer", dies)
    with pytest.raises(RuntimeError):
        transaction(lambda s: turns.handle(s, did, "An answer", alex, "m-1"), db)
    monkeypatch.setattr(turns.records, "record_answer", real)
    session.rollback()
    assert answer_for(session, d, "1.1") is None
    redelivered = transaction(lambda s: texts(turns.handle(s, did, "An answer", alex, "m-1")), db)
    assert redelivered == ["Saved for 1.1. Met, not yet met, or more to add?"]
    session.rollback()
    assert answer_for(session, d, "1.1") == "An answer"


def test_long_coverage_fits_one_message(session, world, d):
    from bot.domain.discussion import render
    from bot.domain.replies import MAX_REPLY_CHARS

    items = disc.plan(session, d)
    many = {"met": [], "not_yet_met": items * 40, "not_covered": []}
    reply = render.coverage(many, {pc.id: "a long reason " * 10 for pc in items}, {"D/506/2119": "206"})
    assert len(reply.text) <= MAX_REPLY_CHARS and reply.text.endswith(" …")
