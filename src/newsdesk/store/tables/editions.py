"""Brief stage tables: when each user wants their editions, and the outbox of editions.

``edition_outbox`` is what makes an edition go out exactly once: its unique key
``(user_id, local_date, slot)`` lets only one builder insert an edition, and a
conditional update of ``status`` lets only one sender claim it. The rendered
parts are kept on the row, so a crash after building sends the very mail that
was built, and past editions can be shown again (CLI, web, Atom feed).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import UTCDateTime

edition_settings = Table(
    "edition_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # Local wall-clock time "HH:MM", or "off". No row means the defaults (06:30 and 17:30).
    Column("morning", String(5), nullable=False),
    Column("evening", String(5), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

edition_outbox = Table(
    "edition_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", String(10), nullable=False),  # YYYY-MM-DD in the user's zone
    Column("slot", String(10), nullable=False),  # morning | evening
    # built -> sending -> sent; sending -> failed (retried at next_attempt_at) | unknown
    # (the server may have the mail: never resent automatically); data: DATA under way.
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("claim", String(32), nullable=True),
    Column("claimed_at", UTCDateTime, nullable=True),
    Column("built_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("message_id", String(250), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    # The archived mail: zlib-compressed JSON {"text", "html", "edition"}. An edition's HTML
    # with its inlined CSS is ~25 kB and compresses ~6x; at 20,000 editions a day the
    # uncompressed parts were most of the cost of building them (see BENCHMARKS.md).
    Column("parts", LargeBinary, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("resent", Integer, nullable=False, default=0),
    UniqueConstraint("user_id", "local_date", "slot", name="uq_edition_outbox_user_id"),
    Index("ix_edition_outbox_status", "status"),
    Index("ix_edition_outbox_local_date", "local_date"),
)

# An edition reads the story articles that arrived in its time window.
from newsdesk.store.tables.stories import story_members  # noqa: E402

Index("ix_story_members_added_at", story_members.c.added_at)
