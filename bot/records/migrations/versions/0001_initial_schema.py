"""Initial schema: people, identities, tokens, enrolments, unit progress, audit log,
professional discussions (plan, answers, decisions, sign-offs, amendments, turns).

The audit log is append-only at the database level: triggers refuse UPDATE and DELETE.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:23:02.311879
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$",
    "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
]


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('learner', 'assessor', 'admin')", name=op.f('ck_people_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_api_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_index(op.f('ix_api_tokens_person_id'), 'api_tokens', ['person_id'], unique=False)
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=60), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_audit_entries_actor_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    op.create_index(op.f('ix_audit_entries_at'), 'audit_entries', ['at'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE:
        op.execute(statement)
    op.create_table('discussions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=40), nullable=False),
    sa.Column('unit_refs', sa.JSON(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_unit', sa.String(length=40), nullable=True),
    sa.Column('current_ref', sa.String(length=20), nullable=True),
    sa.Column('pending', sa.JSON(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'paused', 'finished', 'signed')", name=op.f('ck_discussions_status')),
    sa.ForeignKeyConstraint(['assessor_id'], ['people.id'], name=op.f('fk_discussions_assessor_id_people')),
    sa.ForeignKeyConstraint(['learner_id'], ['people.id'], name=op.f('fk_discussions_learner_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussions'))
    )
    op.create_index(op.f('ix_discussions_assessor_id'), 'discussions', ['assessor_id'], unique=False)
    op.create_index(op.f('ix_discussions_learner_id'), 'discussions', ['learner_id'], unique=False)
    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=40), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['people.id'], name=op.f('fk_enrolments_assessor_id_people')),
    sa.ForeignKeyConstraint(['learner_id'], ['people.id'], name=op.f('fk_enrolments_learner_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('learner_id', 'source_id', name='uq_enrolments_learner_id_source_id')
    )
    op.create_index(op.f('ix_enrolments_learner_id'), 'enrolments', ['learner_id'], unique=False)
    op.create_table('identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.CheckConstraint("channel IN ('slack', 'teams', 'web', 'rest')", name=op.f('ck_identities_channel')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_identities_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identities')),
    sa.UniqueConstraint('channel', 'external_id', name='uq_identities_channel_external_id')
    )
    op.create_index(op.f('ix_identities_person_id'), 'identities', ['person_id'], unique=False)
    op.create_table('amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('unit_ref', sa.String(length=40), nullable=True),
    sa.Column('criterion_ref', sa.String(length=20), nullable=True),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('amended_by', sa.Integer(), nullable=False),
    sa.Column('amended_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amended_by'], ['people.id'], name=op.f('fk_amendments_amended_by_people')),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_amendments_discussion_id_discussions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments'))
    )
    op.create_index(op.f('ix_amendments_discussion_id'), 'amendments', ['discussion_id'], unique=False)
    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('unit_ref', sa.String(length=40), nullable=False),
    sa.Column('criterion_ref', sa.String(length=20), nullable=False),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.Column('client_msg_id', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_answers_discussion_id_discussions')),
    sa.ForeignKeyConstraint(['recorded_by'], ['people.id'], name=op.f('fk_answers_recorded_by_people')),
    sa.ForeignKeyConstraint(['superseded_by'], ['answers.id'], name=op.f('fk_answers_superseded_by_answers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('discussion_id', 'client_msg_id', name='uq_answers_discussion_id_client_msg_id'),
    sa.UniqueConstraint('discussion_id', 'unit_ref', 'criterion_ref', 'version', name='uq_answers_version')
    )
    op.create_index(op.f('ix_answers_discussion_id'), 'answers', ['discussion_id'], unique=False)
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('unit_ref', sa.String(length=40), nullable=False),
    sa.Column('criterion_ref', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.Column('client_msg_id', sa.String(length=200), nullable=True),
    sa.CheckConstraint("outcome IN ('met', 'not_yet_met', 'skipped')", name=op.f('ck_decisions_outcome')),
    sa.ForeignKeyConstraint(['decided_by'], ['people.id'], name=op.f('fk_decisions_decided_by_people')),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_decisions_discussion_id_discussions')),
    sa.ForeignKeyConstraint(['superseded_by'], ['decisions.id'], name=op.f('fk_decisions_superseded_by_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('discussion_id', 'client_msg_id', name='uq_decisions_discussion_id_client_msg_id'),
    sa.UniqueConstraint('discussion_id', 'unit_ref', 'criterion_ref', 'version', name='uq_decisions_version')
    )
    op.create_index(op.f('ix_decisions_discussion_id'), 'decisions', ['discussion_id'], unique=False)
    op.create_table('planned_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('unit_ref', sa.String(length=40), nullable=False),
    sa.Column('criterion_ref', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('criterion_text', sa.Text(), nullable=False),
    sa.Column('outcome_ref', sa.String(length=20), nullable=True),
    sa.Column('outcome_text', sa.Text(), nullable=True),
    sa.Column('pd_listed', sa.Boolean(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.Column('guidance', sa.Text(), nullable=True),
    sa.Column('citation', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_planned_criteria_discussion_id_discussions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_criteria')),
    sa.UniqueConstraint('discussion_id', 'position', name='uq_planned_criteria_discussion_id_position'),
    sa.UniqueConstraint('discussion_id', 'unit_ref', 'criterion_ref', name='uq_planned_criteria_discussion_unit_criterion')
    )
    op.create_index(op.f('ix_planned_criteria_discussion_id'), 'planned_criteria', ['discussion_id'], unique=False)
    op.create_table('sign_offs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('declaration', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('assessor', 'learner')", name=op.f('ck_sign_offs_role')),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_sign_offs_discussion_id_discussions')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_offs_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by'], ['people.id'], name=op.f('fk_sign_offs_recorded_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_offs')),
    sa.UniqueConstraint('discussion_id', 'role', name='uq_sign_offs_discussion_id_role')
    )
    op.create_index(op.f('ix_sign_offs_discussion_id'), 'sign_offs', ['discussion_id'], unique=False)
    op.create_table('turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('client_msg_id', sa.String(length=200), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_turns_actor_id_people')),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_turns_discussion_id_discussions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turns')),
    sa.UniqueConstraint('discussion_id', 'client_msg_id', name='uq_turns_discussion_id_client_msg_id')
    )
    op.create_index(op.f('ix_turns_discussion_id'), 'turns', ['discussion_id'], unique=False)
    op.create_table('unit_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('unit_ref', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'claimed', 'achieved')", name=op.f('ck_unit_statuses_status')),
    sa.ForeignKeyConstraint(['confirmed_by'], ['people.id'], name=op.f('fk_unit_statuses_confirmed_by_people')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_unit_statuses_enrolment_id_enrolments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_statuses')),
    sa.UniqueConstraint('enrolment_id', 'unit_ref', name='uq_unit_statuses_enrolment_id_unit_ref')
    )
    op.create_index(op.f('ix_unit_statuses_enrolment_id'), 'unit_statuses', ['enrolment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_unit_statuses_enrolment_id'), table_name='unit_statuses')
    op.drop_table('unit_statuses')
    op.drop_index(op.f('ix_turns_discussion_id'), table_name='turns')
    op.drop_table('turns')
    op.drop_index(op.f('ix_sign_offs_discussion_id'), table_name='sign_offs')
    op.drop_table('sign_offs')
    op.drop_index(op.f('ix_planned_criteria_discussion_id'), table_name='planned_criteria')
    op.drop_table('planned_criteria')
    op.drop_index(op.f('ix_decisions_discussion_id'), table_name='decisions')
    op.drop_table('decisions')
    op.drop_index(op.f('ix_answers_discussion_id'), table_name='answers')
    op.drop_table('answers')
    op.drop_index(op.f('ix_amendments_discussion_id'), table_name='amendments')
    op.drop_table('amendments')
    op.drop_index(op.f('ix_identities_person_id'), table_name='identities')
    op.drop_table('identities')
    op.drop_index(op.f('ix_enrolments_learner_id'), table_name='enrolments')
    op.drop_table('enrolments')
    op.drop_index(op.f('ix_discussions_learner_id'), table_name='discussions')
    op.drop_index(op.f('ix_discussions_assessor_id'), table_name='discussions')
    op.drop_table('discussions')
    op.drop_index(op.f('ix_audit_entries_at'), table_name='audit_entries')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_append_only()")
    op.drop_table('audit_entries')
    op.drop_index(op.f('ix_api_tokens_person_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
    op.drop_table('people')
