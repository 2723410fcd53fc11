"""Alembic environment: uses the connection handed over by bot.records.db.migrate,
or opens one on DATABASE_URL when run from the alembic command line."""
from __future__ import annotations

from alembic import context

from bot.records.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from bot.records.db import engine_for, migration_connection

    with migration_connection(engine_for()) as conn:
        _run(conn)
