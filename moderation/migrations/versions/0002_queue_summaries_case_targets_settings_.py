"""queue summaries, case targets, settings, tokens, webhooks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:56:58.898156
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apitoken_token_hash'), ['token_hash'], unique=True)

    op.create_table('setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('casetarget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('original_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_id'], ['original.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'url')
    )
    with op.batch_alter_table('casetarget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_casetarget_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casetarget_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casetarget_original_id'), ['original_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_casetarget_url'), ['url'], unique=False)
        batch_op.create_index(batch_op.f('ix_casetarget_verdict'), ['verdict'], unique=False)

    op.create_table('webhookdelivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhookdelivery_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhookdelivery_event'), ['event'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhookdelivery_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhookdelivery_status'), ['status'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('supported_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('complete', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('putback_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('putback_at')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('complete')
        batch_op.drop_column('supported_count')
        batch_op.drop_column('target_count')

    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_status'))
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_event'))
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_case_id'))

    op.drop_table('webhookdelivery')
    with op.batch_alter_table('casetarget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_casetarget_verdict'))
        batch_op.drop_index(batch_op.f('ix_casetarget_url'))
        batch_op.drop_index(batch_op.f('ix_casetarget_original_id'))
        batch_op.drop_index(batch_op.f('ix_casetarget_case_id'))
        batch_op.drop_index(batch_op.f('ix_casetarget_article_id'))

    op.drop_table('casetarget')
    op.drop_table('setting')
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apitoken_token_hash'))

    op.drop_table('apitoken')
