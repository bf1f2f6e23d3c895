"""Reader apps: each API token's Fever key, and per-user folders and titles of sources.

Revision ID: 0010_reader_apps
Revises: 0009_reader_fixes_credits
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import JSONType

revision = "0010_reader_apps"
down_revision = "0009_reader_fixes_credits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fever_keys",
        sa.Column(
            "token_id",
            sa.Integer,
            sa.ForeignKey(
                "api_tokens.id", ondelete="CASCADE", name="fk_fever_keys_token_id_api_tokens"
            ),
            nullable=False,
        ),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name="pk_fever_keys"),
        sa.UniqueConstraint("key_hash", name="uq_fever_keys_key_hash"),
    )
    op.create_table(
        "source_labels",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_source_labels_user_id_users"),
            nullable=False,
        ),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey(
                "sources.id", ondelete="CASCADE", name="fk_source_labels_source_id_sources"
            ),
            nullable=False,
        ),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("tags", JSONType, nullable=True),
        sa.PrimaryKeyConstraint("user_id", "source_id", name="pk_source_labels"),
    )


def downgrade() -> None:
    op.drop_table("source_labels")
    op.drop_table("fever_keys")
