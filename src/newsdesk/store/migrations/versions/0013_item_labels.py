"""Labels a user puts on single items through a reader app (``edit-tag`` with a label).

Revision ID: 0013_item_labels
Revises: 0012_signin_attempts
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0013_item_labels"
down_revision = "0012_signin_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_labels",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_item_labels_user_id_users"),
            nullable=False,
        ),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_item_labels_article_id_articles"
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("labelled_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", "label", name="pk_item_labels"),
    )
    op.create_index(
        "ix_item_labels_user_id_label_article_id",
        "item_labels",
        ["user_id", "label", "article_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_item_labels_user_id_label_article_id", table_name="item_labels")
    op.drop_table("item_labels")
