"""Reader-app reads and writes (Google Reader and Fever APIs): every statement, both engines.

Streams are the user's articles (what their follows reach, mutes left out)
narrowed to sources, one follow, stars, read or unread, and a time window, newest
or oldest first, paged on the article id. Every function takes ``user_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)

from newsdesk.store.accounts import User, _user
from newsdesk.store.read_state import (
    Reach,
    _live_unread_below,
    _reaches,
    _read_above,
    floor,
    is_unread,
    unmuted,
)
from newsdesk.store.tables import articles, sources
from newsdesk.store.tables.accounts import api_tokens, follows, users
from newsdesk.store.tables.read_state import article_stars
from newsdesk.store.tables.reader_apps import fever_keys, item_labels, source_labels

# --- Fever keys ---------------------------------------------------------------------------------


def insert_fever_key(conn: Connection, token_id: int, key_hash: str) -> None:
    conn.execute(fever_keys.insert().values(token_id=token_id, key_hash=key_hash))


def fever_key_user(conn: Connection, key_hash: str) -> User | None:
    """The user of a live token whose Fever key hashes to ``key_hash``, or None."""
    row = conn.execute(
        select(users)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .join(fever_keys, fever_keys.c.token_id == api_tokens.c.id)
        .where(fever_keys.c.key_hash == key_hash, api_tokens.c.revoked_at.is_(None))
    ).first()
    return None if row is None else _user(row)


# --- subscriptions: the sources a user follows, with their own folders and titles --------------


@dataclass(frozen=True, slots=True)
class Subscription:
    source_id: int
    url: str
    title: str
    site_url: str | None
    tags: tuple[str, ...]
    since: datetime


def subscriptions(conn: Connection, user_id: int) -> list[Subscription]:
    """The sources the user follows, with their own title and folders where they set them."""
    lab = source_labels.alias("lab")
    rows = conn.execute(
        select(
            sources.c.id,
            sources.c.url,
            sources.c.title,
            sources.c.site_url,
            sources.c.tags,
            lab.c.title.label("own_title"),
            lab.c.tags.label("own_tags"),
            follows.c.created_at,
        )
        .select_from(
            follows.join(sources, func.cast(sources.c.id, String) == follows.c.target).outerjoin(
                lab, and_(lab.c.source_id == sources.c.id, lab.c.user_id == user_id)
            )
        )
        .where(follows.c.user_id == user_id, follows.c.kind == "source")
        .order_by(sources.c.id)
    )
    return [
        Subscription(
            int(r.id),
            r.url,
            r.own_title or r.title or r.url,
            r.site_url,
            tuple(r.own_tags if r.own_tags is not None else (r.tags or [])),
            r.created_at,
        )
        for r in rows
    ]


def set_source_label(
    conn: Connection,
    user_id: int,
    source_id: int,
    *,
    title: str | None,
    tags: Sequence[str] | None,
) -> None:
    """The user's own title and folders of a source (None keeps the source's)."""
    conn.execute(
        source_labels.delete().where(
            source_labels.c.user_id == user_id, source_labels.c.source_id == source_id
        )
    )
    conn.execute(
        source_labels.insert().values(
            user_id=user_id,
            source_id=source_id,
            title=title,
            tags=list(tags) if tags is not None else None,
        )
    )


def source_id_by_url(conn: Connection, url: str) -> int | None:
    found = conn.execute(select(sources.c.id).where(sources.c.url == url)).scalar()
    return None if found is None else int(found)


def source_followers(conn: Connection, source_id: int) -> int:
    """How many users follow the source directly."""
    return int(
        conn.execute(
            select(func.count()).where(
                follows.c.kind == "source", follows.c.target == str(source_id)
            )
        ).scalar_one()
    )


def visible(reaches: Sequence[Reach], a: Any) -> ColumnElement[bool]:
    """The article row is one the user's follows reach: source and outlet follows folded into
    one ``IN`` each (an app user follows hundreds of sources; 500 ``OR`` branches plan badly)."""
    from sqlalchemy import false

    source_ids = [int(r.target) for r in reaches if r.kind == "source" and r.search is None]
    outlet_ids = [int(r.target) for r in reaches if r.kind == "outlet" and r.search is None]
    rest = [r for r in reaches if r.search is not None or r.kind not in ("source", "outlet")]
    parts: list[ColumnElement[bool]] = []
    if source_ids:
        parts.append(a.c.source_id.in_(source_ids))
    if outlet_ids:
        parts.append(a.c.outlet_id.in_(outlet_ids))
    parts += [_reaches(r, a) for r in rest]
    return or_(*parts) if parts else false()


def unread_per_source(
    conn: Connection, user_id: int, reaches: Sequence[Reach], *, mutes: Sequence[Reach] = ()
) -> dict[int | None, int]:
    """Unread articles per source id: a range scan above the user's floor (less the "read"
    rows there) plus their live "unread" rows below it, two grouped statements in all."""
    floor_value = floor(conn, user_id)
    a = articles.alias("a")
    above = conn.execute(
        select(a.c.source_id, func.count())
        .where(
            a.c.id > floor_value,
            visible(reaches, a),
            not_(_read_above(user_id, a.c.id)),
            *unmuted(mutes, a),
        )
        .group_by(a.c.source_id)
    )
    found: dict[int | None, int] = {r[0]: int(r[1]) for r in above}
    reads, live = _live_unread_below(user_id, floor_value)
    below = conn.execute(
        select(a.c.source_id, func.count())
        .select_from(reads.join(a, a.c.id == reads.c.article_id))
        .where(*live, visible(reaches, a), *unmuted(mutes, a))
        .group_by(a.c.source_id)
    )
    for r in below:
        found[r[0]] = found.get(r[0], 0) + int(r[1])
    return found


# --- labels on single items ---------------------------------------------------------------------


def add_item_label(
    conn: Connection, user_id: int, ids: Sequence[int], label: str, *, now: datetime
) -> int:
    """Put ``label`` on the user's articles ``ids`` (those without it); one statement.

    The caller has checked that the user can see every id.
    """
    a = articles.alias("a")
    have = exists().where(
        item_labels.c.user_id == user_id,
        item_labels.c.article_id == a.c.id,
        item_labels.c.label == label,
    )
    rows = select(
        literal(user_id, Integer),
        a.c.id,
        literal(label, String),
        literal(now, item_labels.c.labelled_at.type),
    ).where(a.c.id.in_(list(ids)), not_(have))
    stmt = item_labels.insert().from_select(["user_id", "article_id", "label", "labelled_at"], rows)
    return len(conn.execute(stmt.returning(item_labels.c.article_id)).all())


def remove_item_label(conn: Connection, user_id: int, ids: Sequence[int], label: str) -> int:
    """Take ``label`` off the user's articles ``ids``; one statement."""
    stmt = item_labels.delete().where(
        item_labels.c.user_id == user_id,
        item_labels.c.label == label,
        item_labels.c.article_id.in_(list(ids)),
    )
    return len(conn.execute(stmt.returning(item_labels.c.article_id)).all())


