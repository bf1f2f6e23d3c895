"""Reader-app reads and writes (Google Reader and Fever APIs): every statement, both engines.

Streams are the user's articles (what their follows reach, mutes left out)
narrowed to sources, one follow, stars, read or unread, and a time window, newest
or oldest first, paged on the article id. Every function takes ``user_id``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    type_coerce,
)

from newsdesk.store.accounts import User, _user
from newsdesk.store.read_state import (
    Reach,
    _live_unread_below,
    _reaches,
    _read_above,
    floor,
    in_ids,
    is_unread,
    unmuted,
)
from newsdesk.store.tables import articles, sources
from newsdesk.store.tables.accounts import api_tokens, follows, users
from newsdesk.store.tables.read_state import article_reads, article_stars
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
    """The sources the user follows, with their own title and folders where they set them.

    Two indexed reads: the follows' targets, then those sources by id (a join on
    ``CAST(sources.id AS TEXT) = follows.target`` compares every pair: 250,000 for 500).
    """
    since: dict[int, datetime] = {}
    for r in conn.execute(
        select(follows.c.target, follows.c.created_at).where(
            follows.c.user_id == user_id, follows.c.kind == "source"
        )
    ):
        target = str(r.target)
        if target.isascii() and target.isdigit():
            since[int(target)] = r.created_at
    if not since:
        return []
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
        )
        .select_from(
            sources.outerjoin(lab, and_(lab.c.source_id == sources.c.id, lab.c.user_id == user_id))
        )
        .where(_one_of(sources.c.id, sorted(since), conn.dialect.name))
        .order_by(sources.c.id)
    )
    return [
        Subscription(
            int(r.id),
            r.url,
            r.own_title or r.title or r.url,
            r.site_url,
            tuple(r.own_tags if r.own_tags is not None else (r.tags or [])),
            since[int(r.id)],
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


def _one_of(column: Any, ids: Sequence[int], dialect: str | None) -> ColumnElement[bool]:
    """``column IN ids``; a long list is one bound array (PostgreSQL ``= ANY``) or JSON array
    (SQLite ``json_each``): rendering 500 bound values on every call costs more than the read."""
    if dialect is None or len(ids) < 20:
        return column.in_(list(ids))  # type: ignore[no-any-return]
    if dialect == "postgresql":
        array = bindparam(None, list(ids), type_=ARRAY(Integer), unique=True)
        return column == func.any(array)  # type: ignore[no-any-return]
    listed = func.json_each(bindparam(None, json.dumps(list(ids)), unique=True))
    return column.in_(select(listed.table_valued("value").c.value))  # type: ignore[no-any-return]


def _column(a: Any, name: str, walk: bool) -> Any:
    """``a.<name>``, or ``a.<name> + 0`` where the query must walk the id order: SQLite takes
    an index on a column under an ``IN`` of hundreds of values, then sorts every match."""
    column = a.c[name]
    return column + 0 if walk else column


def visible(
    reaches: Sequence[Reach], a: Any, *, walk: bool = False, dialect: str | None = None
) -> ColumnElement[bool]:
    """The article row is one the user's follows reach: source and outlet follows folded into
    one ``IN`` each (an app user follows hundreds of sources; 500 ``OR`` branches plan badly)."""
    from sqlalchemy import false

    source_ids = [int(r.target) for r in reaches if r.kind == "source" and r.search is None]
    outlet_ids = [int(r.target) for r in reaches if r.kind == "outlet" and r.search is None]
    rest = [r for r in reaches if r.search is not None or r.kind not in ("source", "outlet")]
    parts: list[ColumnElement[bool]] = []
    if source_ids:
        parts.append(_one_of(_column(a, "source_id", walk), source_ids, dialect))
    if outlet_ids:
        parts.append(_one_of(_column(a, "outlet_id", walk), outlet_ids, dialect))
    parts += [_reaches(r, a) for r in rest]
    return or_(*parts) if parts else false()


def unread_per_source(
    conn: Connection, user_id: int, reaches: Sequence[Reach], *, mutes: Sequence[Reach] = ()
) -> dict[int | None, int]:
    """Unread articles per source id: what is above the user's floor less the "read" rows
    there, plus their live "unread" rows below it.

    Why the subtraction: every article of a source the user follows directly is
    theirs, so above the floor its count is a range count on the (source, id)
    index, and only the user's "read" rows there are looked up, not one probe per
    unread article (half a million of them cost a second). Articles other follows
    reach from other sources, and every article when the user mutes something,
    are counted article by article.
    """
    floor_value = floor(conn, user_id)
    a = articles.alias("a")
    dialect = conn.dialect.name
    direct = sorted({int(r.target) for r in reaches if r.kind == "source" and r.search is None})
    others = [r for r in reaches if not (r.kind == "source" and r.search is None)]
    found: dict[int | None, int] = {}

    def add(rows: Any, sign: int = 1) -> None:
        for r in rows:
            found[r[0]] = found.get(r[0], 0) + sign * int(r[1])

    if direct and not mutes:
        in_direct = _one_of(a.c.source_id, direct, dialect)
        add(
            conn.execute(
                select(a.c.source_id, func.count())
                .where(in_direct, a.c.id > floor_value)
                .group_by(a.c.source_id)
            )
        )
        reads = article_reads.alias("read_above")
        add(
            conn.execute(
                select(a.c.source_id, func.count())
                .select_from(reads.join(a, a.c.id == reads.c.article_id))
                .where(
                    reads.c.user_id == user_id,
                    reads.c.is_read == true(),
                    reads.c.article_id > floor_value,
                    in_direct,
                )
                .group_by(a.c.source_id)
            ),
            -1,
        )
        # the rest: what other follows reach from sources not followed directly
        outside = not_(_one_of(a.c.source_id, direct, dialect))
        rest = and_(visible(others, a, dialect=dialect), or_(a.c.source_id.is_(None), outside))
    else:
        rest = visible(reaches, a, dialect=dialect)
    if not direct or mutes or others:
        add(
            conn.execute(
                select(a.c.source_id, func.count())
                .where(
                    a.c.id > floor_value,
                    rest,
                    not_(_read_above(user_id, a.c.id)),
                    *unmuted(mutes, a),
                )
                .group_by(a.c.source_id)
            )
        )
    below_reads, live = _live_unread_below(user_id, floor_value)
    add(
        conn.execute(
            select(a.c.source_id, func.count())
            .select_from(below_reads.join(a, a.c.id == below_reads.c.article_id))
            .where(*live, visible(reaches, a, dialect=dialect), *unmuted(mutes, a))
            .group_by(a.c.source_id)
        )
    )
    return {k: v for k, v in found.items() if v}


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
        .where(
            item_labels.c.user_id == user_id,
            in_ids(item_labels.c.article_id, conn.dialect.name, ids),
        )
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
            visible(reaches, a, dialect=conn.dialect.name),
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


#: Columns a page reads as stored text on SQLite and decodes in one step (see ``_columns``).
_RAW = ("authors", "published_at", "fetched_at", "paragraphs")


def _columns(a: Any, user_id: int, floor_value: int, content: bool, raw: bool) -> list[Any]:
    """The columns of a page of items. ``raw`` (SQLite): the JSON and time columns come as
    their stored text, decoded by ``_item`` with one ``json.loads`` / ``fromisoformat``
    each; through the column types it is two layers of processing a value, a third of
    the time of a 1,000-item page."""
    star = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    names = ["id", "title", "url", "canonical_url", "source_id", "authors", "published_at"]
    names += ["fetched_at"] + (["description", "paragraphs"] if content else [])
    cols = [type_coerce(a.c[n], Text).label(n) if raw and n in _RAW else a.c[n] for n in names]
    return [*cols, is_unread(user_id, a.c.id, floor_value).label("unread"), star.label("starred")]


def _when(value: Any, raw: bool) -> Any:
    if not raw or value is None:
        return value
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _listed(value: Any, raw: bool) -> tuple[Any, ...]:
    if raw and value is not None:
        value = json.loads(value)
    return tuple(value or ())


def _item(r: Any, content: bool, raw: bool = False) -> ItemRow:
    return ItemRow(
        id=int(r.id),
        title=r.title,
        url=r.canonical_url or r.url,
        source_id=r.source_id,
        authors=_listed(r.authors, raw),
        published_at=_when(r.published_at, raw),
        fetched_at=_when(r.fetched_at, raw),
        description=r.description if content else None,
        paragraphs=_listed(r.paragraphs, raw) if content else (),
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
    """One page of a stream (``q.limit`` rows; ask one more to know whether it continues).

    Two reads: the page's ids in id order (a narrow read the filters decide), then
    the columns, read state and stars of those ids only. On SQLite a stream of
    many sources walks the id index newest first rather than the (source, id)
    index (which would sort every article of every source for one page); "many"
    is a twentieth of the install's sources or more.
    """
    a = articles.alias("a")
    floor_value = floor(conn, user_id)
    star = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    walk = _walk(conn, reaches, q)
    where: list[ColumnElement[bool]] = []
    if q.starred:
        where.append(star)
    else:
        where.append(
            _reaches(q.reach, a)
            if q.reach is not None
            else visible(reaches, a, walk=walk, dialect=conn.dialect.name)
        )
        where += unmuted(mutes, a)
    if q.source_ids is not None:
        in_scope = _one_of(_column(a, "source_id", walk), q.source_ids, conn.dialect.name)
        scope = in_scope if q.source_ids else a.c.id < 0
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
    ids = [
        int(r[0]) for r in conn.execute(select(a.c.id).where(*where).order_by(order).limit(q.limit))
    ]
    if not ids:
        return []
    raw = conn.dialect.name == "sqlite"
    query = select(*_columns(a, user_id, floor_value, content, raw)).where(
        in_ids(a.c.id, conn.dialect.name, ids)
    )
    rows = [_item(r, content, raw) for r in conn.execute(query.order_by(order))]
    return _with_labels(conn, user_id, rows)


def _walk(conn: Connection, reaches: Sequence[Reach], q: StreamQuery) -> bool:
    """Whether a SQLite stream should walk the id index (see ``stream``)."""
    if conn.dialect.name != "sqlite" or q.starred or q.reach is not None:
        return False
    if q.source_ids is not None:
        wanted = len(q.source_ids)
    else:
        wanted = sum(1 for r in reaches if r.kind in ("source", "outlet") and r.search is None)
    if wanted < 2:
        return False
    total = int(conn.execute(select(func.count()).select_from(sources)).scalar_one())
    return wanted * 20 >= total


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
        select(*_columns(a, user_id, floor_value, True, False))
        .where(
            in_ids(a.c.id, conn.dialect.name, ids),
            visible(reaches, a, dialect=conn.dialect.name) | star,
        )
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
