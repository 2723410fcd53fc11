"""Database fixtures shared by the records, discussion, API and export tests.

`db_url` runs a test on SQLite (a file in tmp_path) and on PostgreSQL (a schema of this run's own
in database "test", so parallel test runs never see each other); PostgreSQL is skipped only when
the server is not reachable. Both are migrated from empty once per run and handed to each test
empty. `db` is that URL after migrate() (a no-op, as at start-up); `session` a Session on it.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from bot.records.db import dispose, engine_for, migrate, session_factory
from bot.records.models import Base

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


# Built once per test run, on first use. Module state rather than session fixtures, so that other
# test packages can import `db_url` alone.
_built: dict[str, object] = {}


def _sqlite_template() -> Path:
    """One SQLite file migrated from empty to head; each test gets a copy (migrating is slow)."""
    if "sqlite" not in _built:
        folder = Path(tempfile.mkdtemp(prefix="records-template-"))
        atexit.register(shutil.rmtree, folder, True)
        url = f"sqlite:///{folder / 'records.db'}"
        migrate(url)
        with engine_for(url).connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file
        dispose(url)
        _built["sqlite"] = folder / "records.db"
    return _built["sqlite"]  # type: ignore[return-value]


def _drop_schema(schema: str) -> None:
    with _pg_connect() as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _pg_schema() -> str | None:
    """A schema of this test run's own, migrated from empty to head once; None if no server."""
    if "postgresql" not in _built:
        if not _pg_reachable():
            _built["postgresql"] = None
        else:
            schema = f"t_{uuid.uuid4().hex[:16]}"
            with _pg_connect() as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            url = f"{PG_URL}?options=-csearch_path%3D{schema}"
            atexit.register(_drop_schema, schema)
            atexit.register(dispose, url)  # runs first: close connections before the drop
            migrate(url)
            _built["postgresql"] = url
    return _built["postgresql"]  # type: ignore[return-value]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A database at head with no rows. (migrate() on it is a no-op, as at every start-up.)"""
    if request.param == "sqlite":
        path = tmp_path / "records.db"
        shutil.copyfile(_sqlite_template(), path)
        url = f"sqlite:///{path}"
        yield url
        dispose(url)
        return
    url = _pg_schema()
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    with engine_for(url).begin() as connection:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
        # the test harness may empty the audit log: replica mode skips its append-only triggers
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for table in reversed(Base.metadata.sorted_tables):
            connection.exec_driver_sql(f'DELETE FROM "{table.name}"')
        for table in Base.metadata.sorted_tables:
            connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), 1, false)")
    yield url
    dispose(url)


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
def fake_catalogue(monkeypatch):
    from bot.records import catalogue as catalogues
    from tests.records.fakecat import FakeCatalogue

    cat = FakeCatalogue()
    monkeypatch.setattr(catalogues, "current", lambda where=None: cat)
    return cat


class World:
    """An admin, two assessors and a learner (Sam Patel) enrolled on the C&G pool with Alex."""

    def __init__(self, session):
        from bot.records import enrolment, people

        self.admin = people.create_person(session, "Ada Admin", "admin")
        self.alex = people.create_person(session, "Alex Assessor", "assessor", actor=self.admin)
        self.bea = people.create_person(session, "Bea Assessor", "assessor", actor=self.admin)
        self.sam = people.get_or_create_person_for_identity(session, "slack", "U-SAM", "Sam Patel")
        self.enrolment = enrolment.enrol(session, self.sam, "cg-pool", self.alex, actor=self.admin)
        self.ids = {k: getattr(self, k).id for k in ("admin", "alex", "bea", "sam")}
        session.commit()  # records services only flush: the unit of work (here the test) commits


@pytest.fixture
def world(session, fake_catalogue):
    return World(session)
