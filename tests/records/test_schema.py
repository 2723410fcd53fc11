"""The migrations create exactly what the models describe, on both backends."""
from __future__ import annotations

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
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
        tables = set(inspect(connection).get_table_names())
    assert {"people", "identities", "api_tokens", "enrolments", "unit_statuses", "audit_entries", "discussions",
            "planned_criteria", "answers", "decisions", "sign_offs", "amendments", "turns"} <= tables


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
    assert dbmod.database_url() == f"sqlite:///{dbmod.REPO / 'var' / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@h/db")
    assert dbmod.database_url() == "postgresql+psycopg://x@h/db"
    assert dbmod.database_url("sqlite:///other.db") == "sqlite:///other.db"
