"""Read and starred state per user: every statement, on SQLite and PostgreSQL.

The model is a floor plus exceptions (tables in ``tables/read_state.py``):

- An article is *read* for a user when an ``article_reads`` row says so, or
  when no row speaks for it and its id is at or below the user's floor (the
  largest ``read_marks.upto_article_id``).
- A row below the floor speaks only if no ``read_marks`` row written after it
  (``read_marks.id > row.mark_seq``) covers the article: "mark everything
  read" overrides an older "keep unread", and an "unread" set afterwards
  overrides the floor.
- An article is *unread* when the user can see it (one of their follows
  reaches it) and it is not read.

Why this shape: unread counts are the hot read of every reader app. With only
per-article "read" rows, a count is an anti-join over the user's whole history
(every article of a source, for ever). With the floor, a count scans only the
articles above it (what arrived since the user last caught up) plus the few
"unread" rows below it, and catching up is one short row, whatever the
history holds. Article ids grow in arrival order, so "older than a time" is
"at or below the newest id stored before it".

Every mark is ONE statement (``INSERT ... SELECT ... ON CONFLICT DO UPDATE``
for the per-article forms, one ``INSERT`` into ``read_marks`` for "everything"),
not one per article; the floor and the sequence it needs are scalar subqueries
inside it. The scope's SELECT only yields articles whose state changes, so the
row count is the number of articles changed and a repeated mark is a no-op.

Every function takes ``user_id`` and filters on it: nothing here reads or
writes another user's rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.selectable import ScalarSelect

from newsdesk.store import follow_targets as targets
from newsdesk.store.tables import articles, outlets, sources
from newsdesk.store.tables.read_state import article_reads, article_stars, read_marks
from newsdesk.store.tables.reader_apps import source_labels


@dataclass(frozen=True, slots=True)
class Reach:
    """What one follow reaches, as the store finds its articles.

    ``search`` is the ``SELECT id`` of a saved search's matches (the follow
    stage parses the query); the other kinds are found from ``kind`` and
    ``target`` by the follow indexes.
    """

    follow_id: int
    kind: str
    target: str
    search: Select[Any] | None = None


@dataclass(frozen=True, slots=True)
class StateRow:
    """One listed article with the user's state of it."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    source_id: int | None
    authors: tuple[str, ...]
    published_at: datetime | None
    fetched_at: datetime
    read: bool
    starred: bool


# --- the floor, the sequence and the read test ------------------------------------------


def _floor(user_id: int | ColumnElement[int]) -> ScalarSelect[int]:
    """The user's floor; ``user_id`` may be a column, for a floor per row of many users."""
    return (
        select(func.coalesce(func.max(read_marks.c.upto_article_id), 0))
        .where(read_marks.c.user_id == user_id)
        .scalar_subquery()
    )


def _seq(user_id: int) -> ScalarSelect[int]:
    return (
        select(func.coalesce(func.max(read_marks.c.id), 0))
        .where(read_marks.c.user_id == user_id)
        .scalar_subquery()
    )


def floor(conn: Connection, user_id: int) -> int:
    """The user's floor: every article id at or below it is read unless a row says otherwise."""
    return int(conn.execute(select(_floor(user_id))).scalar_one())


def _covered_after(
    user_id: int | ColumnElement[int], row: Any, article_id: Any
) -> ColumnElement[bool]:
    """A "mark everything" written after ``row`` covers the article: the row no longer speaks."""
    later = read_marks.alias("later")
    return exists().where(
        later.c.user_id == user_id,
        later.c.id > row.c.mark_seq,
        later.c.upto_article_id >= article_id,
    )


def _row(user_id: int, article_id: Any, *, is_read: bool) -> Any:
    reads = article_reads.alias("r_read" if is_read else "r_unread")
    return reads, and_(
        reads.c.user_id == user_id,
        reads.c.article_id == article_id,
        reads.c.is_read == is_read,
    )


def _read_above(user_id: int, article_id: Any) -> ColumnElement[bool]:
    """Above the floor, a "read" row is the only thing that makes an article read."""
    reads, where = _row(user_id, article_id, is_read=True)
    return exists().select_from(reads).where(where)


def _unread_below(user_id: int, article_id: Any) -> ColumnElement[bool]:
    """Below the floor, an "unread" row no later floor covers keeps an article unread."""
    reads, where = _row(user_id, article_id, is_read=False)
    # The inner test names the row's own article id: a subquery two levels down
    # that names the outer article is not correlated to it but cross-joined.
    covered = _covered_after(user_id, reads, reads.c.article_id)
    return exists().select_from(reads).where(where, not_(covered))


