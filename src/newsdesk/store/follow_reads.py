"""The per-follow reads: what each of a user's follows reaches, newest first and counted.

Every followable thing is answered by one index range scan over article ids:
an author by ``article_authors (author_key, article_id)``, an outlet or source
by ``articles (outlet_id, id)`` / ``(source_id, id)``, an entity, topic or
story by the understanding and stories tables' ``(target, article_id)``
indexes, a saved search by the full-text index. Article ids only grow, so
"new since the last check" is ``id > mark`` and "newest first" is ``id DESC``:
no clock, no sort over the whole history, and every scan starts at a mark
and stops at a LIMIT (a page, or ``COUNT_CAP`` for counts).

The hot path (one statement per follow, thirty per page view) is written as
plain SQL templates in ``follow_targets``: small statements of a few shapes
that SQLite and PostgreSQL plan once, sent to PostgreSQL in one pipeline.
Saved searches cannot be templated (their SQL depends on the query); the
caller hands their parsed queries in (``searches``, by follow id), since the
query language is parsed above the store.

Every read returns one ``Reach`` per follow, so a follow of any kind gives the
same shape of answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import Connection, func, select

from newsdesk.store import follow_targets as targets
from newsdesk.store.query_ast import Query
from newsdesk.store.records import Follow, Mute
from newsdesk.store.search import query_ids

if TYPE_CHECKING:
    import psycopg

COUNT_CAP = 1000  # counts stop here ("1000+"): a count is a scan, and nobody reads past it

Mode = Literal["count", "page", "both"]


@dataclass(slots=True)
class Reach:
    """What one follow reaches above its mark: how many (to the cap), and the newest ids."""

    count: int = 0
    ids: list[int] = field(default_factory=list)


def _fast_branch(i: int, follow: Follow, mute_list: Sequence[Mute], *, mode: Mode) -> str | None:
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


def _run_pipelined(
    conn: Connection, statements: list[tuple[str, dict[str, Any]]]
) -> list[tuple[Any, ...]]:
    """Run psycopg statements in one pipeline, prepared; the rows of all, in order."""
    # psycopg's own connection (only PostgreSQL comes here): pipeline mode and prepare=True.
    raw = cast("psycopg.Connection[tuple[Any, ...]]", conn.connection.dbapi_connection)
    cursors = []
    with raw.pipeline():
        for sql, values in statements:
            cursor = raw.cursor()
            cursor.execute(sql, values, prepare=True)
            cursors.append(cursor)
    rows: list[tuple[Any, ...]] = []
    for cursor in cursors:
        rows += [tuple(r) for r in cursor.fetchall()]
        cursor.close()
    return rows


def _take(found: dict[int, Reach], row: Sequence[Any], mode: Mode) -> None:
    """Fold one fast-path row into its follow's Reach; each mode has its own columns."""
    reach = found[int(row[0])]
    if mode == "count":
        reach.count = int(row[1])
        return
    reach.ids.append(int(row[1]))
    if mode == "both":
        reach.count = int(row[2])


def _search_reach(
    conn: Connection,
    query: Query,
    *,
    after: int,
    now: datetime,
    mute_list: Sequence[Mute],
    limit: int,
    mode: Mode,
    cap: int,
) -> Reach:
    """A saved search's Reach: the query's ids above ``after``, mutes removed."""
    ids = query_ids(
        conn.dialect.name, query, now=now, after_id=after, mute_list=mute_list
    ).subquery()
    reach = Reach()
    reach.count = int(
        conn.execute(
            select(func.count()).select_from(select(ids.c.id).limit(cap).subquery())
        ).scalar_one()
    )
    if mode != "count":
        page = select(ids.c.id).order_by(ids.c.id.desc()).limit(limit)
        reach.ids = [int(r[0]) for r in conn.execute(page)]
    return reach


