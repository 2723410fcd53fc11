"""Signing order and amendments that undo later signatures (#14.5): a sign-off can be marked as no
longer holding (invalidated_at, and the amendment that caused it), and the one-signature-per-role rule
now counts only the signatures that still hold, so the learner (and an IQA) can sign the amended record.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

HOLDING = sa.text("invalidated_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('sign_offs') as batch:
        batch.drop_constraint('uq_sign_offs_discussion_id_role', type_='unique')
        batch.add_column(sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('invalidated_by', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_sign_offs_invalidated_by_amendments'), 'amendments', ['invalidated_by'], ['id'])
    op.create_index('uq_sign_offs_discussion_id_role_holding', 'sign_offs', ['discussion_id', 'role'], unique=True,
                    sqlite_where=HOLDING, postgresql_where=HOLDING)


def downgrade() -> None:
    op.drop_index('uq_sign_offs_discussion_id_role_holding', table_name='sign_offs')
    op.execute("DELETE FROM sign_offs WHERE invalidated_at IS NOT NULL")
    with op.batch_alter_table('sign_offs') as batch:
        batch.drop_constraint(op.f('fk_sign_offs_invalidated_by_amendments'), type_='foreignkey')
        batch.drop_column('invalidated_by')
        batch.drop_column('invalidated_at')
        batch.create_unique_constraint('uq_sign_offs_discussion_id_role', ['discussion_id', 'role'])
