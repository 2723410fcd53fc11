"""Signing order (#14.5): assessor, then learner, then optionally an IQA; the first signature locks
the record against everything but an amendment, and an amendment undoes the later signatures and
says so (records, chat turn, export), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from bot.domain.errors import Conflict, Forbidden
from bot.flows import discussion as turns
from bot.records import audit, discussion as disc, people
from bot.records.models import SignOff


@pytest.fixture
def signed(session, world):
    """Alex's discussion with Sam, one answer and decision, and an IQA (Ira)."""
    iqa = people.create_person(session, "Ira Quality", "iqa", actor=world.admin)
    d = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    disc.record_answer(session, d, "1.1", "I slow down.", world.alex)
    disc.decide(session, d, "1.1", "met", None, world.alex)
    session.commit()
    return d, iqa


def test_the_order_is_assessor_learner_iqa(session, world, signed):
    d, iqa = signed
    with pytest.raises(Conflict, match="^The assessor signs first; the learner confirms the record once"):
        disc.sign(session, d, world.sam, "learner")
    with pytest.raises(Conflict, match="^The IQA signs after the learner has confirmed the record"):
        disc.sign(session, d, iqa, "iqa")
    disc.sign(session, d, world.alex, "assessor")
    with pytest.raises(Conflict, match="^The IQA signs after the learner"):
        disc.sign(session, d, iqa, "iqa")
    disc.sign(session, d, world.sam, "learner", by=world.alex)
    with pytest.raises(Forbidden, match="Only an IQA can add the IQA signature"):
        disc.sign(session, d, world.bea, "iqa")
    assert disc.sign(session, d, iqa, "iqa").declaration == disc.IQA_DECLARATION
    assert [s.role for s in disc.holding_sign_offs(session, d)] == ["assessor", "learner", "iqa"]
    with pytest.raises(Conflict, match="already signed by the learner"):
        disc.sign(session, d, world.sam, "learner")


def test_after_the_first_signature_only_an_amendment_changes_it(session, world, signed):
    d, _ = signed
    disc.sign(session, d, world.alex, "assessor")
    for change in (lambda: disc.record_answer(session, d, "1.2", "more", world.alex),
                   lambda: disc.decide(session, d, "1.2", "met", None, world.alex),
                   lambda: disc.pause(session, d, by=world.alex), lambda: disc.resume(session, d, by=world.alex),
                   lambda: disc.finish(session, d, by=world.alex)):
        with pytest.raises(Conflict, match="signed off"):
            change()
    assert disc.amend(session, d, "1.1", "answer", "I slow down and check.", "Typo.", world.alex).field == "answer"


def test_an_amendment_undoes_the_later_signatures_and_says_so(session, world, signed):
    d, iqa = signed
    disc.sign(session, d, world.alex, "assessor")
    disc.sign(session, d, world.sam, "learner", by=world.alex)
    disc.sign(session, d, iqa, "iqa")
    amendment = disc.amend(session, d, "1.1", "reason", "Clear and complete.", "The reason was missing.", world.alex)
    learner_sig, iqa_sig = disc.undone_by(session, amendment)
    assert (learner_sig.role, iqa_sig.role) == ("learner", "iqa")
    assert [s.role for s in disc.holding_sign_offs(session, d)] == ["assessor"]
    assert disc.undone_note(session, amendment) == (
        f"This amendment came after Sam Patel's confirmation ({learner_sig.signed_at:%d %b %Y %H:%M} UTC) and Ira "
        f"Quality's IQA signature ({iqa_sig.signed_at:%d %b %Y %H:%M} UTC), so those no longer hold: the learner "
        "needs to confirm the amended record again, and the IQA to sign it after them.")
    [entry] = audit.entries(session, action="discussion.amend")
    assert entry.detail["signatures_undone"] == ["learner", "iqa"]
    # kept, marked as no longer holding (the exports say so: tests/api/test_discussions_api.py); given again after
    assert [(s.role, s.invalidated_by) for s in disc.sign_offs(session, d)] == [
        ("assessor", None), ("learner", amendment.id), ("iqa", amendment.id)]
    with pytest.raises(Conflict, match="The IQA signs after the learner"):
        disc.sign(session, d, iqa, "iqa")
    disc.sign(session, d, world.sam, "learner")
    disc.sign(session, d, iqa, "iqa")
    assert [s.role for s in disc.holding_sign_offs(session, d)] == ["assessor", "learner", "iqa"]
    assert len(disc.sign_offs(session, d)) == 5


def test_the_database_holds_one_signature_per_role(session, world, signed):
    d, _ = signed
    disc.sign(session, d, world.alex, "assessor")
    session.commit()
    session.add(SignOff(discussion_id=d.id, person_id=world.alex.id, role="assessor", declaration="again",
                        recorded_by=world.alex.id))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_the_chat_says_an_amendment_undid_the_learners_confirmation(session, world, signed):
    d, _ = signed
    disc.sign(session, d, world.alex, "assessor")
    disc.sign(session, d, world.sam, "learner", by=world.alex)
    session.commit()
    turns.handle(session, d.id, "change my answer to 1.1", world.alex)
    turns.handle(session, d.id, "I slow down and check they follow.", world.alex)
    result = turns.handle(session, d.id, "The learner asked for it to be clearer.", world.alex)
    said = " ".join(r.text for r in result.replies)
    assert "Amended the answer to 1.1" in said
    assert "so that no longer holds: the learner needs to confirm the amended record again." in said
    assert [s.role for s in disc.holding_sign_offs(session, d)] == ["assessor"]
