"""Failed sign-in attempts in the store, so every web process shares the limits.

Revision ID: 0012_signin_attempts
Revises: 0011_follow_names
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0012_signin_attempts"
down_revision = "0011_follow_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signin_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("attempted_at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_signin_attempts_key_hash_attempted_at",
        "signin_attempts",
        ["key_hash", "attempted_at"],
    )
    op.create_index("ix_signin_attempts_attempted_at", "signin_attempts", ["attempted_at"])


def downgrade() -> None:
    op.drop_index("ix_signin_attempts_attempted_at", "signin_attempts")
    op.drop_index("ix_signin_attempts_key_hash_attempted_at", "signin_attempts")
    op.drop_table("signin_attempts")
