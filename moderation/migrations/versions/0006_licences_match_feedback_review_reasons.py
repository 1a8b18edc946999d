"""licences, match feedback, review reasons

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 15:48:07.114308
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('licence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('full_repost', sa.Boolean(), nullable=False),
    sa.Column('excerpt_limit', sa.Integer(), nullable=True),
    sa.Column('translation_allowed', sa.Boolean(), nullable=False),
    sa.Column('credit_wording', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('document_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['rawdocument.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publisher_id'], ['publisher.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('licence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_publisher_id'), ['publisher_id'], unique=False)

    op.create_table('matchfeedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('article_coverage', sa.Float(), nullable=False),
    sa.Column('engine_version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['original_id'], ['original.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'original_id')
    )
    with op.batch_alter_table('matchfeedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchfeedback_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchfeedback_original_id'), ['original_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchfeedback_verdict'), ['verdict'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reasons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('licence_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_case_licence_id_licence', 'licence', ['licence_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_case_licence_id_licence', type_='foreignkey')
        batch_op.drop_column('licence_id')
        batch_op.drop_column('reasons')

    with op.batch_alter_table('matchfeedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchfeedback_verdict'))
        batch_op.drop_index(batch_op.f('ix_matchfeedback_original_id'))
        batch_op.drop_index(batch_op.f('ix_matchfeedback_article_id'))

    op.drop_table('matchfeedback')
    with op.batch_alter_table('licence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_publisher_id'))

    op.drop_table('licence')
