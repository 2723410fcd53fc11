"""The audit log is append-only, and every service write adds to it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.records import audit, discussion as disc, enrolment, people
from bot.records.audit import AuditTampering
from bot.records.db import engine_for
from bot.records.models import AuditEntry

RECORDS = Path(__file__).resolve().parents[2] / "bot" / "records"


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


def test_every_write_is_audited(session, world):
    steps = [
        lambda: people.issue_token(session, world.sam),
        lambda: enrolment.set_unit_status(session, world.enrolment, "206", "claimed", world.sam),
        lambda: disc.start(session, world.alex, world.sam, "cg-pool", ["206"]),
        lambda: disc.record_answer(session, 1, "1.1", "Answer", world.alex),
        lambda: disc.decide(session, 1, "1.1", "met", None, world.alex),
        lambda: disc.goto(session, 1, "2.1", by=world.alex),
        lambda: disc.back(session, 1, by=world.alex),
        lambda: disc.pause(session, 1, world.alex),
        lambda: disc.resume(session, 1, world.alex),
        lambda: disc.set_pending(session, 1, {"kind": "reason"}, by=world.alex),
        lambda: disc.finish(session, 1, world.alex),
        lambda: disc.sign(session, 1, world.alex, "assessor"),
        lambda: disc.sign(session, 1, world.sam, "learner", by=world.alex),
        lambda: disc.amend(session, 1, "1.1", "answer", "Better", "typo", world.alex),
        lambda: disc.mark_achieved_if_complete(session, 1),  # nothing complete: no write, no entry
    ]
    before = count(session)
    growth = []
    for step in steps:
        step()
        after = count(session)
        growth.append(after - before)
        before = after
    assert growth == [1] * 14 + [0]


def test_database_refuses_update_and_delete(db, session, world):
    assert count(session) > 0
    for statement in ("UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries"):
        with engine_for(db).connect() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text(statement))
            connection.rollback()
    assert "forged" not in {e.action for e in audit.entries(session)}


def test_orm_refuses_changes_to_entries(session, world):
    entry = audit.entries(session)[0]
    entry.action = "forged"
    with pytest.raises(AuditTampering):
        session.flush()
    session.rollback()
    session.delete(audit.entries(session)[0])
    with pytest.raises(AuditTampering):
        session.flush()
    session.rollback()
    assert audit.entries(session)[0].action == "person.create"


def test_service_layer_has_no_path_that_changes_entries():
    """Only audit.py touches AuditEntry, and it only ever adds: no update, delete, merge or raw SQL."""
    for path in RECORDS.glob("*.py"):
        if path.name in ("audit.py", "models.py"):
            continue
        code = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(code) if isinstance(n, ast.Name)} | \
                {a.name for n in ast.walk(code) if isinstance(n, ast.ImportFrom) for a in n.names}
        strings = [n.value for n in ast.walk(code) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert "AuditEntry" not in names, path.name
        assert not any("audit_entries" in s.lower() for s in strings), path.name
    tree = ast.parse((RECORDS / "audit.py").read_text(encoding="utf-8"))
    calls = {node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert not calls & {"delete", "update", "merge", "execute", "bulk_update_mappings", "values"}
    assert "add" in calls