def item_label_names(conn: Connection, user_id: int) -> list[str]:
    """The labels the user has put on items, sorted."""
    rows = conn.execute(
        select(item_labels.c.label)
        .where(item_labels.c.user_id == user_id)
        .group_by(item_labels.c.label)
        .order_by(item_labels.c.label)
    )
    return [str(r[0]) for r in rows]


def labels_of(conn: Connection, user_id: int, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Article id -> the user's labels on it (sorted), for those of ``ids`` that have some."""
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = conn.execute(
        select(item_labels.c.article_id, item_labels.c.label)
        .where(item_labels.c.user_id == user_id, item_labels.c.article_id.in_(list(ids)))
        .order_by(item_labels.c.article_id, item_labels.c.label)
    )
    for r in rows:
        found.setdefault(int(r.article_id), []).append(str(r.label))
    return {k: tuple(v) for k, v in found.items()}


def rename_item_label(conn: Connection, user_id: int, old: str, new: str) -> None:
    """Every item labelled ``old`` is labelled ``new`` (an item that has both keeps one)."""
    if old == new:
        return
    twin = item_labels.alias("twin")
    already = exists().where(
        twin.c.user_id == user_id,
        twin.c.article_id == item_labels.c.article_id,
        twin.c.label == new,
    )
    conn.execute(
        item_labels.delete().where(
            item_labels.c.user_id == user_id, item_labels.c.label == old, already
        )
    )
    conn.execute(
        item_labels.update()
        .where(item_labels.c.user_id == user_id, item_labels.c.label == old)
        .values(label=new)
    )


def drop_item_label(conn: Connection, user_id: int, label: str) -> None:
    conn.execute(
        item_labels.delete().where(item_labels.c.user_id == user_id, item_labels.c.label == label)
    )


def _labelled(user_id: int, label: str, a: Any) -> ColumnElement[bool]:
    """The article row ``a`` carries the user's ``label``."""
    return a.c.id.in_(  # type: ignore[no-any-return]
        select(item_labels.c.article_id).where(
            item_labels.c.user_id == user_id, item_labels.c.label == label
        )
    )


def unread_labelled(
    conn: Connection,
    user_id: int,
    reaches: Sequence[Reach],
    *,
    mutes: Sequence[Reach] = (),
) -> list[tuple[str, int, int | None]]:
    """(label, article id, source id) of every unread article the user has labelled and still
    sees: the labels' own share of the unread counts (the caller adds the folders' sources)."""
    a = articles.alias("a")
    floor_value = floor(conn, user_id)
    rows = conn.execute(
        select(item_labels.c.label, a.c.id, a.c.source_id)
        .select_from(item_labels.join(a, a.c.id == item_labels.c.article_id))
        .where(
            item_labels.c.user_id == user_id,
            is_unread(user_id, a.c.id, floor_value),
            visible(reaches, a),
            *unmuted(mutes, a),
        )
    )
    return [(str(r[0]), int(r[1]), r[2]) for r in rows]


# --- streams ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StreamQuery:
    """Which of the user's articles a stream holds, and which page of it."""

    source_ids: tuple[int, ...] | None = None  # None: every source
    item_label: str | None = None  # with source_ids: also the items the user labelled so
    reach: Reach | None = None  # one follow's articles
    starred: bool = False
    read: bool | None = None  # True: read only; False: unread only
    newer_than: datetime | None = None
    older_than: datetime | None = None
    oldest_first: bool = False
    after_id: int | None = None  # continuation (oldest first)
    before_id: int | None = None  # continuation (newest first)
    since_id: int | None = None  # Fever: ids above
    max_id: int | None = None  # Fever: ids below
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    title: str
    url: str | None
    source_id: int | None
    authors: tuple[str, ...]
    published_at: datetime | None
    fetched_at: datetime
    description: str | None
    paragraphs: tuple[str, ...]
    read: bool
    starred: bool
    labels: tuple[str, ...] = ()


def _columns(a: Any, user_id: int, floor_value: int, content: bool) -> list[Any]:
    star = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    cols = [
        a.c.id,
        a.c.title,
        a.c.url,
        a.c.canonical_url,
        a.c.source_id,
        a.c.authors,
        a.c.published_at,
        a.c.fetched_at,
        is_unread(user_id, a.c.id, floor_value).label("unread"),
        star.label("starred"),
    ]
    if content:
        cols += [a.c.description, a.c.paragraphs]
    return cols


def _item(r: Any, content: bool) -> ItemRow:
    return ItemRow(
        id=int(r.id),
        title=r.title,
        url=r.canonical_url or r.url,
        source_id=r.source_id,
        authors=tuple(r.authors or ()),
        published_at=r.published_at,
        fetched_at=r.fetched_at,
        description=r.description if content else None,
        paragraphs=tuple(r.paragraphs or ()) if content else (),
        read=not r.unread,
        starred=bool(r.starred),
    )


def stream(
    conn: Connection,
    user_id: int,
    reaches: Sequence[Reach],
    q: StreamQuery,
    *,
    mutes: Sequence[Reach] = (),
    content: bool = True,
) -> list[ItemRow]:
    """One page of a stream (``q.limit`` rows; ask one more to know whether it continues)."""
    a = articles.alias("a")
    floor_value = floor(conn, user_id)
    star = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    where: list[ColumnElement[bool]] = []
    if q.starred:
        where.append(star)
    else:
        where.append(_reaches(q.reach, a) if q.reach is not None else visible(reaches, a))
        where += unmuted(mutes, a)
    if q.source_ids is not None:
        scope = a.c.source_id.in_(list(q.source_ids)) if q.source_ids else a.c.id < 0
        if q.item_label is not None:
            scope = or_(scope, _labelled(user_id, q.item_label, a))
        where.append(scope)
    unread = is_unread(user_id, a.c.id, floor_value)
    if q.read is True:
        where.append(not_(unread))
    elif q.read is False:
        where.append(unread)
    if q.newer_than is not None:
        where.append(a.c.fetched_at >= q.newer_than)
    if q.older_than is not None:
        where.append(a.c.fetched_at <= q.older_than)
    if q.after_id is not None:
        where.append(a.c.id > q.after_id)
    if q.before_id is not None:
        where.append(a.c.id < q.before_id)
    if q.since_id is not None:
        where.append(a.c.id > q.since_id)
    if q.max_id is not None:
        where.append(a.c.id < q.max_id)
    order = a.c.id.asc() if q.oldest_first else a.c.id.desc()
    query = select(*_columns(a, user_id, floor_value, content)).where(*where)
    rows = [_item(r, content) for r in conn.execute(query.order_by(order).limit(q.limit))]
    return _with_labels(conn, user_id, rows)


def _with_labels(conn: Connection, user_id: int, rows: list[ItemRow]) -> list[ItemRow]:
    found = labels_of(conn, user_id, [r.id for r in rows])
    if not found:
        return rows
    return [replace(r, labels=found[r.id]) if r.id in found else r for r in rows]


def items_by_ids(
    conn: Connection, user_id: int, reaches: Sequence[Reach], ids: Sequence[int]
) -> list[ItemRow]:
    """The articles of ``ids`` the user can see or has starred, newest first."""
    if not ids:
        return []
    a = articles.alias("a")
    floor_value = floor(conn, user_id)
    star = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    query = (
        select(*_columns(a, user_id, floor_value, True))
        .where(a.c.id.in_(list(ids)), visible(reaches, a) | star)
        .order_by(a.c.id.desc())
    )
    return _with_labels(conn, user_id, [_item(r, True) for r in conn.execute(query)])


def starred_ids(conn: Connection, user_id: int, *, limit: int) -> list[int]:
    rows = conn.execute(
        select(article_stars.c.article_id)
        .where(article_stars.c.user_id == user_id)
        .order_by(article_stars.c.article_id.desc())
        .limit(limit)
    )
    return [int(r[0]) for r in rows]
