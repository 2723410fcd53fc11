"""A signed record refuses writes in the database too (#14.4): a new answer or decision version on a
signed discussion is refused unless an amendment made it (answers.amendment_id, decisions.amendment_id),
and a signed discussion cannot be unsigned. The records layer re-checks inside the write's transaction
with the discussion's row locked; these triggers catch whatever does not go through it.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = ("answers", "decisions")
SIGNED = "this record is signed: only an amendment can change it"

SQLITE = [
    *(f"CREATE TRIGGER {t}_signed_guard BEFORE INSERT ON {t} WHEN NEW.amendment_id IS NULL AND "
      f"(SELECT status FROM discussions WHERE id = NEW.discussion_id) = 'signed' "
      f"BEGIN SELECT RAISE(ABORT, '{SIGNED}'); END" for t in TABLES),
    "CREATE TRIGGER discussions_stay_signed BEFORE UPDATE ON discussions "
    "WHEN OLD.status = 'signed' AND (NEW.status <> 'signed' OR NEW.signed_at IS NOT OLD.signed_at) "
    "BEGIN SELECT RAISE(ABORT, 'a signed record stays signed'); END",
]
# the share lock waits for a signature being written at this moment, then sees it
POSTGRESQL = [
    "CREATE FUNCTION signed_record_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.amendment_id IS NULL THEN "
    "PERFORM 1 FROM discussions WHERE id = NEW.discussion_id FOR SHARE; "
    "IF (SELECT status FROM discussions WHERE id = NEW.discussion_id) = 'signed' THEN "
    f"RAISE EXCEPTION '{SIGNED}' USING ERRCODE = 'check_violation'; END IF; END IF; "
    "RETURN NEW; END $$",
    *(f"CREATE TRIGGER {t}_signed_guard BEFORE INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION signed_record_guard()"
      for t in TABLES),
    "CREATE FUNCTION discussions_stay_signed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF OLD.status = 'signed' AND (NEW.status <> 'signed' OR NEW.signed_at IS DISTINCT FROM OLD.signed_at) THEN "
    "RAISE EXCEPTION 'a signed record stays signed' USING ERRCODE = 'check_violation'; END IF; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER discussions_stay_signed BEFORE UPDATE ON discussions "
    "FOR EACH ROW EXECUTE FUNCTION discussions_stay_signed()",
]


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f(f'fk_{table}_amendment_id_amendments'), 'amendments', ['amendment_id'], ['id'])
    for statement in (POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_signed_guard ON {table}")
        op.execute("DROP TRIGGER discussions_stay_signed ON discussions")
        op.execute("DROP FUNCTION signed_record_guard()")
        op.execute("DROP FUNCTION discussions_stay_signed()")
    else:
        for name in ("answers_signed_guard", "decisions_signed_guard", "discussions_stay_signed"):
            op.execute(f"DROP TRIGGER {name}")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'fk_{table}_amendment_id_amendments'), type_='foreignkey')
            batch.drop_column('amendment_id')