def _per_follow(
    conn: Connection,
    follow_list: Sequence[Follow],
    afters: dict[int, int],
    *,
    now: datetime,
    searches: Mapping[int, Query],
    mute_list: Sequence[Mute],
    limit: int,
    mode: Mode,
    cap: int = COUNT_CAP,
) -> dict[int, Reach]:
    """One Reach per follow (by follow id), in one round trip where possible.

    The branches are plain SQL (building 30 SQLAlchemy subqueries per page view
    costs more than running them). One small statement per follow, of a few
    shapes (kind and mutes), so each is planned once: SQLite runs them
    in-process; PostgreSQL gets them all in one pipeline of prepared statements
    (one round trip, no re-planning); other engines get one UNION ALL. Saved
    searches take a statement or two each; a search follow without its query
    in ``searches`` reaches nothing.
    """
    found = {f.id: Reach() for f in follow_list}
    dialect = conn.dialect.name
    branches: list[str] = []
    params: dict[str, Any] = {}
    pipelined: list[tuple[str, dict[str, Any]]] = []
    rows: list[Sequence[Any]] = []
    for i, follow in enumerate(follow_list):
        if follow.kind == "search":
            query = searches.get(follow.id)
            if query is not None:
                found[follow.id] = _search_reach(
                    conn,
                    query,
                    after=afters[follow.id],
                    now=now,
                    mute_list=mute_list,
                    limit=limit,
                    mode=mode,
                    cap=cap,
                )
            continue
        n = 0 if dialect in ("sqlite", "postgresql") else i
        sql = _fast_branch(n, follow, mute_list, mode=mode)
        if sql is None:  # an unknown kind or mute kind: nothing indexes it
            continue
        values = _fast_params(n, follow, afters[follow.id], mute_list, limit, cap)
        if dialect == "sqlite":
            rows += list(conn.execute(targets.sql_text(sql), values))
        elif dialect == "postgresql":
            pipelined.append((_PARAM.sub(r"%(\1)s", sql), values))
        else:
            branches.append(sql)
            params.update(values)
    if branches:
        rows += list(conn.execute(targets.sql_text(" UNION ALL ".join(branches)), params))
    if pipelined:
        rows += _run_pipelined(conn, pipelined)
    for row in rows:
        _take(found, row, mode)
    for reach in found.values():
        reach.ids.sort(reverse=True)
    return found


def count_new(
    conn: Connection,
    follow_list: Sequence[Follow],
    *,
    floor: int,
    now: datetime,
    searches: Mapping[int, Query] | None = None,
    mute_list: Sequence[Mute] = (),
    cap: int = COUNT_CAP,
) -> dict[int, int]:
    """Per follow, how many articles arrived after its mark and the window floor, to ``cap``.

    Each count is a range scan above the mark that stops at ``cap``.
    """
    afters = {f.id: max(f.mark_article_id, floor) for f in follow_list}
    found = _per_follow(
        conn,
        follow_list,
        afters,
        now=now,
        searches=searches or {},
        mute_list=mute_list,
        limit=cap,
        mode="count",
        cap=cap,
    )
    return {fid: reach.count for fid, reach in found.items()}


def newest_ids(
    conn: Connection,
    follow_list: Sequence[Follow],
    *,
    floor: int,
    now: datetime,
    searches: Mapping[int, Query] | None = None,
    mute_list: Sequence[Mute] = (),
    per_follow: int = 20,
    only_new: bool = True,
) -> dict[int, list[int]]:
    """Per follow, ids of its newest articles (after its mark when ``only_new``), newest first."""
    afters = {f.id: (max(f.mark_article_id, floor) if only_new else floor) for f in follow_list}
    found = _per_follow(
        conn,
        follow_list,
        afters,
        now=now,
        searches=searches or {},
        mute_list=mute_list,
        limit=per_follow,
        mode="page",
    )
    return {fid: reach.ids for fid, reach in found.items()}


def new_since_marks(
    conn: Connection,
    follow_list: Sequence[Follow],
    *,
    now: datetime,
    searches: Mapping[int, Query] | None = None,
    mute_list: Sequence[Mute] = (),
    per_follow: int = 20,
    cap: int = COUNT_CAP,
) -> dict[int, tuple[int, list[int]]]:
    """Per follow, (new articles since its mark up to ``cap``, the newest ``per_follow`` ids).

    Count and page come from one scan of the newest ``cap`` ids above the mark.
    """
    afters = {f.id: f.mark_article_id for f in follow_list}
    found = _per_follow(
        conn,
        follow_list,
        afters,
        now=now,
        searches=searches or {},
        mute_list=mute_list,
        limit=per_follow,
        mode="both",
        cap=cap,
    )
    return {fid: (reach.count, reach.ids) for fid, reach in found.items()}
