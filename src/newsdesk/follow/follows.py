"""Following, unfollowing and muting: from what a user typed to the thing the indexes know.

"Okafor", "Dr Amara Okafor" and "Amara Okafor" are one person: entity follows
resolve through the understanding stage's aliases to a canonical entity id, so
every alias counts. An author is one journalist identity across outlets: the
same name (compared the way the author index stores it) on any outlet's byline.
A saved search is stored with the user and followed by its id.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, or_, select

from newsdesk.errors import FollowError, NotFoundError
from newsdesk.follow.models import ENTITY_KINDS, FOLLOW_KINDS, MUTE_KINDS, Follow, Mute, Target
from newsdesk.follow.query import parse_query
from newsdesk.store import follow_targets
from newsdesk.store import follows as store
from newsdesk.store.tables import outlets, sources
from newsdesk.store.tables.accounts import saved_searches


def _check_kind(kind: str, allowed: tuple[str, ...], verb: str) -> str:
    kind = kind.strip().lower()
    if kind not in allowed:
        raise FollowError(f"cannot {verb} {kind!r}", hint="choose one of " + ", ".join(allowed))
    return kind


def resolve_target(conn: Connection, kind: str, value: str) -> Target:
    """The canonical target for ``kind`` and what the user typed, or NotFoundError."""
    value = " ".join(value.split())
    if not value:
        raise FollowError(f"no {kind} given", hint=f"write the {kind}'s name after the kind")
    if kind == "author":
        key: str = conn.execute(select(follow_targets.author_key(value))).scalar_one()
        return Target("author", key, value)
    if kind in ENTITY_KINDS:
        found = follow_targets.resolve_entity(conn, kind, value)
        if found is None:
            raise NotFoundError(
                f"no {kind} called {value!r} in any stored article",
                hint="check the spelling, or follow it once an article names it",
            )
        return Target(kind, str(found[0]), found[1])
    if kind == "topic":
        topic = follow_targets.resolve_topic(conn, value)
        if topic is None:
            raise NotFoundError(
                f"no topic {value!r} in any stored article", hint="check the spelling"
            )
        return Target("topic", topic[0], topic[1])
    if kind == "outlet":
        return _resolve_outlet(conn, value)
    if kind == "source":
        return _resolve_source(conn, value)
    if kind == "story":
        label = follow_targets.story_label(conn, _as_id("story", value))
        if label is None:
            raise NotFoundError(f"no story with id {value}", hint="see `newsdesk stories list`")
        return Target("story", str(int(value)), label)
    raise FollowError(f"cannot resolve {kind!r}")


def _as_id(kind: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise FollowError(f"{kind} must be given by its id, not {value!r}") from None


def _resolve_outlet(conn: Connection, value: str) -> Target:
    lowered = value.lower().removeprefix("www.")
    conditions = [outlets.c.domain == lowered, outlets.c.name == value]
    if value.isdigit():
        conditions.append(outlets.c.id == int(value))
    rows = conn.execute(select(outlets.c.id, outlets.c.name).where(or_(*conditions))).all()
    if not rows:
        from sqlalchemy import func

        rows = conn.execute(
            select(outlets.c.id, outlets.c.name).where(func.lower(outlets.c.name) == lowered)
        ).all()
    if not rows:
        raise NotFoundError(f"no outlet {value!r}", hint="give its domain, e.g. tidewater.example")
    if len(rows) > 1:
        raise FollowError(f"{value!r} names {len(rows)} outlets", hint="give the outlet's domain")
    return Target("outlet", str(rows[0].id), rows[0].name)


def _resolve_source(conn: Connection, value: str) -> Target:
    condition = sources.c.id == int(value) if value.isdigit() else sources.c.url == value
    row = conn.execute(
        select(sources.c.id, sources.c.title, sources.c.url).where(condition)
    ).first()
    if row is None:
        raise NotFoundError(f"no source {value!r}", hint="see `newsdesk sources list`")
    return Target("source", str(row.id), row.title or row.url)


def follow(
    conn: Connection,
    user_id: int,
    kind: str,
    value: str,
    *,
    now: datetime,
    window: timedelta = timedelta(days=7),
) -> Follow:
    """Follow something; articles published in the last ``window`` start out as new.

    ``search`` takes a query, which is checked and saved under its text.
    """
    kind = _check_kind(kind, FOLLOW_KINDS, "follow")
    if kind == "search":
        query = parse_query(value)  # a bad query fails here, not at the next refresh
        text = query.render()
        search_id = store.save_search(conn, user_id, text, text, now=now)
        target = Target("search", str(search_id), text)
    else:
        target = resolve_target(conn, kind, value)
    mark = store.window_start_mark(conn, now - window)
    return store.add_follow(conn, user_id, target, now=now, mark=mark)


def _find_search(conn: Connection, user_id: int, value: str) -> int | None:
    try:
        text = parse_query(value).render()
    except FollowError:
        text = value
    row = conn.execute(
        select(saved_searches.c.id).where(
            saved_searches.c.user_id == user_id,
            or_(saved_searches.c.name == value, saved_searches.c.name == text),
        )
    ).first()
    return int(row.id) if row is not None else None


def unfollow(conn: Connection, user_id: int, kind: str, value: str) -> None:
    kind = _check_kind(kind, FOLLOW_KINDS, "unfollow")
    if kind == "search":
        search_id = _find_search(conn, user_id, value)
        removed = search_id is not None and store.remove_follow(conn, user_id, kind, str(search_id))
    else:
        target = resolve_target(conn, kind, value)
        removed = store.remove_follow(conn, user_id, kind, target.target)
    if not removed:
        raise NotFoundError(f"you do not follow {kind} {value!r}", hint="see `newsdesk following`")


def mute(conn: Connection, user_id: int, kind: str, value: str, *, now: datetime) -> Mute:
    """Mute a topic, person, organisation, place, author, outlet or source: it never appears."""
    kind = _check_kind(kind, MUTE_KINDS, "mute")
    return store.add_mute(conn, user_id, resolve_target(conn, kind, value), now=now)


def unmute(conn: Connection, user_id: int, kind: str, value: str) -> None:
    kind = _check_kind(kind, MUTE_KINDS, "unmute")
    target = resolve_target(conn, kind, value)
    if not store.remove_mute(conn, user_id, kind, target.target):
        raise NotFoundError(f"you have not muted {kind} {value!r}")
