"""The migrations create exactly what the models describe, on both backends."""
from __future__ import annotations

import uuid

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.records.db import ALEMBIC_INI, engine_for, migrate, migration_connection, new_engine
from bot.records.models import Base


def test_models_match_migrations(db):
    with engine_for(db).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def _head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(ALEMBIC_INI.parent / "migrations")).get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


def test_migrate_is_idempotent_and_at_head(db):
    migrate(db)
    migrate(db)
    with engine_for(db).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head()
        tables = set(inspect(connection).get_table_names())
    assert {"people", "identities", "api_tokens", "enrolments", "unit_statuses", "audit_entries", "discussions",
            "planned_criteria", "answers", "decisions", "sign_offs", "amendments", "turns", "catalogue_documents",
            "assignments"} <= tables


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


def test_0003_gives_earlier_tokens_an_expiry_and_finds_the_admin_token(tmp_path):
    """Tokens issued before 0003 expire 90 days after issue; the one made from API_ADMIN_TOKEN is labelled."""
    from datetime import datetime, timedelta, timezone

    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = new_engine(url)
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    issued = datetime(2026, 1, 1, tzinfo=timezone.utc)
    try:
        with migration_connection(engine) as connection:  # as migrate() runs them (SQLite rebuilds tables)
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
            connection.execute(text("INSERT INTO people (id, display_name, role, created_at) "
                                    "VALUES (1, 'Administrator', 'admin', :at)"), {"at": issued})
            for token_id in (1, 2):
                connection.execute(text("INSERT INTO api_tokens (id, person_id, token_hash, created_at) "
                                        "VALUES (:id, 1, :hash, :at)"), {"id": token_id, "hash": f"h{token_id}", "at": issued})
            connection.execute(text("INSERT INTO audit_entries (at, actor_id, action, entity, entity_id, detail) VALUES "
                                    "(:at, 1, 'token.issue', 'api_token', '1', :detail)"),
                               {"at": issued, "detail": '{"person_id": 1, "via": "API_ADMIN_TOKEN"}'})
            command.upgrade(config, "head")
            rows = connection.execute(text("SELECT id, expires_at, label FROM api_tokens ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [(r.id, r.label) for r in rows] == [(1, "API_ADMIN_TOKEN"), (2, None)]
    assert all(str(r.expires_at).startswith(str((issued + timedelta(days=90)).date())) for r in rows)
