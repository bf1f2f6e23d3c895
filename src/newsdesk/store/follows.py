"""Follow and mute records: a user's follows (with their marks), mutes and saved searches.

Every function that reads or writes a user's rows takes ``user_id`` and
filters on it; nothing here can reach another user's follows, marks or
searches. What the follows reach (the per-follow reads of Following and For
you) is in ``follow_reads``; the query language's SQL is in ``search``.

A follow's mark is an article id: article ids only grow, so "new since the
last check" is ``id > mark`` and needs no clock. A new follow's mark starts at
the beginning of a time window (``window_start_mark``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Row, func, or_, select

from newsdesk.errors import NotFoundError
from newsdesk.store.records import Follow, Mute, SavedSearch, Target
from newsdesk.store.tables import articles
from newsdesk.store.tables.accounts import follows, mutes, saved_searches


def _follow(row: Row[tuple[object, ...]]) -> Follow:
    m = row._mapping
    return Follow(
        int(m["id"]),
        str(m["kind"]),
        str(m["target"]),
        str(m["label"]),
        m["created_at"],
        int(m["mark_article_id"]),
        m["checked_at"],
    )


def _mute(row: Row[tuple[object, ...]]) -> Mute:
    m = row._mapping
    return Mute(int(m["id"]), str(m["kind"]), str(m["target"]), str(m["label"]))


def add_follow(
    conn: Connection, user_id: int, target: Target, *, now: datetime, mark: int = 0
) -> Follow:
    """Follow ``target`` with its mark at ``mark`` (following it again returns the first)."""
    existing = conn.execute(
        select(follows).where(
            follows.c.user_id == user_id,
            follows.c.kind == target.kind,
            follows.c.target == target.target,
        )
    ).first()
    if existing is not None:
        return _follow(existing)
    values = {
        "user_id": user_id,
        "kind": target.kind,
        "target": target.target,
        "label": target.label[:300],
        "created_at": now,
        "mark_article_id": mark,
    }
    key = conn.execute(follows.insert().values(**values)).inserted_primary_key
    assert key is not None
    follow_id = int(key[0])
    row = conn.execute(select(follows).where(follows.c.id == follow_id)).one()
    return _follow(row)


def remove_follow(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    result = conn.execute(
        follows.delete().where(
            follows.c.user_id == user_id, follows.c.kind == kind, follows.c.target == target
        )
    )
    return bool(result.rowcount)


def list_follows(conn: Connection, user_id: int) -> list[Follow]:
    rows = conn.execute(select(follows).where(follows.c.user_id == user_id).order_by(follows.c.id))
    return [_follow(r) for r in rows]


def add_mute(conn: Connection, user_id: int, target: Target, *, now: datetime) -> Mute:
    where = (
        mutes.c.user_id == user_id,
        mutes.c.kind == target.kind,
        mutes.c.target == target.target,
    )
    row = conn.execute(select(mutes).where(*where)).first()
    if row is None:
        conn.execute(
            mutes.insert().values(
                user_id=user_id,
                kind=target.kind,
                target=target.target,
                label=target.label[:300],
                created_at=now,
            )
        )
        row = conn.execute(select(mutes).where(*where)).one()
    return _mute(row)


def remove_mute(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    result = conn.execute(
        mutes.delete().where(
            mutes.c.user_id == user_id, mutes.c.kind == kind, mutes.c.target == target
        )
    )
    return bool(result.rowcount)


def list_mutes(conn: Connection, user_id: int) -> list[Mute]:
    rows = conn.execute(select(mutes).where(mutes.c.user_id == user_id).order_by(mutes.c.id))
    return [_mute(r) for r in rows]


# --- saved searches --------------------------------------------------------------------


def save_search(conn: Connection, user_id: int, name: str, query: str, *, now: datetime) -> int:
    """Store a named query for the user (same name: the query is replaced); returns its id."""
    row = conn.execute(
        select(saved_searches.c.id).where(
            saved_searches.c.user_id == user_id, saved_searches.c.name == name
        )
    ).first()
    if row is not None:
        conn.execute(
            saved_searches.update().where(saved_searches.c.id == row.id).values(query=query)
        )
        return int(row.id)
    result = conn.execute(
        saved_searches.insert().values(user_id=user_id, name=name, query=query, created_at=now)
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def get_saved_search(conn: Connection, user_id: int, search_id: int) -> tuple[str, str]:
    """(name, query) of one of the user's saved searches."""
    row = conn.execute(
        select(saved_searches.c.name, saved_searches.c.query).where(
            saved_searches.c.id == search_id, saved_searches.c.user_id == user_id
        )
    ).first()
    if row is None:
        raise NotFoundError(f"you have no saved search with id {search_id}")
    return str(row.name), str(row.query)


