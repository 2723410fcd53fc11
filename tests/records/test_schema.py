"""The migrations create exactly what the models describe, on both backends."""
from __future__ import annotations

import uuid

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.records.db import engine_for, migrate, new_engine
from bot.records.models import Base


def test_models_match_migrations(db):
    with engine_for(db).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_is_idempotent_and_at_head(db):
    migrate(db)
    migrate(db)
    with engine_for(db).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
        tables = set(inspect(connection).get_table_names())
    assert {"people", "identities", "api_tokens", "enrolments", "unit_statuses", "audit_entries", "discussions",
            "planned_criteria", "answers", "decisions", "sign_offs", "amendments", "turns", "catalogue_documents"} <= tables


def test_sqlite_creates_its_directory_and_uses_wal_and_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'var' / 'nested' / 'assistant.db'}"
    engine = new_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert (tmp_path / "var" / "nested").is_dir()
    finally:
        engine.dispose()


def test_default_url_is_sqlite_under_var(monkeypatch):
    from bot.records import db as dbmod

    monkeypatch.delenv("DATABASE_URL", raising=False)
    from bot.settings import REPO

    assert dbmod.database_url() == f"sqlite:///{REPO / 'var' / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@h/db")
    assert dbmod.database_url() == "postgresql+psycopg://x@h/db"
    assert dbmod.database_url("sqlite:///other.db") == "sqlite:///other.db"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_downgrade_and_upgrade_again(backend, tmp_path):
    """The migration runs from empty, back to empty (triggers and all) and up again."""
    from alembic import command
    from alembic.config import Config

    from bot.records.db import ALEMBIC_INI, dispose

    from tests.records.conftest import PG_URL, _drop_schema, _pg_connect, _pg_reachable

    if backend == "sqlite":
        url, schema = f"sqlite:///{tmp_path / 'roundtrip.db'}", None
    else:
        if not _pg_reachable():
            pytest.skip("PostgreSQL not reachable")
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with _pg_connect() as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        migrate(url)
        config = Config(str(ALEMBIC_INI))
        with engine_for(url).begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        with engine_for(url).connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        migrate(url)
        with engine_for(url).connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        dispose(url)
        if schema:
            _drop_schema(schema)
