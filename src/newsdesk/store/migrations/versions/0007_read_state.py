"""Read state per user: the floors of "mark everything read", per-article read rows, stars.

Revision ID: 0007_read_state
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0007_read_state"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", ondelete="CASCADE", name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "read_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, _fk("read_marks", "user_id", "users"), nullable=False),
        sa.Column("upto_article_id", sa.Integer, nullable=False),
        sa.Column("marked_at", UTCDateTime, nullable=False),
    )
    op.create_index(
        "ix_read_marks_user_id_upto_article_id", "read_marks", ["user_id", "upto_article_id"]
    )
    op.create_table(
        "article_reads",
        sa.Column("user_id", sa.Integer, _fk("article_reads", "user_id", "users"), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer,
            _fk("article_reads", "article_id", "articles"),
            nullable=False,
        ),
        sa.Column("is_read", sa.Boolean, nullable=False),
        sa.Column("mark_seq", sa.Integer, nullable=False),
        sa.Column("marked_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_article_reads"),
    )
    op.create_index(
        "ix_article_reads_user_id_is_read_article_id",
        "article_reads",
        ["user_id", "is_read", "article_id"],
    )
    op.create_table(
        "article_stars",
        sa.Column("user_id", sa.Integer, _fk("article_stars", "user_id", "users"), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer,
            _fk("article_stars", "article_id", "articles"),
            nullable=False,
        ),
        sa.Column("starred_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_article_stars"),
    )
    op.create_index("ix_articles_created_at", "articles", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_created_at", "articles")
    op.drop_table("article_stars")
    op.drop_index("ix_article_reads_user_id_is_read_article_id", "article_reads")
    op.drop_table("article_reads")
    op.drop_index("ix_read_marks_user_id_upto_article_id", "read_marks")
    op.drop_table("read_marks")
