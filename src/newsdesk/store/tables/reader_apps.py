"""Reader-app tables: each API token's Fever key, a user's own folders and titles of sources,
and the labels a user puts on single items.

Sources (and their tags) are shared by the install; what an app renames or files
into a folder, or labels, is the user's alone, so it lives here, per user.
"""

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import JSONType, UTCDateTime

fever_keys = Table(
    "fever_keys",
    metadata,
    Column("token_id", Integer, ForeignKey("api_tokens.id", ondelete="CASCADE"), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    PrimaryKeyConstraint("token_id"),
)

source_labels = Table(
    "source_labels",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=True),
    Column("tags", JSONType, nullable=True),
    PrimaryKeyConstraint("user_id", "source_id"),
)

item_labels = Table(
    "item_labels",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("labelled_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "article_id", "label"),
    # A label's stream and the user's label names are read by (user, label).
    Index("ix_item_labels_user_id_label_article_id", "user_id", "label", "article_id"),
)
