"""Failed sign-in attempts, shared by every web process.

One row per failed attempt per key (an account, an address), the key stored as a
SHA-256 hash: the limiter needs only to count a key's recent rows, never to read
an email or an address back. Rows older than the window are deleted as new ones
come, so the table holds at most the attempts of one window.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import UTCDateTime

signin_attempts = Table(
    "signin_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("attempted_at", UTCDateTime, nullable=False),
    # A key's count in the window is a range scan of this index.
    Index("ix_signin_attempts_key_hash_attempted_at", "key_hash", "attempted_at"),
    # Dropping what left the window is a range scan of this one.
    Index("ix_signin_attempts_attempted_at", "attempted_at"),
)
