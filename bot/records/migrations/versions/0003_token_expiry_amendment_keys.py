"""API tokens expire and say where they came from (#14.7); amendments carry a de-duplication key (#14.11).

Tokens issued before this migration expire 90 days after they were issued (the default of
API_TOKEN_DAYS), so no token is left without an end.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from datetime import timedelta

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('label', sa.String(length=40), nullable=True))
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer()), sa.column('created_at', sa.DateTime(timezone=True)),
                      sa.column('expires_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(tokens.update().where(tokens.c.id == token_id)
                           .values(expires_at=created_at + timedelta(days=90)))
    # tokens the API made from API_ADMIN_TOKEN (its audit entry says so): revoked when that setting changes
    audit = sa.table('audit_entries', sa.column('action', sa.String()), sa.column('entity_id', sa.String()),
                     sa.column('detail', sa.JSON()))
    labels = sa.table('api_tokens', sa.column('id', sa.Integer()), sa.column('label', sa.String()))
    for entity_id, detail in connection.execute(sa.select(audit.c.entity_id, audit.c.detail)
                                                .where(audit.c.action == 'token.issue')).all():
        if (detail or {}).get('via') == 'API_ADMIN_TOKEN' and str(entity_id).isdigit():
            connection.execute(labels.update().where(labels.c.id == int(entity_id)).values(label='API_ADMIN_TOKEN'))
    with op.batch_alter_table('api_tokens') as batch:
        batch.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    with op.batch_alter_table('amendments') as batch:
        batch.add_column(sa.Column('client_msg_id', sa.String(length=200), nullable=True))
        batch.create_unique_constraint('uq_amendments_discussion_id_client_msg_id', ['discussion_id', 'client_msg_id'])


def downgrade() -> None:
    with op.batch_alter_table('amendments') as batch:
        batch.drop_constraint('uq_amendments_discussion_id_client_msg_id', type_='unique')
        batch.drop_column('client_msg_id')
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('label')
        batch.drop_column('expires_at')
