"""photos and article images

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:23:48.821919
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('publisher_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('credit', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('creator', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('copyright', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.LargeBinary(), nullable=True),
    sa.Column('raw_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('warnings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['mailmessage.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['publisher_id'], ['publisher.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raw_id'], ['rawdocument.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photo_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_publisher_id'), ['publisher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_photo_url'), ['url'], unique=False)

    op.create_table('articleimage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('alt', sa.Text(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('credit_line', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('embedded', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.LargeBinary(), nullable=True),
    sa.Column('raw_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raw_id'], ['rawdocument.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('article_id', 'position')
    )
    with op.batch_alter_table('articleimage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articleimage_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_articleimage_photo_id'), ['photo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_articleimage_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_articleimage_url'), ['url'], unique=False)

    with op.batch_alter_table('licence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photos', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('licence', schema=None) as batch_op:
        batch_op.drop_column('photos')

    with op.batch_alter_table('articleimage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articleimage_url'))
        batch_op.drop_index(batch_op.f('ix_articleimage_sha256'))
        batch_op.drop_index(batch_op.f('ix_articleimage_photo_id'))
        batch_op.drop_index(batch_op.f('ix_articleimage_article_id'))

    op.drop_table('articleimage')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_url'))
        batch_op.drop_index(batch_op.f('ix_photo_sha256'))
        batch_op.drop_index(batch_op.f('ix_photo_publisher_id'))
        batch_op.drop_index(batch_op.f('ix_photo_origin'))
        batch_op.drop_index(batch_op.f('ix_photo_message_id'))

    op.drop_table('photo')
