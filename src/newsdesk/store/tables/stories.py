"""Stories stage tables: stories and the articles that belong to them.

A story row keeps its bag of words (``counts``) so the next article can be
placed without re-reading every member; members keep their own terms and
MinHash signature so stories can merge and wire copies can be found later.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from newsdesk.store.tables.base import metadata
from newsdesk.store.types import JSONType, UTCDateTime

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(40), nullable=False, unique=True),
    Column("status", String(10), nullable=False, default="open"),  # open | closed | merged
    Column("merged_into", Integer, ForeignKey("stories.id", ondelete="SET NULL"), nullable=True),
    Column("headline", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("size", Integer, nullable=False),
    Column("words", Integer, nullable=False),
    Column("outlet_count", Integer, nullable=False),
    Column("outlets", JSONType, nullable=False, default=list),
    Column("counts", JSONType, nullable=False, default=dict),
    Column("entities", JSONType, nullable=False, default=list),
    Column("topics", JSONType, nullable=False, default=list),
    Column("timeline", JSONType, nullable=False, default=list),
    Column("importance", Float, nullable=False, default=0.0),
    Column("factors", JSONType, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_stories_last_seen", "last_seen"),
    Index("ix_stories_importance", "importance"),
)

story_members = Table(
    "story_members",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("outlet", String(300), nullable=True),
    Column("headline", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("terms", JSONType, nullable=False, default=dict),
    Column("entities", JSONType, nullable=False, default=list),
    Column("topics", JSONType, nullable=False, default=list),
    Column("signature", JSONType, nullable=False, default=list),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("development", JSONType, nullable=True),
    Column("added_at", UTCDateTime, nullable=False),
    Index("ix_story_members_story_id", "story_id"),
)
