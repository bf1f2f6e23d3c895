"""Stories stage: near-duplicates, stories, importance (owned by the stories issue).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import JSONType, UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column(
            "merged_into",
            sa.Integer,
            sa.ForeignKey("stories.id", ondelete="SET NULL", name="fk_stories_merged_into_stories"),
            nullable=True,
        ),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("outlets", JSONType, nullable=False),
        sa.Column("counts", JSONType, nullable=False),
        sa.Column("entities", JSONType, nullable=False),
        sa.Column("topics", JSONType, nullable=False),
        sa.Column("timeline", JSONType, nullable=False),
        sa.Column("importance", sa.Float, nullable=False),
        sa.Column("factors", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("key", name="uq_stories_key"),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.create_index("ix_stories_importance", "stories", ["importance"])
    op.create_table(
        "story_members",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_story_members_article_id_articles"
            ),
            primary_key=True,
        ),
        sa.Column(
            "story_id",
            sa.Integer,
            sa.ForeignKey(
                "stories.id", ondelete="CASCADE", name="fk_story_members_story_id_stories"
            ),
            nullable=False,
        ),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("outlet", sa.String(300), nullable=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("terms", JSONType, nullable=False),
        sa.Column("entities", JSONType, nullable=False),
        sa.Column("topics", JSONType, nullable=False),
        sa.Column("signature", JSONType, nullable=False),
        sa.Column(
            "duplicate_of",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="SET NULL", name="fk_story_members_duplicate_of_articles"
            ),
            nullable=True,
        ),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("development", JSONType, nullable=True),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_story_members_story_id", "story_members", ["story_id"])


def downgrade() -> None:
    op.drop_table("story_members")
    op.drop_table("stories")
