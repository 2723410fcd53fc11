"""A record signed between read and write refuses the write (#14.4), on SQLite and PostgreSQL:
the records layer checks again inside the write's transaction with the discussion's row locked,
and the database's triggers (migration 0005) refuse whatever does not go through it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.domain.errors import Conflict
from bot.records import discussion as disc
from bot.records.db import session_factory, transaction
from bot.records.models import Answer, Decision


@pytest.fixture
def did(session, world):
    d = disc.start(session, world.alex, world.sam, "cg-pool", ["206"])
    disc.record_answer(session, d, "1.1", "I slow down and check.", world.alex)
    session.commit()
    return d.id


def _sign_elsewhere(db, did, alex):
    """Another unit of work (another session, another connection) signs and commits."""
    transaction(lambda other: disc.sign(other, did, alex, "assessor"), db)


def _write(s, d, write: str, alex: int):
    if write == "answer":
        return disc.record_answer(s, d, "1.2", "A late answer.", alex)
    if write == "decision":
        return disc.decide(s, d, "1.1", "met", None, alex)
    return disc.finish(s, d, by=alex)


@pytest.mark.parametrize("write", ["answer", "decision", "finish"])
def test_a_signature_between_read_and_write_refuses_the_write(db, world, did, write):
    alex = world.ids["alex"]
    with session_factory(db)() as s:  # as an API request's session: it reads, then writes
        d = disc.get(s, did)
        assert d.status == "open"
        _sign_elsewhere(db, did, alex)  # meanwhile another session signs and commits
        if db.startswith("sqlite"):
            # SQLite refuses a write from a snapshot older than the signature; the unit of work runs
            # again (bot.records.db.transaction; the API answers 409) and then sees it
            with pytest.raises(OperationalError, match="database is locked"):
                _write(s, d, write, alex)
            s.rollback()
        # PostgreSQL: the re-check under the row lock sees the signature on the first attempt
        with pytest.raises(Conflict, match="This record was signed off"):
            _write(s, d, write, alex)
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 1
        assert s.scalar(select(func.count()).select_from(Decision)) == 0
        assert disc.get(s, did).status == "signed"


def test_the_database_refuses_a_version_on_a_signed_record(db, world, did):
    _sign_elsewhere(db, did, world.ids["alex"])
    with session_factory(db)() as s:
        for row in (Answer(discussion_id=did, unit_ref="D/506/2119", criterion_ref="1.2", text="forged",
                           recorded_by=world.ids["alex"], version=1),
                    Decision(discussion_id=did, unit_ref="D/506/2119", criterion_ref="1.1", outcome="met",
                             decided_by=world.ids["alex"], version=1)):
            s.add(row)
            with pytest.raises(IntegrityError, match="only an amendment can change it"):
                s.flush()
            s.rollback()
        with pytest.raises(IntegrityError, match="a signed record stays signed"):
            s.execute(text("UPDATE discussions SET status = 'open' WHERE id = :id"), {"id": did})
        s.rollback()
    with session_factory(db)() as s:  # an amendment still can
        disc.amend(s, did, "1.1", "answer", "I slow down, check and summarise.", "Typed in a hurry.", world.ids["alex"])
        s.commit()
        answer = disc.current_answers(s, did)[("D/506/2119", "1.1")]
        assert answer.amendment_id == disc.amendments(s, did)[0].id and answer.version == 2
