"""Foundation tables: outlets, sources and articles."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import JSONType, UTCDateTime

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    # The registrable host (``globe.example``) identifies an outlet; a name alone
    # is ambiguous, and pages saved as text may have neither.
    Column("domain", String(253), nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, default="feed"),  # feed | page | file
    Column("title", String(500), nullable=True),
    Column("site_url", String(2048), nullable=True),
    Column("outlet_id", Integer, ForeignKey("outlets.id", ondelete="SET NULL"), nullable=True),
    Column("tags", JSONType, nullable=False, default=list),
    Column("paused", Boolean, nullable=False, default=False),
    Column("pause_reason", Text, nullable=True),
    Column("etag", String(500), nullable=True),
    Column("last_modified", String(100), nullable=True),
    Column("last_success_at", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_error_at", UTCDateTime, nullable=True),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("next_refresh_at", UTCDateTime, nullable=True),
    Column("interval_seconds", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical_url", String(2048), nullable=True, unique=True),
    Column("url", String(2048), nullable=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("title_generated", Boolean, nullable=False, default=False),
    Column("authors", JSONType, nullable=False, default=list),
    Column("contributors", JSONType, nullable=False, default=list),
    Column("credits", JSONType, nullable=False, default=list),
    Column("outlet_id", Integer, ForeignKey("outlets.id", ondelete="SET NULL"), nullable=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), nullable=True),
    Column("published_at", UTCDateTime, nullable=True),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("language", String(16), nullable=True),
    Column("description", Text, nullable=True),
    Column("paragraphs", JSONType, nullable=False),
    Column("body", Text, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("extraction_method", String(40), nullable=False),
    Column("warnings", JSONType, nullable=False, default=list),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_outlet_id", "outlet_id"),
)
