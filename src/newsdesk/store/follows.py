"""Queries of the follow stage: follows, mutes, saved searches, and the articles they reach.

Every followable thing is answered by one index range scan over article ids:
an author by ``article_authors (author_key, article_id)``, an outlet or source
by ``articles (outlet_id, id)`` / ``(source_id, id)``, an entity, topic or
story by the understanding and stories tables' ``(target, article_id)``
indexes, a saved search by the full-text index. Article ids only grow, so
"new since the last check" is ``id > mark`` and "newest first" is ``id DESC``:
no clock, no sort over the whole history, and every scan starts at a mark
and stops at a LIMIT (a page, or ``COUNT_CAP`` for counts). A new follow's mark
starts at the beginning of a time window (``window_start_mark``).

The hot path (one statement per follow, thirty per page view) is written as
plain SQL templates in ``follow_targets``: small statements of a few shapes
that SQLite and PostgreSQL plan once, sent to PostgreSQL in one pipeline.

Every function that reads or writes a user's rows takes ``user_id`` and
filters on it; nothing here can reach another user's follows or marks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    func,
    select,
    text,
)
from sqlalchemy.sql.elements import TextClause

from newsdesk.errors import NotFoundError
from newsdesk.follow.models import ArticleCard, Follow, Mute, Target
from newsdesk.follow.query import Query, Term
from newsdesk.store import follow_targets as targets
from newsdesk.store import search as fts
from newsdesk.store.tables import articles, outlets
from newsdesk.store.tables.accounts import follows, mutes, saved_searches

COUNT_CAP = 1000  # counts stop here ("1000+"): a count is a scan, and nobody reads past it


# --- follows, mutes and saved searches -----------------------------------------------


def _follow(row: Any) -> Follow:
    return Follow(
        int(row.id),
        row.kind,
        row.target,
        row.label,
        row.created_at,
        int(row.mark_article_id),
        row.checked_at,
    )


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
    return Mute(int(row.id), row.kind, row.target, row.label)


def remove_mute(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    result = conn.execute(
        mutes.delete().where(
            mutes.c.user_id == user_id, mutes.c.kind == kind, mutes.c.target == target
        )
    )
    return bool(result.rowcount)


def list_mutes(conn: Connection, user_id: int) -> list[Mute]:
    rows = conn.execute(select(mutes).where(mutes.c.user_id == user_id).order_by(mutes.c.id))
    return [Mute(int(r.id), r.kind, r.target, r.label) for r in rows]


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
    return row.name, row.query


def list_saved_searches(conn: Connection, user_id: int) -> list[tuple[int, str, str]]:
    rows = conn.execute(
        select(saved_searches.c.id, saved_searches.c.name, saved_searches.c.query)
        .where(saved_searches.c.user_id == user_id)
        .order_by(saved_searches.c.id)
    )
    return [(int(r.id), r.name, r.query) for r in rows]


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


# --- what follows and mutes reach ------------------------------------------------------


def muted_filter(
    id_column: ColumnElement[int], mute_list: Sequence[Mute], *, after_id: int
) -> list[ColumnElement[bool]]:
    """Conditions dropping every article a mute reaches: mutes always win."""
    return [
        id_column.not_in(targets.ids_for(m.kind, m.target, after_id=after_id)) for m in mute_list
    ]


def _follow_ids(
    conn: Connection, user_id: int, follow: Follow, floor: int, now: datetime
) -> Select[Any]:
    after = max(follow.mark_article_id, floor)
    if follow.kind == "search":
        from newsdesk.follow.query import parse_query

        _, text = get_saved_search(conn, user_id, int(follow.target))
        return query_ids(conn.dialect.name, parse_query(text), now=now, after_id=after)
    return targets.ids_for(follow.kind, follow.target, after_id=after)


@functools.lru_cache(maxsize=512)
def _text(sql: str) -> TextClause:
    return text(sql)


def _fast_branch(i: int, follow: Follow, mute_list: Sequence[Mute], *, mode: str) -> str | None:
    """SQL of follow ``i``'s branch (parameters prefixed ``f{i}``); None for saved searches."""
    base = targets.target_sql(follow.kind, f"f{i}")
    if base is None:
        return None
    conditions = []
    for j, mute in enumerate(mute_list):
        sub = targets.target_sql(mute.kind, f"f{i}m{j}")
        if sub is None:
            return None
        conditions.append(f"x.id NOT IN ({sub})")
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    if mode == "count":
        inner = f"SELECT x.id FROM ({base}) x{where} LIMIT :f{i}lim"
        return f"SELECT :f{i}id AS fid, count(*) AS n FROM ({inner}) c{i}"
    if mode == "both":
        # The newest ``cap`` ids, counted, of which the first page comes back: one scan.
        newest = f"SELECT x.id FROM ({base}) x{where} ORDER BY x.id DESC LIMIT :f{i}cap"
        both = (
            f"SELECT :f{i}id AS fid, c.id AS id, count(*) OVER () AS n FROM ({newest}) c"
            f" ORDER BY c.id DESC LIMIT :f{i}lim"
        )
        return f"SELECT fid, id, n FROM ({both}) b{i}"
    page = f"SELECT x.id FROM ({base}) x{where} ORDER BY x.id DESC LIMIT :f{i}lim"
    return f"SELECT :f{i}id AS fid, p{i}.id AS id FROM ({page}) p{i}"


