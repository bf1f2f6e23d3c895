"""Reads behind the web's entity, topic and outlet pages: the record itself, its newest
articles, and for a person what they said across outlets (read and starred state is
``newsdesk.store.read_state``'s)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from newsdesk.store import follow_targets as targets
from newsdesk.store.tables import articles, outlets
from newsdesk.store.tables.understanding import entities, quotes, topics


def entity(conn: Connection, entity_id: int) -> Any | None:
    return conn.execute(select(entities).where(entities.c.id == entity_id)).first()


def topic(conn: Connection, key: str) -> Any | None:
    return conn.execute(select(topics).where(topics.c.key == key)).first()


def outlet(conn: Connection, outlet_id: int) -> Any | None:
    return conn.execute(select(outlets).where(outlets.c.id == outlet_id)).first()


def ids_reaching(conn: Connection, kind: str, target: str, *, limit: int) -> list[int]:
    """Newest-first ids of the articles an entity, topic or outlet reaches."""
    sub = targets.ids_for(kind, target).subquery()
    rows = conn.execute(select(sub.c.id).order_by(sub.c.id.desc()).limit(limit))
    return [int(r.id) for r in rows]


def quotes_by(conn: Connection, entity_id: int, *, limit: int = 100) -> list[dict[str, Any]]:
    """What a person said, quote by quote, across outlets, newest article first."""
    rows = conn.execute(
        select(
            quotes.c.text,
            quotes.c.article_id,
            articles.c.title,
            outlets.c.name.label("outlet"),
        )
        .select_from(
            quotes.join(articles, articles.c.id == quotes.c.article_id).outerjoin(
                outlets, outlets.c.id == articles.c.outlet_id
            )
        )
        .where(quotes.c.speaker_entity_id == entity_id)
        .order_by(quotes.c.article_id.desc(), quotes.c.position)
        .limit(limit)
    )
    return [
        {"quote": r.text, "article_id": int(r.article_id), "title": r.title, "outlet": r.outlet}
        for r in rows
    ]
