"""Reads and writes the web app needs beyond the follow stage: read and starred state,
newest-first article pages, unread counts, and the records behind entity, topic and
outlet pages.

Every per-user statement filters on ``user_id``: one user's state is invisible to
another. Pages are keyset pages over article ids (``before_id``), never offsets,
so page 50 costs what page 1 costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, update

from newsdesk.store import follow_targets as targets
from newsdesk.store.tables import articles, outlets, sources
from newsdesk.store.tables.reading import article_states
from newsdesk.store.tables.understanding import entities, quotes, topics

#: Most articles one request may mark at once.
MAX_MARK = 1000


def existing_ids(conn: Connection, ids: Sequence[int]) -> list[int]:
    """The ids among ``ids`` that name stored articles."""
    wanted = sorted({int(i) for i in ids})[:MAX_MARK]
    if not wanted:
        return []
    rows = conn.execute(
        select(articles.c.id).where(targets.id_in(articles.c.id, wanted, conn.dialect.name))
    )
    return sorted(int(r.id) for r in rows)


def _ensure_rows(conn: Connection, user_id: int, ids: Sequence[int]) -> None:
    have = {
        int(r.article_id)
        for r in conn.execute(
            select(article_states.c.article_id).where(
                article_states.c.user_id == user_id,
                targets.id_in(article_states.c.article_id, list(ids), conn.dialect.name),
            )
        )
    }
    missing = [i for i in ids if i not in have]
    if missing:
        conn.execute(
            article_states.insert(),
            [{"user_id": user_id, "article_id": i, "read_at": None} for i in missing],
        )


def set_read(
    conn: Connection, user_id: int, article_ids: Sequence[int], read: bool, *, now: datetime
) -> int:
    """Mark articles read (or unread) for one user; returns how many exist."""
    ids = existing_ids(conn, article_ids)
    if not ids:
        return 0
    _ensure_rows(conn, user_id, ids)
    conn.execute(
        update(article_states)
        .where(
            article_states.c.user_id == user_id,
            targets.id_in(article_states.c.article_id, ids, conn.dialect.name),
        )
        .values(read_at=now if read else None)
    )
    return len(ids)


def set_starred(
    conn: Connection, user_id: int, article_id: int, starred: bool, *, now: datetime
) -> bool:
    """Star or unstar one article for one user; False when there is no such article."""
    if not existing_ids(conn, [article_id]):
        return False
    _ensure_rows(conn, user_id, [article_id])
    conn.execute(
        update(article_states)
        .where(article_states.c.user_id == user_id, article_states.c.article_id == article_id)
        .values(starred_at=now if starred else None)
    )
    return True


def states(conn: Connection, user_id: int, ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    """(read, starred) per article id for this user; absent ids are (False, False)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(
        select(article_states).where(
            article_states.c.user_id == user_id,
            targets.id_in(article_states.c.article_id, wanted, conn.dialect.name),
        )
    )
    return {int(r.article_id): (r.read_at is not None, r.starred_at is not None) for r in rows}


def clear_user_state(conn: Connection, user_id: int) -> None:
    conn.execute(delete(article_states).where(article_states.c.user_id == user_id))


def article_page(
    conn: Connection,
    *,
    limit: int,
    before_id: int | None = None,
    user_id: int | None = None,
    starred: bool = False,
    unread: bool = False,
    source_id: int | None = None,
    outlet_id: int | None = None,
    tag: str | None = None,
) -> list[int]:
    """Newest-first article ids, one keyset page; the filters need ``user_id`` for state."""
    query = select(articles.c.id)
    conditions: list[Any] = []
    if before_id is not None:
        conditions.append(articles.c.id < before_id)
    if source_id is not None:
        conditions.append(articles.c.source_id == source_id)
    if outlet_id is not None:
        conditions.append(articles.c.outlet_id == outlet_id)
    if tag is not None:
        conditions.append(articles.c.source_id.in_(_tagged_sources(conn, tag)))
    if starred and user_id is not None:
        query = query.join(
            article_states,
            and_(
                article_states.c.article_id == articles.c.id,
                article_states.c.user_id == user_id,
            ),
        )
        conditions.append(article_states.c.starred_at.is_not(None))
    if unread and user_id is not None:
        read = select(article_states.c.article_id).where(
            article_states.c.user_id == user_id, article_states.c.read_at.is_not(None)
        )
        conditions.append(articles.c.id.not_in(read))
    if conditions:
        query = query.where(*conditions)
    rows = conn.execute(query.order_by(articles.c.id.desc()).limit(limit))
    return [int(r.id) for r in rows]


def _tagged_sources(conn: Connection, tag: str) -> list[int]:
    return [
        int(r.id)
        for r in conn.execute(select(sources.c.id, sources.c.tags))
        if tag in (r.tags or [])
    ]


def unread_counts(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """Per source: its title, tags, article count and this user's unread count."""
    totals: dict[int, int] = dict(
        conn.execute(
            select(articles.c.source_id, func.count())
            .where(articles.c.source_id.is_not(None))
            .group_by(articles.c.source_id)
        ).all()
    )
    read: dict[int, int] = dict(
        conn.execute(
            select(articles.c.source_id, func.count())
            .select_from(
                article_states.join(articles, articles.c.id == article_states.c.article_id)
            )
            .where(
                article_states.c.user_id == user_id,
                article_states.c.read_at.is_not(None),
                articles.c.source_id.is_not(None),
            )
            .group_by(articles.c.source_id)
        ).all()
    )
    out = []
    for r in conn.execute(
        select(sources.c.id, sources.c.title, sources.c.url, sources.c.tags).order_by(sources.c.id)
    ):
        total = int(totals.get(r.id, 0))
        out.append(
            {
                "source_id": int(r.id),
                "title": r.title or r.url,
                "tags": list(r.tags or []),
                "articles": total,
                "unread": max(total - int(read.get(r.id, 0)), 0),
            }
        )
    return out


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
