"""claimant and status index for the claimant's record

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 19:05:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The case page counts a claimant's notices by outcome; a frequent claimant has hundreds,
    # which this index answers without reading the cases.
    op.create_index('ix_case_claimant_status', 'case', ['claimant_email', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_claimant_status', table_name='case')
