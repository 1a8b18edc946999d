"""what an article was last matched against, so `match --all` can skip unchanged ones

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:15:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A digest of the article's text, the engine version and its candidate originals (with
    # their texts) at its last match; NULL means "never matched this way", so it is redone.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_key', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('match_key')
