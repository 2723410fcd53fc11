"""A retried POST records once (#14.11): amendments, answers and decisions take an Idempotency-Key
header (or client_msg_id in the body); the same key twice returns the first record."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot.records import discussion as discussions
from bot.records.db import transaction
from bot.records.models import Amendment, Answer, Decision


def count(world, model, did: int) -> int:
    with world.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.discussion_id == did))


AMEND = {"criterion_ref": "1.1", "field": "decision", "new": "not_yet_met", "reason": "The example was another unit's."}


def test_a_retried_amendment_is_recorded_once(world):
    path = f"/api/discussions/{world.d_signed}/amendments"
    first = world.call("assessor", "POST", path, json=AMEND, headers={"Idempotency-Key": "amend-7c1"})
    again = world.call("assessor", "POST", path, json=AMEND, headers={"Idempotency-Key": "amend-7c1"})
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert count(world, Amendment, world.d_signed) == 1
    assert count(world, Decision, world.d_signed) == 2  # the original and the one amended version
    other = world.call("assessor", "POST", path, json={**AMEND, "new": "met", "reason": "Checked again."},
                       headers={"Idempotency-Key": "amend-7c2"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert count(world, Amendment, world.d_signed) == 2


def test_the_key_may_come_in_the_body_and_must_agree_with_the_header(world):
    path = f"/api/discussions/{world.d_signed}/amendments"
    body = {**AMEND, "client_msg_id": "body-key-1"}
    first = world.call("assessor", "POST", path, json=body)
    assert world.call("assessor", "POST", path, json=AMEND, headers={"Idempotency-Key": "body-key-1"}).json() == first.json()
    clash = world.call("assessor", "POST", path, json=body, headers={"Idempotency-Key": "another"})
    assert clash.status_code == 422 and "Idempotency-Key" in clash.json()["detail"]
    assert count(world, Amendment, world.d_signed) == 1


def test_without_a_key_each_post_amends(world):
    path = f"/api/discussions/{world.d_signed}/amendments"
    for _ in range(2):
        assert world.call("assessor", "POST", path, json=AMEND).status_code == 201
    assert count(world, Amendment, world.d_signed) == 2


def test_answers_and_decisions_take_the_header_too(world):
    did = world.d_open
    for _ in range(2):
        r = world.call("assessor", "POST", f"/api/discussions/{did}/answers",
                       json={"criterion_ref": "1.2", "text": "We ask what they expect."}, headers={"Idempotency-Key": "a-1"})
        assert r.status_code == 201, r.text
        r = world.call("assessor", "POST", f"/api/discussions/{did}/decisions",
                       json={"criterion_ref": "1.2", "outcome": "met"}, headers={"Idempotency-Key": "d-1"})
        assert r.status_code == 201, r.text
    with world.session() as s:
        answers = s.scalars(select(Answer).where(Answer.discussion_id == did, Answer.criterion_ref == "1.2")).all()
        decided = s.scalars(select(Decision).where(Decision.discussion_id == did, Decision.criterion_ref == "1.2")).all()
    assert len(answers) == 1 and len(decided) == 1


def test_two_retries_at_the_same_moment_amend_once(world):
    """Two deliveries of one request racing each other, each its own transaction (as two API workers)."""
    did, sam = world.d_signed, world.ids["assessor"]
    results, errors = [], []
    start = threading.Barrier(2)

    def deliver():
        try:
            start.wait()
            results.append(transaction(lambda s: discussions.amend(s, did, "1.1", "decision", "not_yet_met",
                                                                   "Retried.", sam, client_msg_id="race-1").id,
                                       world.url))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(set(results)) == 1 and count(world, Amendment, did) == 1
    assert count(world, Decision, did) == 2
