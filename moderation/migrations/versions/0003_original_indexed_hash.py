"""original indexed hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 14:00:39.280118
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('original', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indexed_hash', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('original', schema=None) as batch_op:
        batch_op.drop_column('indexed_hash')

