"""Follows and mutes of a name the news has not named yet, bound once an article names it.

A reader may follow someone before they are in the news. Such a follow (or
mute) is kept by its kind and normalised name, as the target ``name:<key>``
(``follow_targets.pending_target``), and reaches nothing while it waits. When
articles are stored (their credits) or understood (their people,
organisations, places and topics), the pending rows whose key one of the new
names could stand for (the full name, the surname, the name without a middle
initial) are looked up by ``(kind, target)`` and resolved by the rule a follow
uses when it is made (``follow_targets.resolve_named``); each is rebound to
the author key, entity id or topic key it resolves to. From then on it is an
ordinary follow, read by the same index scans, and the reader did nothing.

A pending row that resolves to something its user already follows (or
mutes) is folded into that row: a follow made by name and one made by id are
never two follows of one thing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.exc import IntegrityError

from newsdesk.store.db import statement_savepoint
from newsdesk.store.follow_targets import NAMED_KINDS, name_key, resolve_named
from newsdesk.store.records import PENDING_PREFIX, Target
from newsdesk.store.tables.accounts import follows, mutes

_CHUNK = 400  # targets per IN list


def candidate_keys(kind: str, names: Iterable[str]) -> set[str]:
    """Every pending key that one of ``names`` could stand for under the identity rule.

    A superset: each hit is resolved again by ``resolve_named`` before it binds.
    """
    keys: set[str] = set()
    for name in names:
        key = name_key(kind, name)
        if not key:
            continue
        keys.add(key)
        words = key.split()
        if kind in ("author", "person") and len(words) >= 2:
            keys.add(words[-1])  # a surname alone
            keys.add(f"{words[0]} {words[-1]}")  # without the middle names
    return keys


def bind_names(conn: Connection, names: Mapping[str, Iterable[str]]) -> int:
    """Bind the pending follows and mutes (any user's) that newly stored ``names`` (by kind)
    could stand for; how many rows were bound or folded.

    One indexed statement per table for all kinds (``kind IN ... AND target IN ...``,
    bound as expanding parameters so the statement is compiled once): this runs for
    every stored and every understood article.
    """
    wanted = {
        (kind, PENDING_PREFIX + key)
        for kind, kind_names in names.items()
        if kind in NAMED_KINDS
        for key in candidate_keys(kind, kind_names)
    }
    if not wanted:
        return 0
    kinds = sorted({kind for kind, _ in wanted})
    targets = sorted({target for _, target in wanted})
    changed = 0
    for table in (follows, mutes):
        statement = _by_name_select(table)
        rows: list[Any] = []
        for start in range(0, len(targets), _CHUNK):
            chunk = targets[start : start + _CHUNK]
            rows += conn.execute(statement, {"kinds": kinds, "targets": chunk}).all()
        changed += _bind_rows(conn, table, [r for r in rows if (r.kind, r.target) in wanted])
    return changed


@functools.cache
def _by_name_select(table: Table) -> Any:
    return _pending_select(table).where(
        table.c.kind.in_(bindparam("kinds", expanding=True)),
        table.c.target.in_(bindparam("targets", expanding=True)),
    )


def bind_user(conn: Connection, user_id: int, kind: str) -> int:
    """Bind one user's pending follows and mutes of ``kind`` that now resolve (they are few):
    run before a follow, unfollow, mute or unmute, so by name and by id meet one row."""
    if kind not in NAMED_KINDS:
        return 0
    changed = 0
    for table in (follows, mutes):
        rows = conn.execute(
            _pending_select(table).where(
                table.c.user_id == user_id,
                table.c.kind == kind,
                table.c.target.like(PENDING_PREFIX + "%"),
            )
        ).all()
        changed += _bind_rows(conn, table, rows)
    return changed


def _pending_select(table: Table) -> Any:
    columns = [table.c.id, table.c.user_id, table.c.kind, table.c.target, table.c.label]
    if table is follows:
        columns.append(follows.c.mark_article_id)
    return select(*columns)


def _bind_rows(conn: Connection, table: Table, rows: Sequence[Any]) -> int:
    """Rebind each pending row whose label resolves now; fold it where its user has the target."""
    resolved: dict[tuple[str, str], Target | None] = {}
    changed = 0
    for row in rows:
        if not str(row.target).startswith(PENDING_PREFIX):
            continue
        key = (str(row.kind), str(row.label))
        if key not in resolved:
            found = resolve_named(conn, *key)
            resolved[key] = None if found is None else found[0]
        target = resolved[key]
        if target is None:
            continue
        changed += _rebind(conn, table, row, target)
    return changed


def _rebind(conn: Connection, table: Table, row: Any, target: Target) -> int:
    existing = conn.execute(
        select(*_existing_columns(table)).where(
            table.c.user_id == row.user_id,
            table.c.kind == row.kind,
            table.c.target == target.target,
        )
    ).first()
    if existing is not None:
        if table is follows and int(row.mark_article_id) < int(existing.mark_article_id):
            # What the name follow had as new stays new in the follow it joins.
            conn.execute(
                follows.update()
                .where(follows.c.id == existing.id)
                .values(mark_article_id=row.mark_article_id)
            )
        conn.execute(table.delete().where(table.c.id == row.id))
        return 1
    try:
        with statement_savepoint(conn):  # the user may follow it by id at this very moment
            result = conn.execute(
                table.update()
                .where(table.c.id == row.id, table.c.target == row.target)
                .values(target=target.target, label=target.label[:300])
            )
    except IntegrityError:  # they did: the name follow folds into theirs
        conn.execute(table.delete().where(table.c.id == row.id))
        return 1
    return int(result.rowcount)


def _existing_columns(table: Table) -> list[Any]:
    if table is follows:
        return [follows.c.id, follows.c.mark_article_id]
    return [table.c.id]
