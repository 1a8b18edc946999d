"""partial index for the open queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 15:04:21.184818
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        # With it, SQLite reads every open case through (status, due_at) and sorts them;
        # without it, the partial index below serves the queue in page order.
        batch_op.drop_index('ix_case_status_due')
        batch_op.create_index('ix_case_open_due', ['due_at', 'id'], unique=False, postgresql_where=sa.text("status IN ('new', 'open', 'in_review', 'needs_info', 'counter_notice')"), sqlite_where=sa.text("status IN ('new', 'open', 'in_review', 'needs_info', 'counter_notice')"))



def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_status_due', ['status', 'due_at'], unique=False)
        batch_op.drop_index('ix_case_open_due', postgresql_where=sa.text("status IN ('new', 'open', 'in_review', 'needs_info', 'counter_notice')"), sqlite_where=sa.text("status IN ('new', 'open', 'in_review', 'needs_info', 'counter_notice')"))