def is_unread(user_id: int, article_id: Any, floor_value: Any) -> ColumnElement[bool]:
    """The user has not read the article (visibility is the caller's condition)."""
    return or_(
        and_(article_id > floor_value, not_(_read_above(user_id, article_id))),
        and_(article_id <= floor_value, _unread_below(user_id, article_id)),
    )


@dataclass(frozen=True, slots=True)
class ReadSet:
    """What one user has read among a range of article ids, as the rule above keeps it.

    The floor plus the rows that speak: ``read_above`` (a "read" row above the
    floor) and ``unread_below`` (an "unread" row at or below it that no later
    floor covers). ``in`` is then :func:`is_unread`'s rule in Python, a set
    lookup with no list of the (possibly thousands of) read ids below the floor.
    """

    floor: int = 0
    read_above: frozenset[int] = frozenset()
    unread_below: frozenset[int] = frozenset()

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, int):
            return False
        if article_id <= self.floor:
            return article_id not in self.unread_below
        return article_id in self.read_above

    @property
    def nothing_read(self) -> bool:
        return self.floor == 0 and not self.read_above


def read_sets(conn: Connection, user_ids: Sequence[int], low: int, high: int) -> dict[int, ReadSet]:
    """For many users at once, what each has read among article ids ``[low, high]``.

    Two statements for any number of users: their floors, and their rows in the
    range that speak by the rule (:func:`_read_above`'s and :func:`_unread_below`'s
    conditions, with the user and floor taken from each row), not two per user.
    """
    if not user_ids:
        return {}
    dialect = conn.dialect.name
    floors = {
        int(r[0]): int(r[1] or 0)
        for r in conn.execute(
            select(read_marks.c.user_id, func.max(read_marks.c.upto_article_id))
            .where(in_ids(read_marks.c.user_id, dialect, user_ids))
            .group_by(read_marks.c.user_id)
        )
    }
    reads = article_reads.alias("speaks")
    floor_of = _floor(reads.c.user_id)
    speaks = or_(
        and_(reads.c.is_read == true(), reads.c.article_id > floor_of),
        and_(
            reads.c.is_read == false(),
            reads.c.article_id <= floor_of,
            not_(_covered_after(reads.c.user_id, reads, reads.c.article_id)),
        ),
    )
    above: dict[int, set[int]] = {}
    below: dict[int, set[int]] = {}
    for r in conn.execute(
        select(reads.c.user_id, reads.c.article_id, reads.c.is_read).where(
            in_ids(reads.c.user_id, dialect, user_ids),
            reads.c.article_id >= low,
            reads.c.article_id <= high,
            speaks,
        )
    ):
        (above if r.is_read else below).setdefault(int(r.user_id), set()).add(int(r.article_id))
    return {
        u: ReadSet(floors.get(u, 0), frozenset(above.get(u, ())), frozenset(below.get(u, ())))
        for u in user_ids
    }


# --- what a user can see ------------------------------------------------------------------


def reach_ids(reach: Reach, *, after_id: int = 0) -> Select[Any]:
    """``SELECT id`` of the articles one follow reaches, above ``after_id``."""
    if reach.search is not None:
        found = reach.search.subquery()
        return select(found.c.id.label("id")).where(found.c.id > after_id)
    return targets.ids_for(reach.kind, reach.target, after_id=after_id)


def _reaches(reach: Reach, a: Any) -> ColumnElement[bool]:
    """The article row ``a`` is one this follow reaches."""
    if reach.kind == "source" and reach.search is None:
        return a.c.source_id == int(reach.target)  # type: ignore[no-any-return]
    if reach.kind == "outlet" and reach.search is None:
        return a.c.outlet_id == int(reach.target)  # type: ignore[no-any-return]
    return a.c.id.in_(reach_ids(reach))  # type: ignore[no-any-return]


def visible(reaches: Sequence[Reach], a: Any) -> ColumnElement[bool]:
    """The article row ``a`` is one the user can see: a follow of theirs reaches it."""
    if not reaches:
        return false()
    return or_(*(_reaches(r, a) for r in reaches))