def saved_searches_by_id(
    conn: Connection, user_id: int, search_ids: Sequence[int]
) -> dict[int, SavedSearch]:
    """The user's saved searches among ``search_ids`` (another user's ids are simply absent)."""
    if not search_ids:
        return {}
    rows = conn.execute(
        select(saved_searches.c.id, saved_searches.c.name, saved_searches.c.query).where(
            saved_searches.c.user_id == user_id, saved_searches.c.id.in_(list(search_ids))
        )
    )
    return {int(r.id): SavedSearch(int(r.id), str(r.name), str(r.query)) for r in rows}


def find_saved_search(conn: Connection, user_id: int, names: Sequence[str]) -> int | None:
    """The id of the user's saved search called any of ``names``, or None."""
    row = conn.execute(
        select(saved_searches.c.id).where(
            saved_searches.c.user_id == user_id,
            or_(*(saved_searches.c.name == name for name in names)),
        )
    ).first()
    return int(row.id) if row is not None else None


def list_saved_searches(conn: Connection, user_id: int) -> list[tuple[int, str, str]]:
    rows = conn.execute(
        select(saved_searches.c.id, saved_searches.c.name, saved_searches.c.query)
        .where(saved_searches.c.user_id == user_id)
        .order_by(saved_searches.c.id)
    )
    return [(int(r.id), str(r.name), str(r.query)) for r in rows]


# --- marks ---------------------------------------------------------------------------


def max_article_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one())


def window_start_mark(conn: Connection, since: datetime) -> int:
    """The mark that makes everything published since ``since`` new: the id just below it.

    Used once, when a follow is made, so a new follow shows the recent past;
    afterwards marks move only when the user checks. Articles stored later
    always get larger ids, so they are new whatever date they carry.
    """
    first: int | None = conn.execute(
        select(func.min(articles.c.id)).where(
            func.coalesce(articles.c.published_at, articles.c.fetched_at) >= since
        )
    ).scalar_one()
    return max_article_id(conn) if first is None else int(first) - 1


def mark_checked(
    conn: Connection,
    user_id: int,
    *,
    upto_article_id: int,
    now: datetime,
    follow_ids: Sequence[int] | None = None,
) -> int:
    """Move the marks of the user's follows (all, or ``follow_ids``) to ``upto_article_id``.

    ``upto_article_id`` is the newest id the user was shown, so an article
    stored while they were reading stays new. Returns how many follows moved;
    an id that is not the user's raises NotFoundError.
    """
    where: list[ColumnElement[bool]] = [follows.c.user_id == user_id]
    if follow_ids is not None:
        where.append(follows.c.id.in_(list(follow_ids)))
        owned = conn.execute(select(func.count()).select_from(follows).where(*where)).scalar_one()
        if owned != len(set(follow_ids)):
            raise NotFoundError(
                "you do not follow some of those ids", hint="see `newsdesk following`"
            )
    result = conn.execute(
        follows.update()
        .where(*where, follows.c.mark_article_id < upto_article_id)
        .values(mark_article_id=upto_article_id, checked_at=now)
    )
    conn.execute(
        follows.update().where(*where, follows.c.checked_at.is_(None)).values(checked_at=now)
    )
    return int(result.rowcount)