def _fast_params(
    i: int, follow: Follow, after: int, mute_list: Sequence[Mute], limit: int, cap: int
) -> dict[str, Any]:
    params: dict[str, Any] = {
        f"f{i}id": follow.id,
        f"f{i}t": targets.target_value(follow.kind, follow.target),
        f"f{i}a": after,
        f"f{i}lim": limit,
        f"f{i}cap": cap,
    }
    for j, mute in enumerate(mute_list):
        params[f"f{i}m{j}t"] = targets.target_value(mute.kind, mute.target)
        params[f"f{i}m{j}a"] = after  # only articles above the mark can be hidden from this page
    return params


_PARAM = re.compile(r"(?<!:):(\w+)")


def _run_pipelined_each(
    conn: Connection, statements: list[tuple[str, dict[str, Any]]]
) -> list[list[Any]]:
    """Run psycopg statements in one pipeline, prepared; the rows of each, in order."""
    raw: Any = conn.connection.dbapi_connection
    cursors = []
    with raw.pipeline():
        for sql, values in statements:
            cursor = raw.cursor()
            cursor.execute(sql, values, prepare=True)
            cursors.append(cursor)
    results = []
    for cursor in cursors:
        results.append(cursor.fetchall())
        cursor.close()
    return results


def _run_pipelined(conn: Connection, statements: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    return [row for rows in _run_pipelined_each(conn, statements) for row in rows]


def _per_follow(
    conn: Connection,
    user_id: int,
    follow_list: Sequence[Follow],
    afters: dict[int, int],
    *,
    now: datetime,
    mute_list: Sequence[Mute],
    limit: int,
    mode: str,
    cap: int = COUNT_CAP,
) -> list[Any]:
    """Rows ``(fid, n)`` or ``(fid, id)`` for every follow, in one round trip where possible.

    The branches are plain SQL (building 30 SQLAlchemy subqueries per page view
    costs more than running them); on PostgreSQL they are joined by UNION ALL
    to spare 30 round trips. Saved searches take a statement each.
    """
    branches: list[str] = []
    params: dict[str, Any] = {}
    rows: list[Any] = []
    slow: list[Follow] = []
    # One small statement per follow, of a few shapes (kind and mutes), so each
    # is planned once: SQLite runs them in-process; PostgreSQL gets them all in
    # one pipeline of prepared statements (one round trip, no re-planning).
    # Other engines get one UNION ALL.
    dialect = conn.dialect.name
    pipelined: list[tuple[str, dict[str, Any]]] = []
    for i, follow in enumerate(follow_list):
        n = 0 if dialect in ("sqlite", "postgresql") else i
        sql = _fast_branch(n, follow, mute_list, mode=mode)
        values = _fast_params(n, follow, afters[follow.id], mute_list, limit, cap)
        if sql is None:
            slow.append(follow)
        elif dialect == "sqlite":
            rows += list(conn.execute(_text(sql), values))
        elif dialect == "postgresql":
            pipelined.append((_PARAM.sub(r"%(\1)s", sql), values))
        else:
            branches.append(sql)
            params.update(values)
    if branches:
        rows += list(conn.execute(_text(" UNION ALL ".join(branches)), params))
    if pipelined:
        rows += _run_pipelined(conn, pipelined)
    for follow in slow:
        after = afters[follow.id]
        marked = Follow(
            follow.id, follow.kind, follow.target, follow.label, follow.created_at, after, None
        )
        ids = _follow_ids(conn, user_id, marked, 0, now).subquery()
        page = select(ids.c.id).where(*muted_filter(ids.c.id, mute_list, after_id=after))
        n = conn.execute(select(func.count()).select_from(page.limit(cap).subquery())).scalar_one()
        if mode == "count":
            rows.append((follow.id, int(n)))
            continue
        found = conn.execute(page.order_by(ids.c.id.desc()).limit(limit))
        rows += [(follow.id, int(r[0]), int(n)) for r in found]
    return rows


def count_new(
    conn: Connection,
    user_id: int,
    follow_list: Sequence[Follow],
    *,
    floor: int,
    now: datetime,
    mute_list: Sequence[Mute] = (),
    cap: int = COUNT_CAP,
) -> dict[int, int]:
    """Per follow, how many articles arrived after its mark and the window floor, to ``cap``.

    Each count is a range scan above the mark that stops at ``cap``.
    """
    afters = {f.id: max(f.mark_article_id, floor) for f in follow_list}
    rows = _per_follow(
        conn, user_id, follow_list, afters, now=now, mute_list=mute_list, limit=cap, mode="count"
    )
    counts = {f.id: 0 for f in follow_list}
    counts.update({int(r[0]): int(r[1]) for r in rows})
    return counts


def newest_ids(
    conn: Connection,
    user_id: int,
    follow_list: Sequence[Follow],
    *,
    floor: int,
    now: datetime,
    mute_list: Sequence[Mute] = (),
    per_follow: int = 20,
    only_new: bool = True,
) -> dict[int, list[int]]:
    """Per follow, ids of its newest articles (after its mark when ``only_new``), newest first."""
    afters = {f.id: (max(f.mark_article_id, floor) if only_new else floor) for f in follow_list}
    rows = _per_follow(
        conn,
        user_id,
        follow_list,
        afters,
        now=now,
        mute_list=mute_list,
        limit=per_follow,
        mode="page",
    )
    found: dict[int, list[int]] = {f.id: [] for f in follow_list}
    for fid, article_id in rows:
        found[int(fid)].append(int(article_id))
    return {fid: sorted(ids, reverse=True) for fid, ids in found.items()}


def new_since_marks(
    conn: Connection,
    user_id: int,
    follow_list: Sequence[Follow],
    *,
    now: datetime,
    mute_list: Sequence[Mute] = (),
    per_follow: int = 20,
    cap: int = COUNT_CAP,
) -> dict[int, tuple[int, list[int]]]:
    """Per follow, (new articles since its mark up to ``cap``, the newest ``per_follow`` ids).

    Count and page come from one scan of the newest ``cap`` ids above the mark.
    """
    afters = {f.id: f.mark_article_id for f in follow_list}
    rows = _per_follow(
        conn,
        user_id,
        follow_list,
        afters,
        now=now,
        mute_list=mute_list,
        limit=per_follow,
        mode="both",
        cap=cap,
    )
    found: dict[int, tuple[int, list[int]]] = {f.id: (0, []) for f in follow_list}
    for fid, article_id, n in rows:
        found[int(fid)][1].append(int(article_id))
        found[int(fid)] = (int(n), found[int(fid)][1])
    return {fid: (n, sorted(ids, reverse=True)) for fid, (n, ids) in found.items()}


def article_cards(
    conn: Connection, ids: Iterable[int], *, stories: dict[int, int] | None = None
) -> dict[int, ArticleCard]:
    """The list view of each article id, with its story (looked up unless ``stories`` says)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    if stories is None:
        stories = targets.story_of(conn, wanted)
    cards: dict[int, ArticleCard] = {}
    for chunk_start in range(0, len(wanted), 500):
        chunk = wanted[chunk_start : chunk_start + 500]
        rows = conn.execute(
            select(
                articles.c.id,
                articles.c.title,
                articles.c.url,
                articles.c.canonical_url,
                articles.c.outlet_id,
                outlets.c.name.label("outlet_name"),
                articles.c.authors,
                articles.c.published_at,
                articles.c.fetched_at,
            )
            .select_from(articles.outerjoin(outlets, outlets.c.id == articles.c.outlet_id))
            .where(targets.id_in(articles.c.id, chunk, conn.dialect.name))
        )
        for r in rows:
            cards[int(r.id)] = ArticleCard(
                id=int(r.id),
                title=r.title,
                url=r.canonical_url or r.url,
                outlet_id=r.outlet_id,
                outlet=r.outlet_name,
                authors=tuple(r.authors or ()),
                published_at=r.published_at,
                fetched_at=r.fetched_at,
                story_id=stories.get(int(r.id)),
            )
    return cards


# --- the query language ------------------------------------------------------------------


def _field_ids(term: Term, *, after_id: int) -> Select[Any]:
    return targets.ids_for_query_field(term.kind, term.value, after_id=after_id)


def query_ids(
    dialect: str,
    query: Query,
    *,
    now: datetime,
    after_id: int = 0,
    mute_list: Sequence[Mute] = (),
) -> Select[Any]:
    """A ``SELECT id`` of the articles matching ``query`` (ids above ``after_id``)."""
    conditions: list[ColumnElement[bool]] = [articles.c.id > after_id]
    conditions += fts.text_condition(dialect, articles.c.id, query.text_terms)
    for term in query.field_terms:
        sub = _field_ids(term, after_id=after_id)
        conditions.append(articles.c.id.not_in(sub) if term.negated else articles.c.id.in_(sub))
    if query.since is not None:
        since = query.since.resolve(now)
        conditions.append(func.coalesce(articles.c.published_at, articles.c.fetched_at) >= since)
    conditions += muted_filter(articles.c.id, mute_list, after_id=after_id)
    return select(articles.c.id.label("id")).where(and_(*conditions))


def search_ids(
    conn: Connection,
    query: Query,
    *,
    now: datetime,
    mute_list: Sequence[Mute] = (),
    limit: int = 50,
    before_id: int | None = None,
) -> list[int]:
    """Newest-first ids of matching articles; ``before_id`` pages on (keyset, not offset)."""
    sub = query_ids(conn.dialect.name, query, now=now, mute_list=mute_list).subquery()
    stmt = select(sub.c.id).order_by(sub.c.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(sub.c.id < before_id)
    return [int(r.id) for r in conn.execute(stmt)]
