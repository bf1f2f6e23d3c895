"""Articles waiting for their enrichers (understanding, stories).

The feed refresher stores tens of thousands of articles in a run; running
spaCy and the story clustering inside those writes would make a refresh take
hours. So a refresh queues each new article here, in the same transaction
that stores it, and the enrichment runner works the queue in batches
afterwards. A row is claimed (``claim`` + ``claimed_at``) before it is worked
on and deleted in the transaction that writes the enrichments, so an article
is enriched exactly once even when two runners overlap.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import UTCDateTime

pending_enrichment = Table(
    "pending_enrichment",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("queued_at", UTCDateTime, nullable=False),
    Column("claim", String(32), nullable=True),  # the runner working on it, else None
    Column("claimed_at", UTCDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Index("ix_pending_enrichment_claim", "claim"),
)
