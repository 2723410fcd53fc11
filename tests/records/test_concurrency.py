"""Writers at the same moment lose nothing and duplicate nothing (threads, both backends)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot.records import access
from bot.records import discussion as disc
from bot.records.db import transaction
from bot.records.models import Answer, Decision

PARTS = 12


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def wrap(job):
        def target():
            try:
                barrier.wait()
                job()
            except BaseException as error:  # surfaced below: a thread's failure must fail the test
                errors.append(error)
        return target

    threads = [threading.Thread(target=wrap(job)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


def test_one_assessor_on_two_channels_appends_to_the_same_answer(db, session, world):
    """Only the assessor who runs a discussion writes to it (bot/records/access.py): two channels of theirs at once."""
    d = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    did = d.id  # read here: the threads must not touch the test's session
    session.commit()

    def writer(name: str, person_id: int):
        def job():
            for i in range(PARTS):
                # each message is delivered twice, as a retrying channel would; each delivery is
                # one unit of work, as a chat turn is
                for _ in range(2):
                    transaction(lambda s: disc.record_answer(s, did, "1.1", f"{name}-{i}", person_id,
                                                             f"{name}-msg-{i}"), db)
        return job

    run_together(writer("web", world.ids["alex"]), writer("slack", world.ids["alex"]))
    session.rollback()  # a new read transaction: see what the threads committed
    versions = disc.history(session, d)
    assert len(versions) == 2 * PARTS  # one row per distinct message
    assert sorted(a.version for a in versions) == list(range(1, 2 * PARTS + 1))
    final = disc.current_answers(session, d)[("D/506/2119", "1.1")].text.split("\n\n")
    assert sorted(final) == sorted(f"{n}-{i}" for n in ("web", "slack") for i in range(PARTS))
    assert sum(1 for a in versions if a.superseded_by is None) == 1


def test_two_assessors_with_their_own_discussions_for_one_learner(db, session, world):
    access.assign(session, world.admin, world.bea, world.sam)
    mine = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    theirs = disc.start(session, world.bea, world.sam, "cg-pool", ["206"])
    session.commit()
    refs = ["1.1", "1.2", "1.3", "2.1", "2.2"]

    def assess(discussion_id: int, person_id: int, tag: str):
        def job():
            for ref in refs:
                for _ in range(2):  # double submit
                    transaction(lambda s: disc.record_answer(s, discussion_id, ref, f"{tag} {ref}", person_id,
                                                             f"{tag}-{ref}"), db)
                    transaction(lambda s: disc.decide(s, discussion_id, ref, "met", None, person_id,
                                                      client_msg_id=f"{tag}-d-{ref}"), db)
        return job

    jobs = assess(mine.id, world.ids["alex"], "A"), assess(theirs.id, world.ids["bea"], "B")
    run_together(*jobs)
    session.rollback()  # a new read transaction: see what the threads committed
    for d, tag in ((mine, "A"), (theirs, "B")):
        answers = disc.current_answers(session, d)
        assert {k[1]: a.text for k, a in answers.items()} == {r: f"{tag} {r}" for r in refs}
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.discussion_id == d.id)) == 5
        assert session.scalar(select(func.count()).select_from(Decision).where(Decision.discussion_id == d.id)) == 5
        assert disc.current(session, d) is None
