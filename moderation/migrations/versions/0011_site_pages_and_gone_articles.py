"""site pages followed by the desk; articles whose page is gone

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sitepage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=True),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column('last_modified', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column('lastmod', sa.DateTime(timezone=True), nullable=True),
        sa.Column('moved_to', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column('listed_in', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['article_id'], ['article.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sitepage_url', 'sitepage', ['url'], unique=True)
    op.create_index('ix_sitepage_article_id', 'sitepage', ['article_id'], unique=False)
    op.create_index('ix_sitepage_state', 'sitepage', ['state'], unique=False)
    op.create_index('ix_sitepage_listed_in', 'sitepage', ['listed_in'], unique=False)
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gone_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('gone_at')
    op.drop_index('ix_sitepage_listed_in', table_name='sitepage')
    op.drop_index('ix_sitepage_state', table_name='sitepage')
    op.drop_index('ix_sitepage_article_id', table_name='sitepage')
    op.drop_index('ix_sitepage_url', table_name='sitepage')
    op.drop_table('sitepage')
