"""a decision can be about one photo of a page: removed or replaced, the text kept

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 22:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('image_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('replacement', sa.String(length=2000), nullable=True))
        batch_op.create_index(batch_op.f('ix_decision_image_id'), ['image_id'], unique=False)
        batch_op.create_foreign_key('fk_decision_image_id_articleimage', 'articleimage',
                                    ['image_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('articleimage', schema=None) as batch_op:
        # "shown" until a decision removes or replaces the picture on our page.
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False,
                                      server_default='shown'))
        batch_op.add_column(sa.Column('replacement', sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articleimage', schema=None) as batch_op:
        batch_op.drop_column('replacement')
        batch_op.drop_column('status')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint('fk_decision_image_id_articleimage', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decision_image_id'))
        batch_op.drop_column('replacement')
        batch_op.drop_column('image_url')
        batch_op.drop_column('image_id')
