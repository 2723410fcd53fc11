"""Imported catalogue documents (#17.4): one row per imported version of a qualification.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalogue_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['people.id'], name=op.f('fk_catalogue_documents_imported_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_documents')),
    sa.UniqueConstraint('source_id', 'version', name='uq_catalogue_documents_source_id_version')
    )
    op.create_index(op.f('ix_catalogue_documents_source_id'), 'catalogue_documents', ['source_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_catalogue_documents_source_id'), table_name='catalogue_documents')
    op.drop_table('catalogue_documents')
