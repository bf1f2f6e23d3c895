"""Follow stage tables: users, their sessions and tokens, follows, mutes, saved searches.

Everything a user owns carries ``user_id`` and every query filters on it;
that one rule is what keeps one user's follows, marks and tokens away from
another's. Secrets (session and API tokens) are stored only as SHA-256 hashes.

``article_authors`` is the author index: one row per (normalised author name,
article), kept in sync with ``articles.authors`` by triggers created in
migration 0005, so following a journalist is an index range scan. The
full-text index (FTS5 on SQLite, a tsvector table on PostgreSQL) is engine
specific and lives in ``newsdesk.store.search``, outside this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from newsdesk.store.tables.base import metadata
from newsdesk.store.tables.core import articles
from newsdesk.store.tables.stories import story_members
from newsdesk.store.types import UTCDateTime

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),  # stored lower-cased
    Column("display_name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False, default="UTC"),
    Column("password_hash", String(200), nullable=True),  # None: may log in by token only
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index("ix_sessions_user_id", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(12), nullable=False),  # first characters, to tell tokens apart
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_api_tokens_user_id", "user_id"),
)

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "name", name="uq_saved_searches_user_id_name"),
)

follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # author | person | org | place | topic | outlet | source | story | search
    Column("kind", String(20), nullable=False),
    # What is followed, as the index knows it: an author key, an entity or outlet id,
    # a topic key, a story id or a saved search id (all as text).
    Column("target", String(300), nullable=False),
    Column("label", String(300), nullable=False),  # what the user sees: "Ines Varga", "Mali"
    Column("created_at", UTCDateTime, nullable=False),
    # The mark: articles with a larger id arrived after the last check. Article ids
    # grow with every insert, so "new" needs no clock and survives late publication dates.
    Column("mark_article_id", Integer, nullable=False, default=0),
    Column("checked_at", UTCDateTime, nullable=True),
    UniqueConstraint("user_id", "kind", "target", name="uq_follows_user_id_kind_target"),
    # A follow of a name no article names yet is bound by (kind, "name:<key>") at ingest.
    Index("ix_follows_kind_target", "kind", "target"),
)

mutes = Table(
    "mutes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),  # topic | person | org | place | outlet | author
    Column("target", String(300), nullable=False),
    Column("label", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "kind", "target", name="uq_mutes_user_id_kind_target"),
    Index("ix_mutes_kind_target", "kind", "target"),
)

article_authors = Table(
    "article_authors",
    metadata,
    Column("author_key", String(300), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("author_key", "article_id", name="pk_article_authors"),
    Index("ix_article_authors_article_id", "article_id"),
)

# Following an outlet or a source reads "this outlet's articles after the mark" in id order.
Index("ix_articles_outlet_id_id", articles.c.outlet_id, articles.c.id)
Index("ix_articles_source_id_id", articles.c.source_id, articles.c.id)
# Following a story reads its members after the mark in id order (PostgreSQL needs the pair;
# on SQLite article_id is the rowid and already rides along the story_id index).
Index("ix_story_members_story_id_article_id", story_members.c.story_id, story_members.c.article_id)
