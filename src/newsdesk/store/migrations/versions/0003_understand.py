"""Understanding stage: entities and aliases, article links, topics, quotes, figures, summaries.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import JSONType, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _article_fk(table: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "article_id",
        sa.Integer,
        sa.ForeignKey("articles.id", ondelete="CASCADE", name=f"fk_{table}_article_id_articles"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("key", name="uq_entities_key"),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "entity_id",
            sa.Integer,
            sa.ForeignKey(
                "entities.id", ondelete="CASCADE", name="fk_entity_aliases_entity_id_entities"
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("alias_key", sa.String(400), nullable=False),
        sa.Column("alias", sa.String(400), nullable=False),
        sa.UniqueConstraint("entity_id", "alias_key", name="uq_entity_aliases_entity_id"),
    )
    op.create_index("ix_entity_aliases_kind_alias_key", "entity_aliases", ["kind", "alias_key"])
    op.create_table(
        "article_entities",
        _article_fk("article_entities"),
        sa.Column(
            "entity_id",
            sa.Integer,
            sa.ForeignKey(
                "entities.id", ondelete="CASCADE", name="fk_article_entities_entity_id_entities"
            ),
            nullable=False,
        ),
        sa.Column("salience", sa.Float, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("roles", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "entity_id", name="pk_article_entities"),
    )
    op.create_index(
        "ix_article_entities_entity_id", "article_entities", ["entity_id", "article_id"]
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("key", name="uq_topics_key"),
    )
    op.create_table(
        "article_topics",
        _article_fk("article_topics"),
        sa.Column(
            "topic_id",
            sa.Integer,
            sa.ForeignKey(
                "topics.id", ondelete="CASCADE", name="fk_article_topics_topic_id_topics"
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "topic_id", name="pk_article_topics"),
    )
    op.create_index("ix_article_topics_topic_id", "article_topics", ["topic_id", "article_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk("quotes"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("speaker", sa.String(400), nullable=True),
        sa.Column(
            "speaker_entity_id",
            sa.Integer,
            sa.ForeignKey(
                "entities.id", ondelete="SET NULL", name="fk_quotes_speaker_entity_id_entities"
            ),
            nullable=True,
        ),
        sa.Column("cue", sa.String(80), nullable=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("paragraph", sa.Integer, nullable=False),
    )
    op.create_index("ix_quotes_article_id", "quotes", ["article_id"])
    op.create_index("ix_quotes_speaker_entity_id", "quotes", ["speaker_entity_id"])
    op.create_table(
        "figures",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk("figures"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("low", sa.Float, nullable=True),
        sa.Column("high", sa.Float, nullable=True),
        sa.Column("unit", sa.String(80), nullable=True),
        sa.Column("counts", sa.String(400), nullable=True),
        sa.Column("approximate", sa.Boolean, nullable=False),
        sa.Column("sentence", sa.Integer, nullable=False),
    )
    op.create_index("ix_figures_article_id", "figures", ["article_id"])
    op.create_table(
        "article_summaries",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_article_summaries_article_id_articles"
            ),
            primary_key=True,
        ),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("headline_generated", sa.Boolean, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("summary_sentences", JSONType, nullable=False),
        sa.Column("sentences", JSONType, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "article_summaries",
        "figures",
        "quotes",
        "article_topics",
        "topics",
        "article_entities",
        "entity_aliases",
        "entities",
    ):
        op.drop_table(table)
