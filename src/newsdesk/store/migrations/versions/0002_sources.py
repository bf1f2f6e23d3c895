"""Sources stage: feed items.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import JSONType, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_feed_items_source_id_sources"),
            nullable=False,
        ),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("link", sa.String(2048), nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("authors", JSONType, nullable=False),
        sa.Column("summary", sa.Text, nullable=True),
        sa.Column("content", sa.Text, nullable=True),
        sa.Column("categories", JSONType, nullable=False),
        sa.Column("enclosures", JSONType, nullable=False),
        sa.Column("published", UTCDateTime, nullable=True),
        sa.Column("updated", UTCDateTime, nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="SET NULL", name="fk_feed_items_article_id_articles"
            ),
            nullable=True,
        ),
        sa.Column("full_text", sa.String(20), nullable=True),
        sa.Column("article_error", sa.Text, nullable=True),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("source_id", "key_hash", name="uq_feed_items_source_id"),
    )
    op.create_index("ix_feed_items_published", "feed_items", ["published"])
    op.create_index("ix_feed_items_article_id", "feed_items", ["article_id"])


def downgrade() -> None:
    op.drop_table("feed_items")
