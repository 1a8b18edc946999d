"""what letters ask: payment demands, amounts, deadlines, the reasons for a kind, field sources

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        # False for the notices read before: the queue's payment filter shows none of them.
        batch_op.add_column(sa.Column('asks_payment', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('amount', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('kind_reasons', JSON, nullable=True))
        batch_op.add_column(sa.Column('field_sources', JSON, nullable=True))
        batch_op.add_column(sa.Column('uncertain', JSON, nullable=True))
        batch_op.create_index('ix_notice_asks_payment', ['asks_payment'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_asks_payment')
        for column in ('uncertain', 'field_sources', 'kind_reasons', 'deadline_at', 'currency',
                       'amount', 'asks_payment'):
            batch_op.drop_column(column)
