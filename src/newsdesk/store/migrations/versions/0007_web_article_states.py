"""Per-user read and starred state of articles (the web app's reader view).

Revision ID: 0007_web_article_states
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0007_web_article_states"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_states",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_article_states_user_id_users"),
            nullable=False,
        ),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_article_states_article_id_articles"
            ),
            nullable=False,
        ),
        sa.Column("read_at", UTCDateTime, nullable=True),
        sa.Column("starred_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_article_states"),
    )
    op.create_index(
        "ix_article_states_user_id_starred_at", "article_states", ["user_id", "starred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_article_states_user_id_starred_at", "article_states")
    op.drop_table("article_states")
