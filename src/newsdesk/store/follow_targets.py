"""From a followable thing to the ids of the articles it reaches, as one index range scan.

Each builder returns ``SELECT id`` (labelled ``id``) restricted to ids above
``after_id``; the callers add ``ORDER BY id DESC LIMIT n`` or a capped count.
Authors come from our own ``article_authors``; outlets and sources from
``articles``; people, organisations, places and topics from the understanding
stage's tables; stories from the stories stage's membership table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, func, literal, or_, select

from newsdesk.errors import FollowError
from newsdesk.store.tables import article_authors, articles, outlets


def author_key(name: str) -> Any:
    """The author index key of ``name``, computed by the database exactly as its triggers do."""
    return func.lower(func.trim(literal(name)))


def _int(kind: str, target: str) -> int:
    try:
        return int(target)
    except ValueError:
        raise FollowError(f"{kind} target {target!r} is not an id") from None


def ids_for(kind: str, target: str, *, after_id: int = 0) -> Select[Any]:
    """Ids of the articles a follow or mute of ``(kind, target)`` reaches."""
    if kind == "author":
        return select(article_authors.c.article_id.label("id")).where(
            article_authors.c.author_key == target, article_authors.c.article_id > after_id
        )
    if kind == "outlet":
        return select(articles.c.id.label("id")).where(
            articles.c.outlet_id == _int(kind, target), articles.c.id > after_id
        )
    if kind == "source":
        return select(articles.c.id.label("id")).where(
            articles.c.source_id == _int(kind, target), articles.c.id > after_id
        )
    if kind in ("person", "org", "place"):
        return entity_ids([_int(kind, target)], after_id=after_id)
    if kind == "topic":
        return topic_ids([target], after_id=after_id)
    if kind == "story":
        return story_ids(_int(kind, target), after_id=after_id)
    raise FollowError(f"cannot list articles for {kind!r}")


def ids_for_query_field(kind: str, value: str, *, after_id: int = 0) -> Select[Any]:
    """Ids for a query field term (``author:``, ``outlet:``, ``person:``...), matched by name."""
    if kind == "author":
        return select(article_authors.c.article_id.label("id")).where(
            article_authors.c.author_key == author_key(value),
            article_authors.c.article_id > after_id,
        )
    if kind == "outlet":
        named = select(outlets.c.id).where(
            or_(func.lower(outlets.c.name) == value.lower(), outlets.c.domain == value.lower())
        )
        return select(articles.c.id.label("id")).where(
            articles.c.outlet_id.in_(named), articles.c.id > after_id
        )
    if kind in ("person", "org", "place"):
        return entity_ids_by_name(kind, value, after_id=after_id)
    if kind == "topic":
        return topic_ids_by_name(value, after_id=after_id)
    raise FollowError(f"no field {kind}:")


def _needs(stage: str) -> FollowError:
    return FollowError(
        f"this store has no {stage} tables yet",
        hint=f"upgrade newsdesk; following people, places and topics needs the {stage} stage",
    )


def entity_ids(entity_ids_: Sequence[int], *, after_id: int = 0) -> Select[Any]:
    raise _needs("understanding")


def entity_ids_by_name(kind: str, name: str, *, after_id: int = 0) -> Select[Any]:
    raise _needs("understanding")


def topic_ids(keys: Sequence[str], *, after_id: int = 0) -> Select[Any]:
    raise _needs("understanding")


def topic_ids_by_name(name: str, *, after_id: int = 0) -> Select[Any]:
    raise _needs("understanding")


def story_ids(story_id: int, *, after_id: int = 0) -> Select[Any]:
    raise _needs("stories")


def story_of(conn: Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """The story of each article id that the stories stage has placed in one."""
    return {}


def resolve_entity(conn: Connection, kind: str, name: str) -> tuple[int, str] | None:
    """(entity id, canonical name) of the ``kind`` entity known by ``name`` or any alias."""
    raise _needs("understanding")


def resolve_topic(conn: Connection, name: str) -> tuple[str, str] | None:
    """(topic key, display name) of a topic named ``name``."""
    raise _needs("understanding")


def story_label(conn: Connection, story_id: int) -> str | None:
    raise _needs("stories")
