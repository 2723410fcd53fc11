"""Assignments (#14.3): which learners each assessor may reach, set by an admin; the iqa role,
who reads across assessors and may sign a record after its learner.

Existing enrolments with an assessor become assignments. A discussion an assessor ran does not:
running one discussion no longer opens a learner's records.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ROLES_BEFORE, ROLES_AFTER = "('learner', 'assessor', 'admin')", "('learner', 'assessor', 'iqa', 'admin')"
SIGN_BEFORE, SIGN_AFTER = "('assessor', 'learner')", "('assessor', 'learner', 'iqa')"


def _check(table: str, name: str, values: str) -> None:
    # SQLite rebuilds the table (batch mode; bot.records.db.migrate turns foreign keys off for it)
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch.create_check_constraint(op.f(f'ck_{table}_{name}'), f"{name} IN {values}")


def upgrade() -> None:
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['people.id'], name=op.f('fk_assignments_assessor_id_people')),
    sa.ForeignKeyConstraint(['assigned_by'], ['people.id'], name=op.f('fk_assignments_assigned_by_people')),
    sa.ForeignKeyConstraint(['learner_id'], ['people.id'], name=op.f('fk_assignments_learner_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('assessor_id', 'learner_id', name='uq_assignments_assessor_id_learner_id')
    )
    op.create_index(op.f('ix_assignments_assessor_id'), 'assignments', ['assessor_id'], unique=False)
    op.create_index(op.f('ix_assignments_learner_id'), 'assignments', ['learner_id'], unique=False)
    op.execute("INSERT INTO assignments (assessor_id, learner_id, assigned_at) "
               "SELECT DISTINCT assessor_id, learner_id, CURRENT_TIMESTAMP FROM enrolments WHERE assessor_id IS NOT NULL")
    _check('people', 'role', ROLES_AFTER)
    _check('sign_offs', 'role', SIGN_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM sign_offs WHERE role = 'iqa'")
    _check('sign_offs', 'role', SIGN_BEFORE)
    _check('people', 'role', ROLES_BEFORE)
    op.drop_index(op.f('ix_assignments_learner_id'), table_name='assignments')
    op.drop_index(op.f('ix_assignments_assessor_id'), table_name='assignments')
    op.drop_table('assignments')
