"""Deferred enrichment: the queue of articles waiting for their enrichers.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_enrichment",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id",
                ondelete="CASCADE",
                name="fk_pending_enrichment_article_id_articles",
            ),
            nullable=False,
        ),
        sa.Column("queued_at", UTCDateTime, nullable=False),
        sa.Column("claim", sa.String(32), nullable=True),
        sa.Column("claimed_at", UTCDateTime, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("article_id", name="pk_pending_enrichment"),
    )
    op.create_index("ix_pending_enrichment_claim", "pending_enrichment", ["claim"])


def downgrade() -> None:
    op.drop_index("ix_pending_enrichment_claim", "pending_enrichment")
    op.drop_table("pending_enrichment")
