"""Reader-app tables: each API token's Fever key, and a user's own folders and titles of sources.

Sources (and their tags) are shared by the install; what an app renames or files
into a folder is the user's alone, so it lives here, per user, beside the source.
"""

from sqlalchemy import Column, ForeignKey, Integer, PrimaryKeyConstraint, String, Table, Text

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import JSONType

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
