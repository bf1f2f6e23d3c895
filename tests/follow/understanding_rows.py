"""Write a corpus article's ground-truth entities and topics into the understanding tables.

Used where a test is about follows rather than language processing: the rows
are what the understanding stage would store for the article (canonical
entity, the aliases the article used, a topic), written through its
``store_understanding`` when that exists, else straight into its tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from newsdesk.understand.models import Entity, Topic, Understanding, normalise_key
from tests.fixtures.follow.corpus import CorpusArticle


def understanding_of(item: CorpusArticle) -> Understanding:
    entities = tuple(
        Entity(
            name=e.name,
            kind=e.kind,  # type: ignore[arg-type]
            aliases=tuple(a for a in (item.aliases_used.get(e.name),) if a and a != e.name),
            salience=0.5,
        )
        for e in item.entities
    )
    topic = Topic(name=item.topic, key=normalise_key(item.topic), score=1.0)
    return Understanding(
        headline=item.article.title,
        headline_generated=False,
        summary=item.article.paragraphs[0],
        language="en",
        entities=entities,
        topics=(topic,),
    )


def _get_or_create(conn: Any, table: Any, key: str, values: dict[str, Any]) -> int:
    row = conn.execute(select(table.c.id).where(table.c.key == key)).first()
    if row is not None:
        return int(row.id)
    return int(conn.execute(table.insert().values(key=key, **values)).inserted_primary_key[0])


def write_understanding(conn: Any, article_id: int, item: CorpusArticle, *, now: datetime) -> None:
    understanding = understanding_of(item)
    try:
        from newsdesk.store.understanding import save_understanding
    except ImportError:  # pragma: no cover - before the understanding stage's store landed
        save_understanding = None
    if save_understanding is not None:
        save_understanding(conn, article_id, understanding, now=now)
        return
    from newsdesk.store.tables import understanding as u

    for entity in understanding.entities:
        entity_id = _get_or_create(
            conn,
            u.entities,
            entity.key,
            {"kind": entity.kind, "name": entity.name, "created_at": now},
        )
        for alias in (entity.name, *entity.aliases):
            alias_key = normalise_key(alias)
            exists = conn.execute(
                select(u.entity_aliases.c.id).where(
                    u.entity_aliases.c.entity_id == entity_id,
                    u.entity_aliases.c.alias_key == alias_key,
                )
            ).first()
            if exists is None:
                conn.execute(
                    u.entity_aliases.insert().values(
                        entity_id=entity_id, kind=entity.kind, alias_key=alias_key, alias=alias
                    )
                )
        conn.execute(
            u.article_entities.insert().values(
                article_id=article_id,
                entity_id=entity_id,
                salience=entity.salience,
                mentions=1,
                name=entity.name,
                roles=[],
            )
        )
    for topic in understanding.topics:
        topic_id = _get_or_create(
            conn, u.topics, topic.key, {"name": topic.name, "created_at": now}
        )
        conn.execute(
            u.article_topics.insert().values(
                article_id=article_id, topic_id=topic_id, score=topic.score
            )
        )
