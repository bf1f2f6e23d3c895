"""Foundation: outlets, sources, articles.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import JSONType, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("domain", sa.String(253), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("domain", name="uq_outlets_domain"),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("site_url", sa.String(2048), nullable=True),
        sa.Column(
            "outlet_id",
            sa.Integer,
            sa.ForeignKey("outlets.id", ondelete="SET NULL", name="fk_sources_outlet_id_outlets"),
            nullable=True,
        ),
        sa.Column("tags", JSONType, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("pause_reason", sa.Text, nullable=True),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("last_modified", sa.String(100), nullable=True),
        sa.Column("last_success_at", UTCDateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_error_at", UTCDateTime, nullable=True),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("next_refresh_at", UTCDateTime, nullable=True),
        sa.Column("interval_seconds", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("canonical_url", sa.String(2048), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_generated", sa.Boolean, nullable=False),
        sa.Column("authors", JSONType, nullable=False),
        sa.Column("contributors", JSONType, nullable=False),
        sa.Column("credits", JSONType, nullable=False),
        sa.Column(
            "outlet_id",
            sa.Integer,
            sa.ForeignKey("outlets.id", ondelete="SET NULL", name="fk_articles_outlet_id_outlets"),
            nullable=True,
        ),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="SET NULL", name="fk_articles_source_id_sources"),
            nullable=True,
        ),
        sa.Column("published_at", UTCDateTime, nullable=True),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("paragraphs", JSONType, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("extraction_method", sa.String(40), nullable=False),
        sa.Column("warnings", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_outlet_id", "articles", ["outlet_id"])


def downgrade() -> None:
    op.drop_table("articles")
    op.drop_table("sources")
    op.drop_table("outlets")
