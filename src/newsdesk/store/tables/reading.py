"""Per-user reading state: which articles a user has read and which they starred.

One row per (user, article) that has any state; an article with no row is
unread and not starred. Until the service layer's read-state tables land, the
web app keeps its state here (``newsdesk.store.reading`` is the only reader).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, Table

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import UTCDateTime

article_states = Table(
    "article_states",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("read_at", UTCDateTime, nullable=True),
    Column("starred_at", UTCDateTime, nullable=True),
    PrimaryKeyConstraint("user_id", "article_id", name="pk_article_states"),
    Index("ix_article_states_user_id_starred_at", "user_id", "starred_at"),
)
