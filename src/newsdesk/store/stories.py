"""Queries on stories and their members (the stories stage's side of the store)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from newsdesk.errors import NotFoundError
from newsdesk.store.tables import articles
from newsdesk.store.tables.stories import stories, story_members


def load_open(conn: Connection, since: datetime) -> list[Any]:
    """Open stories whose last article is not older than ``since``: the candidates."""
    query = (
        select(stories)
        .where(stories.c.status == "open", stories.c.last_seen >= since)
        .order_by(stories.c.id)
    )
    return list(conn.execute(query))


def load_signatures(conn: Connection, story_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """MinHash signatures of the members of ``story_ids``, for wire-copy detection."""
    result: dict[int, dict[str, list[int]]] = {sid: {} for sid in story_ids}
    if not story_ids:
        return result
    query = select(
        story_members.c.story_id, story_members.c.article_id, story_members.c.signature
    ).where(story_members.c.story_id.in_(story_ids))
    for row in conn.execute(query):
        result[row.story_id][str(row.article_id)] = list(row.signature or [])
    return result


def create_story(conn: Connection, key: str, *, when: datetime, now: datetime) -> int:
    values = {
        "key": key,
        "status": "open",
        "headline": "",
        "summary": "",
        "first_seen": when,
        "last_seen": when,
        "size": 0,
        "words": 0,
        "outlet_count": 0,
        "outlets": [],
        "counts": {},
        "entities": [],
        "topics": [],
        "timeline": [],
        "importance": 0.0,
        "factors": {},
        "created_at": now,
        "updated_at": now,
    }
    key_row = conn.execute(stories.insert().values(**values)).inserted_primary_key
    assert key_row is not None
    return int(key_row[0])


def save_story(conn: Connection, story_id: int, **values: Any) -> None:
    conn.execute(update(stories).where(stories.c.id == story_id).values(**values))


def add_member(conn: Connection, **values: Any) -> None:
    conn.execute(story_members.insert().values(**values))


def members(conn: Connection, story_id: int) -> list[Any]:
    """Members of a story in time order, with the article's URL for display."""
    query = (
        select(story_members, articles.c.url, articles.c.canonical_url)
        .select_from(story_members.join(articles, articles.c.id == story_members.c.article_id))
        .where(story_members.c.story_id == story_id)
        .order_by(story_members.c.published_at, story_members.c.article_id)
    )
    return list(conn.execute(query))


def move_members(conn: Connection, *, source: int, target: int, now: datetime) -> None:
    """A merge: every member of ``source`` now belongs to ``target``; ``source`` points there."""
    conn.execute(
        update(story_members).where(story_members.c.story_id == source).values(story_id=target)
    )
    conn.execute(
        update(stories)
        .where(stories.c.id == source)
        .values(status="merged", merged_into=target, size=0, updated_at=now)
    )


def close_stale(conn: Connection, before: datetime, *, now: datetime) -> int:
    """Close open stories with nothing new since ``before``; returns how many closed."""
    result = conn.execute(
        update(stories)
        .where(and_(stories.c.status == "open", stories.c.last_seen < before))
        .values(status="closed", updated_at=now)
    )
    return int(result.rowcount or 0)


def list_stories(conn: Connection, *, limit: int = 20, include_closed: bool = True) -> list[Any]:
    """Stories by importance (as last computed), most important first; merged ones hidden."""
    query = select(stories).where(stories.c.status != "merged")
    if not include_closed:
        query = query.where(stories.c.status == "open")
    query = query.order_by(stories.c.importance.desc(), stories.c.last_seen.desc(), stories.c.id)
    return list(conn.execute(query.limit(limit)))


def get_story(conn: Connection, key: str) -> Any:
    """A story by its key (``s...``) or number; a merged story resolves to where it went."""
    column = stories.c.id if (key.isascii() and key.isdigit()) else stories.c.key
    value: Any = int(key) if (key.isascii() and key.isdigit()) else key
    row = conn.execute(select(stories).where(column == value)).first()
    hops = 0
    while row is not None and row.status == "merged" and row.merged_into and hops < 16:
        row = conn.execute(select(stories).where(stories.c.id == row.merged_into)).first()
        hops += 1
    if row is None:
        raise NotFoundError(
            f"no story {key!r}", hint="`newsdesk stories list` shows the stories and their keys"
        )
    return row


def story_of_article(conn: Connection, article_id: int) -> Any | None:
    query = (
        select(stories)
        .select_from(stories.join(story_members, story_members.c.story_id == stories.c.id))
        .where(story_members.c.article_id == article_id)
    )
    return conn.execute(query).first()


def count_stories(conn: Connection) -> int:
    query = select(func.count()).select_from(stories).where(stories.c.status != "merged")
    return int(conn.execute(query).scalar_one())
