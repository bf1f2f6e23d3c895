"""Read state tables: what each user has read and starred.

Read state is a per-user floor plus per-article exceptions, so that marking a
whole history read is one short row and unread counts only scan what arrived
after the floor (see ``newsdesk.store.read_state`` for the rules):

- ``read_marks``: one row per "mark everything (older than a time) read":
  every article with an id up to ``upto_article_id`` is read. Rows are only
  added; the user's floor is the largest ``upto_article_id``. A row's ``id``
  orders it against the per-article rows.
- ``article_reads``: one row per (user, article) the user marked by hand or by
  scope (a story, a source, a follow). ``mark_seq`` is the newest
  ``read_marks.id`` of the user when the row was written, so a later floor
  that covers the article overrides an older "unread".
- ``article_stars``: starred articles, one row each.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
)

from newsdesk.store.tables.base import metadata
from newsdesk.store.tables.core import articles
from newsdesk.store.types import UTCDateTime

read_marks = Table(
    "read_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("upto_article_id", Integer, nullable=False),
    Column("marked_at", UTCDateTime, nullable=False),
    Index("ix_read_marks_user_id_upto_article_id", "user_id", "upto_article_id"),
)

article_reads = Table(
    "article_reads",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("is_read", Boolean, nullable=False),
    Column("mark_seq", Integer, nullable=False),
    Column("marked_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "article_id", name="pk_article_reads"),
    # The few "unread" exceptions below a user's floor are read by this index.
    Index("ix_article_reads_user_id_is_read_article_id", "user_id", "is_read", "article_id"),
)

article_stars = Table(
    "article_stars",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("starred_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "article_id", name="pk_article_stars"),
)

# "Older than a time" is "arrived before it": the newest id stored before a moment.
Index("ix_articles_created_at", articles.c.created_at)
