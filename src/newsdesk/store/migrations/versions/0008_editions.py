"""Editions: per-user edition times and the outbox that sends each edition exactly once.

Revision ID: 0008_editions
Revises: 0007_read_state
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0008_editions"
down_revision = "0007_read_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edition_settings",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_edition_settings_user_id_users"),
            nullable=False,
        ),
        sa.Column("morning", sa.String(5), nullable=False),
        sa.Column("evening", sa.String(5), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_edition_settings"),
    )
    op.create_table(
        "edition_outbox",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_edition_outbox_user_id_users"),
            nullable=False,
        ),
        sa.Column("local_date", sa.String(10), nullable=False),
        sa.Column("slot", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=True),
        sa.Column("claim", sa.String(32), nullable=True),
        sa.Column("claimed_at", UTCDateTime, nullable=True),
        sa.Column("built_at", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime, nullable=True),
        sa.Column("window_start", UTCDateTime, nullable=False),
        sa.Column("window_end", UTCDateTime, nullable=False),
        sa.Column("message_id", sa.String(250), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("parts", sa.LargeBinary, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("resent", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_edition_outbox"),
        sa.UniqueConstraint("user_id", "local_date", "slot", name="uq_edition_outbox_user_id"),
    )
    op.create_index("ix_edition_outbox_status", "edition_outbox", ["status"])
    op.create_index("ix_edition_outbox_local_date", "edition_outbox", ["local_date"])
    op.create_index("ix_story_members_added_at", "story_members", ["added_at"])


def downgrade() -> None:
    op.drop_index("ix_story_members_added_at", "story_members")
    op.drop_index("ix_edition_outbox_local_date", "edition_outbox")
    op.drop_index("ix_edition_outbox_status", "edition_outbox")
    op.drop_table("edition_outbox")
    op.drop_table("edition_settings")
