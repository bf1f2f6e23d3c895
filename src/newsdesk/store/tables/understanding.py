"""Understanding tables: one entity table across articles, and what each article says.

``entities`` holds one row per real-world thing, keyed by kind and normalised
name (``person:emmanuel macron``); ``entity_aliases`` lists every name it was
met under ("Macron", "Mr. Macron", "President Macron"), so a follow of a
person matches every article naming them under any alias. The article-level
tables (links with salience, topics, quotes, figures, summary) all hang off
``articles`` with ``ON DELETE CASCADE``: deleting an article leaves nothing
behind, and they are written in the article's own transaction.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
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
from newsdesk.store.types import JSONType, UTCDateTime

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # person | org | place | group | event
    Column("key", String(400), nullable=False, unique=True),  # "person:emmanuel macron"
    Column("name", String(400), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("alias_key", String(400), nullable=False),  # normalised: "mr macron"
    Column("alias", String(400), nullable=False),  # as written: "Mr. Macron"
    UniqueConstraint("entity_id", "alias_key", name="uq_entity_aliases_entity_id"),
    Index("ix_entity_aliases_kind_alias_key", "kind", "alias_key"),
)

article_entities = Table(
    "article_entities",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("salience", Float, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("name", String(400), nullable=False),  # the name this article uses
    Column("roles", JSONType, nullable=False),
    PrimaryKeyConstraint("article_id", "entity_id", name="pk_article_entities"),
    Index("ix_article_entities_entity_id", "entity_id", "article_id"),
)

topics = Table(
    "topics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(400), nullable=False, unique=True),  # "military junta", "place:mali"
    Column("name", String(400), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

article_topics = Table(
    "article_topics",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float, nullable=False),
    PrimaryKeyConstraint("article_id", "topic_id", name="pk_article_topics"),
    Index("ix_article_topics_topic_id", "topic_id", "article_id"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # order in the article
    Column("text", Text, nullable=False),
    Column("speaker", String(400), nullable=True),
    Column(
        "speaker_entity_id",
        Integer,
        ForeignKey("entities.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("cue", String(80), nullable=True),
    Column("start", Integer, nullable=False),  # character offsets into the article body
    Column("end", Integer, nullable=False),
    Column("paragraph", Integer, nullable=False),
    Index("ix_quotes_article_id", "article_id"),
    Index("ix_quotes_speaker_entity_id", "speaker_entity_id"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", String(200), nullable=False),
    Column("value", Float, nullable=True),
    Column("low", Float, nullable=True),
    Column("high", Float, nullable=True),
    Column("unit", String(80), nullable=True),
    Column("counts", String(400), nullable=True),
    Column("approximate", Boolean, nullable=False),
    Column("sentence", Integer, nullable=False),
    Index("ix_figures_article_id", "article_id"),
)

article_summaries = Table(
    "article_summaries",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("headline", Text, nullable=False),
    Column("headline_generated", Boolean, nullable=False),
    Column("summary", Text, nullable=False),
    Column("summary_sentences", JSONType, nullable=False),
    Column("sentences", JSONType, nullable=False),  # so a summary can cite its sources
    Column("created_at", UTCDateTime, nullable=False),
)
