"""Sources stage tables: the entries each feed has carried.

A ``feed_items`` row is the memory that makes refreshes idempotent: an entry
is known by ``(source_id, key_hash)`` (the key is the parser's stable id, hashed
because guids can be longer than an index allows), and its ``content_hash``
tells an edited entry from an unchanged one. The article made from it is linked
by ``article_id``; ``article_error`` keeps why none could be made.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import JSONType, UTCDateTime

feed_items = Table(
    "feed_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("key_hash", String(64), nullable=False),
    Column("link", String(2048), nullable=True),
    Column("title", Text, nullable=True),
    Column("authors", JSONType, nullable=False, default=list),
    Column("summary", Text, nullable=True),
    Column("content", Text, nullable=True),
    Column("categories", JSONType, nullable=False, default=list),
    Column("enclosures", JSONType, nullable=False, default=list),
    Column("published", UTCDateTime, nullable=True),
    Column("updated", UTCDateTime, nullable=True),
    Column("content_hash", String(64), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
    Column("full_text", String(20), nullable=True),  # fetched | failed | skipped | None
    Column("article_error", Text, nullable=True),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("source_id", "key_hash", name="uq_feed_items_source_id"),
    Index("ix_feed_items_published", "published"),
    Index("ix_feed_items_article_id", "article_id"),
)
