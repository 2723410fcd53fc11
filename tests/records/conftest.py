"""Database fixtures shared by the records, discussion, API and export tests.

`db_url` runs a test on SQLite (a file in tmp_path) and on PostgreSQL (a schema of its own in
database "test", so parallel test runs never see each other); PostgreSQL is skipped only when
the server is not reachable. `db` is that URL migrated to head; `session` a Session on it.
"""
from __future__ import annotations

import os
import uuid

import pytest

from bot.records import planning
from bot.records.db import dispose, migrate, session_factory

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_connect():
    import psycopg

    return psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3,
                           autocommit=True)


def _pg_reachable() -> bool:
    try:
        _pg_connect().close()
        return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'records.db'}"
        yield url
        dispose(url)
        return
    if not _pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    yield url
    dispose(url)
    with _pg_connect() as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def db(db_url):
    migrate(db_url)
    return db_url


@pytest.fixture
def session(db):
    s = session_factory(db)()
    yield s
    s.close()


@pytest.fixture
def fake_catalogue():
    from tests.records.fakecat import FakeCatalogue

    cat = FakeCatalogue()
    planning.use_catalogue(cat)
    yield cat
    planning.use_catalogue(None)


class World:
    """An admin, two assessors and a learner (Sam Patel) enrolled on the C&G pool with Alex."""

    def __init__(self, session):
        from bot.records import enrolment, people

        self.admin = people.create_person(session, "Ada Admin", "admin")
        self.alex = people.create_person(session, "Alex Assessor", "assessor", actor=self.admin)
        self.bea = people.create_person(session, "Bea Assessor", "assessor", actor=self.admin)
        self.sam = people.get_or_create_person_for_identity(session, "slack", "U-SAM", "Sam Patel")
        self.enrolment = enrolment.enrol(session, self.sam, "cg-pool", self.alex)
        self.ids = {k: getattr(self, k).id for k in ("admin", "alex", "bea", "sam")}


@pytest.fixture
def world(session, fake_catalogue):
    return World(session)