def in_reach(reaches: Sequence[Reach], a: Any) -> ColumnElement[bool]:
    """``visible`` for lists: the article row is in the UNION ALL of what the follows reach.

    Same rows as ``visible``, but one set the engine builds once per statement instead of
    an OR of one test per follow on every row it scans: on SQLite 5.6x less CPU for the
    Unread list of 30 follows at 100,000 articles, the same 31 rows (PostgreSQL keeps
    ``visible``, see ``list_articles``).
    """
    if not reaches:
        return false()
    reached = union_all(*(reach_ids(r) for r in reaches)).subquery("reached")
    return a.c.id.in_(select(reached.c.id))  # type: ignore[no-any-return]


def unmuted(mutes: Sequence[Reach], a: Any) -> list[ColumnElement[bool]]:
    """Conditions that drop the articles a mute reaches (mutes win in lists and counts)."""
    return [not_(_reaches(m, a)) for m in mutes]


def in_ids(column: Any, dialect: str, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, with the whole list as one bound value.

    An expanded ``IN (?, ?, ...)`` is one parameter per id: SQLite refuses
    more than 32,766 and PostgreSQL plans each length afresh. PostgreSQL gets
    ``IN (SELECT unnest(array))``, which it hashes (``= ANY`` of 100,000 ids
    is a linear search per row in a sequential scan); SQLite reads a JSON array.
    """
    if dialect == "postgresql":
        from sqlalchemy import ARRAY

        array = bindparam("ids", list(ids), type_=ARRAY(Integer))
        return column.in_(select(func.unnest(array)))  # type: ignore[no-any-return]
    each = func.json_each(bindparam("ids", json.dumps(list(ids)))).table_valued("value")
    return column.in_(select(each.c.value))  # type: ignore[no-any-return]


# --- scopes: the articles one mark is about ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    """Which articles a mark covers, as a condition on the article row ``a``.

    ``kind`` is ``ids``, ``story``, ``source``, ``follow`` or ``all``;
    ``reaches`` are the user's follows (what they can see), ``reach`` the one
    follow of a ``follow`` mark.
    """

    kind: str
    reaches: tuple[Reach, ...]
    ids: tuple[int, ...] = ()
    story_id: int | None = None
    source_id: int | None = None
    reach: Reach | None = None

    def condition(self, a: Any, dialect: str) -> ColumnElement[bool]:
        if self.kind == "ids":
            # Any article the reader can open (search, a story's coverage, an outlet page)
            # takes their marks, not only what their follows reach: the rows are theirs alone.
            return in_ids(a.c.id, dialect, self.ids)
        if self.kind == "story":
            assert self.story_id is not None
            return and_(a.c.id.in_(targets.story_ids(self.story_id)), visible(self.reaches, a))
        if self.kind == "source":
            assert self.source_id is not None
            direct = any(
                r.kind == "source" and r.target == str(self.source_id) and r.search is None
                for r in self.reaches
            )
            condition: ColumnElement[bool] = a.c.source_id == self.source_id
            return condition if direct else and_(condition, visible(self.reaches, a))
        if self.kind == "follow":
            assert self.reach is not None
            return _reaches(self.reach, a)
        return visible(self.reaches, a)


def _before(a: Any, before: datetime | None) -> list[ColumnElement[bool]]:
    return [] if before is None else [a.c.created_at < before]


def _upsert(conn: Connection, rows: Select[Any]) -> int:
    """Insert-or-update ``article_reads`` from ``rows``; one statement; rows changed."""
    columns = ["user_id", "article_id", "is_read", "mark_seq", "marked_at"]
    dialect = conn.dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(article_reads).from_select(columns, rows)
    else:
        stmt = sqlite.insert(article_reads).from_select(columns, rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "article_id"],
        set_={
            "is_read": stmt.excluded.is_read,
            "mark_seq": stmt.excluded.mark_seq,
            "marked_at": stmt.excluded.marked_at,
        },
    )
    return len(conn.execute(stmt.returning(article_reads.c.article_id)).all())


def mark(
    conn: Connection,
    user_id: int,
    scope: Scope,
    *,
    read: bool,
    now: datetime,
    before: datetime | None = None,
) -> int:
    """Mark the scope's articles read or unread in one statement; how many changed.

    Only articles whose state changes are written: for "read", those above the
    floor with no "read" row and those below it with a live "unread" row; for
    "unread", the reverse. ``before`` keeps articles that arrived before it.
    """
    dialect = conn.dialect.name
    floor_value, seq = _floor(user_id), _seq(user_id)
    above, below = articles.alias("above"), articles.alias("below")
    values = (
        literal(user_id, Integer),
        literal(read),
        seq,
        literal(now, articles.c.created_at.type),
    )

    def pick(a: Any, *where: ColumnElement[bool]) -> Select[Any]:
        user, flag, mark_seq, when = values
        return select(
            user.label("user_id"),
            a.c.id.label("article_id"),
            flag.label("is_read"),
            mark_seq.label("mark_seq"),
            when.label("marked_at"),
        ).where(scope.condition(a, dialect), *_before(a, before), *where)

    if read:
        upper = pick(above, above.c.id > floor_value, not_(_read_above(user_id, above.c.id)))
        lower = pick(below, below.c.id <= floor_value, _unread_below(user_id, below.c.id))
    else:
        upper = pick(above, above.c.id > floor_value, _read_above(user_id, above.c.id))
        lower = pick(below, below.c.id <= floor_value, not_(_unread_below(user_id, below.c.id)))
    both = union_all(upper, lower).subquery("changes")
    # SQLite reads "INSERT ... SELECT ... ON CONFLICT" unambiguously only with a WHERE.
    rows = select(*both.c).where(both.c.article_id > 0)
    return _upsert(conn, rows)


def mark_all_read(
    conn: Connection, user_id: int, *, now: datetime, before: datetime | None = None
) -> bool:
    """Everything (that arrived before ``before``) is read: one ``read_marks`` row, one statement.

    The row is written only when it changes something: it raises the floor, or
    it covers a live "unread" row. Returns whether it was written.
    """
    newest = select(articles.c.id)
    if before is not None:
        newest = newest.where(articles.c.created_at < before)
    upto = func.coalesce(
        newest.order_by(articles.c.created_at.desc(), articles.c.id.desc())
        .limit(1)
        .scalar_subquery(),
        0,
    )
    unread = article_reads.alias("unread")
    live_unread = (
        exists()
        .select_from(unread)
        .where(
            unread.c.user_id == user_id,
            unread.c.is_read == false(),
            unread.c.article_id <= upto,
            not_(_covered_after(user_id, unread, unread.c.article_id)),
        )
    )
    rows = select(literal(user_id, Integer), upto, literal(now, articles.c.created_at.type)).where(
        or_(upto > _floor(user_id), live_unread)
    )
    stmt = read_marks.insert().from_select(["user_id", "upto_article_id", "marked_at"], rows)
    return bool(conn.execute(stmt.returning(read_marks.c.id)).all())


# --- stars ----------------------------------------------------------------------------------


def star(conn: Connection, user_id: int, ids: Sequence[int], *, now: datetime) -> int:
    """Star the named articles the user has not starred; one statement.

    Any stored article can be starred (a reader opens articles beyond their
    follows: search, a story's coverage); the star row is theirs alone."""
    a = articles.alias("a")
    dialect = conn.dialect.name
    have = exists().where(article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id)
    rows = select(
        literal(user_id, Integer), a.c.id, literal(now, articles.c.created_at.type)
    ).where(in_ids(a.c.id, dialect, ids), not_(have))
    stmt = article_stars.insert().from_select(["user_id", "article_id", "starred_at"], rows)
    return len(conn.execute(stmt.returning(article_stars.c.article_id)).all())


def unstar(conn: Connection, user_id: int, ids: Sequence[int]) -> int:
    """Unstar the user's own stars among ``ids``; one statement."""
    stmt = article_stars.delete().where(
        article_stars.c.user_id == user_id,
        in_ids(article_stars.c.article_id, conn.dialect.name, ids),
    )
    return len(conn.execute(stmt.returning(article_stars.c.article_id)).all())


def starred_ids(conn: Connection, user_id: int, ids: Sequence[int]) -> set[int]:
    rows = conn.execute(
        select(article_stars.c.article_id).where(
            article_stars.c.user_id == user_id,
            in_ids(article_stars.c.article_id, conn.dialect.name, ids),
        )
    )
    return {int(r[0]) for r in rows}


def existing_ids(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` name a stored article (the others are "no such article")."""
    rows = conn.execute(select(articles.c.id).where(in_ids(articles.c.id, conn.dialect.name, ids)))
    return {int(r[0]) for r in rows}


def visible_ids(
    conn: Connection, user_id: int, ids: Sequence[int], reaches: Sequence[Reach]
) -> set[int]:
    """Which of ``ids`` name an article the user can see (the others are "no such article")."""
    a = articles.alias("a")
    rows = conn.execute(
        select(a.c.id).where(in_ids(a.c.id, conn.dialect.name, ids), visible(reaches, a))
    )
    return {int(r[0]) for r in rows}


def state_of(
    conn: Connection, user_id: int, article_id: int, reaches: Sequence[Reach]
) -> tuple[bool, bool, bool] | None:
    """(visible, read, starred) of one article for the user; None when it does not exist."""
    a = articles.alias("a")
    star_row = exists().where(
        article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id
    )
    row = conn.execute(
        select(
            visible(reaches, a).label("visible"),
            is_unread(user_id, a.c.id, _floor(user_id)).label("unread"),
            star_row.label("starred"),
        ).where(a.c.id == article_id)
    ).first()
    if row is None:
        return None
    return bool(row.visible), not row.unread, bool(row.starred)


# --- listing and counting ---------------------------------------------------------------------


def list_articles(
    conn: Connection,
    user_id: int,
    reaches: Sequence[Reach],
    *,
    mutes: Sequence[Reach] = (),
    unread: bool = False,
    starred: bool = False,
    source_id: int | None = None,
    source_ids: Sequence[int] | None = None,
    limit: int = 50,
    before_id: int | None = None,
) -> list[StateRow]:
    """The user's articles newest first, with read and starred; keyset paging on ``before_id``.

    ``starred`` lists the user's stars even when no follow reaches them any
    more (a star is kept on purpose); otherwise the list is what their follows reach.
    """
    a = articles.alias("a")
    floor_value = floor(conn, user_id)
    unread_now = is_unread(user_id, a.c.id, floor_value)
    star_row = exists().where(
        article_stars.c.user_id == user_id, article_stars.c.article_id == a.c.id
    )
    # SQLite runs the OR of per-follow tests on every scanned row; PostgreSQL plans each as a
    # hashed subplan and is faster with them than with the union (218 vs 353 ms at 100,000).
    reach = in_reach if conn.dialect.name == "sqlite" else visible
    where: list[ColumnElement[bool]] = [star_row if starred else reach(reaches, a)]
    if not starred:
        where += unmuted(mutes, a)
    if unread:
        where.append(unread_now)
    if source_id is not None:
        where.append(a.c.source_id == source_id)
    if source_ids is not None:
        where.append(in_ids(a.c.source_id, conn.dialect.name, source_ids))
    if before_id is not None:
        where.append(a.c.id < before_id)
    query = (
        select(
            a.c.id,
            a.c.title,
            a.c.url,
            a.c.canonical_url,
            outlets.c.name.label("outlet"),
            a.c.source_id,
            a.c.authors,
            a.c.published_at,
            a.c.fetched_at,
            unread_now.label("unread"),
            star_row.label("starred"),
        )
        .select_from(a.outerjoin(outlets, outlets.c.id == a.c.outlet_id))
        .where(*where)
        .order_by(a.c.id.desc())
        .limit(limit)
    )
    return [
        StateRow(
            id=int(r.id),
            title=r.title,
            url=r.canonical_url or r.url,
            outlet=r.outlet,
            source_id=r.source_id,
            authors=tuple(r.authors or ()),
            published_at=r.published_at,
            fetched_at=r.fetched_at,
            read=not r.unread,
            starred=bool(r.starred),
        )
        for r in conn.execute(query)
    ]


def _live_unread_below(user_id: int, floor_value: int) -> tuple[Any, list[ColumnElement[bool]]]:
    """The user's "unread" rows at or below the floor that no later floor covers."""
    reads = article_reads.alias("below_floor")
    return reads, [
        reads.c.user_id == user_id,
        reads.c.is_read == false(),
        reads.c.article_id <= floor_value,
        not_(_covered_after(user_id, reads, reads.c.article_id)),
    ]


@dataclass(frozen=True, slots=True)
class RawCounts:
    """Unread articles per follow id and per source id (None: articles with no source)."""

    per_follow: dict[int, int]
    per_source: dict[int | None, int]


def unread_counts(
    conn: Connection, user_id: int, reaches: Sequence[Reach], *, mutes: Sequence[Reach] = ()
) -> RawCounts:
    """Unread counts per follow and per source.

    Each count is a range scan of what arrived above the floor (anti-joined
    with "read" rows) plus the user's few live "unread" rows below it: the
    cost follows what is unread, not the history.
    """
    floor_value = floor(conn, user_id)
    if not reaches:
        return RawCounts({}, {})
    per_follow = dict.fromkeys((r.follow_id for r in reaches), 0)
    # Above the floor: every follow's count in one statement (a UNION ALL of what each
    # reaches, tagged with its follow id, grouped), not one statement per follow.
    parts = []
    for reach in reaches:
        reached = reach_ids(reach, after_id=floor_value).subquery()
        parts.append(
            select(literal(reach.follow_id, Integer).label("follow_id"), reached.c.id.label("id"))
        )
    tagged = union_all(*parts).subquery("tagged")
    hidden = [tagged.c.id.not_in(reach_ids(m, after_id=floor_value)) for m in mutes]
    for row in conn.execute(
        select(tagged.c.follow_id, func.count())
        .where(not_(_read_above(user_id, tagged.c.id)), *hidden)
        .group_by(tagged.c.follow_id)
    ):
        per_follow[int(row[0])] += int(row[1])
    # Below the floor: only the user's few live "unread" rows; usually none, then no statement.
    reads, live = _live_unread_below(user_id, floor_value)
    any_below = conn.execute(select(reads.c.article_id).where(*live).limit(1)).first()
    if any_below is not None:
        below_parts = []
        for reach in reaches:
            reads, live = _live_unread_below(user_id, floor_value)
            a = articles.alias("a")
            below_parts.append(
                select(literal(reach.follow_id, Integer).label("follow_id"), a.c.id.label("id"))
                .select_from(reads.join(a, a.c.id == reads.c.article_id))
                .where(*live, _reaches(reach, a), *unmuted(mutes, a))
            )
        below_tagged = union_all(*below_parts).subquery("below_tagged")
        for row in conn.execute(
            select(below_tagged.c.follow_id, func.count()).group_by(below_tagged.c.follow_id)
        ):
            per_follow[int(row[0])] += int(row[1])
    union = union_all(*(reach_ids(r, after_id=floor_value) for r in reaches)).subquery()
    a = articles.alias("a")
    above_rows = conn.execute(
        select(a.c.source_id, func.count())
        .where(
            a.c.id.in_(select(union.c.id)),
            not_(_read_above(user_id, a.c.id)),
            *unmuted(mutes, a),
        )
        .group_by(a.c.source_id)
    )
    per_source: dict[int | None, int] = {r[0]: int(r[1]) for r in above_rows}
    if any_below is None:
        return RawCounts(per_follow, per_source)
    reads, live = _live_unread_below(user_id, floor_value)
    below_rows = conn.execute(
        select(a.c.source_id, func.count())
        .select_from(reads.join(a, a.c.id == reads.c.article_id))
        .where(*live, visible(reaches, a), *unmuted(mutes, a))
        .group_by(a.c.source_id)
    )
    for row in below_rows:
        source: int | None = row[0]
        per_source[source] = per_source.get(source, 0) + int(row[1])
    return RawCounts(per_follow, per_source)


def source_tags(
    conn: Connection, source_ids: Sequence[int], *, user_id: int | None = None
) -> dict[int, tuple[str | None, list[str]]]:
    """Source id -> (title or URL, tags) for the sources named.

    With ``user_id``, the user's own title and folders (``source_labels``, set
    by a reader app) replace the source's where they set them.
    """
    if not source_ids:
        return {}
    lab = source_labels.alias("lab")
    own = and_(lab.c.source_id == sources.c.id, lab.c.user_id == (user_id or 0))
    rows = conn.execute(
        select(
            sources.c.id,
            sources.c.title,
            sources.c.url,
            sources.c.tags,
            lab.c.title.label("own_title"),
            lab.c.tags.label("own_tags"),
        )
        .select_from(sources.outerjoin(lab, own))
        .where(sources.c.id.in_(list(source_ids)))
    )
    return {
        int(r.id): (
            r.own_title or r.title or r.url,
            list(r.own_tags if r.own_tags is not None else (r.tags or [])),
        )
        for r in rows
    }


def tagged_sources(conn: Connection, user_id: int, tag: str) -> list[int]:
    """Ids of the sources that carry ``tag`` for the user: their own folders where they set
    them, the source's tags otherwise (tags are short JSON lists, compared here exactly)."""
    lab = source_labels.alias("lab")
    rows = conn.execute(
        select(sources.c.id, sources.c.tags, lab.c.tags.label("own_tags")).select_from(
            sources.outerjoin(lab, and_(lab.c.source_id == sources.c.id, lab.c.user_id == user_id))
        )
    )
    return sorted(
        int(r.id) for r in rows if tag in (r.own_tags if r.own_tags is not None else (r.tags or []))
    )


def source_exists(conn: Connection, source_id: int) -> bool:
    return conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first() is not None
