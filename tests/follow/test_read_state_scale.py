"""Marking 100,000 articles is one statement per form, not one per article (both engines).

The proof counts the statements SQLAlchemy sends (an event listener on the
engine): the store's mark is exactly one statement for every form, and the
whole command (finding the user's follows, checking ids, resolving the story,
source or follow, then the mark) is a handful, of which one writes. Nothing
here times anything: the count is the behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from newsdesk.follow import accounts, follows
from newsdesk.follow import read_state as rs
from newsdesk.follow.read_state import MarkTarget
from newsdesk.store import read_state as store
from newsdesk.store.read_state import Scope
from tests.follow.read_state_rows import T0, add_articles, add_source, add_story

N = 100_000
NOW = datetime(2027, 1, 1, tzinfo=UTC)


@contextmanager
def counting(db) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _writes(statements: list[str]) -> list[str]:
    return [
        s for s in statements if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


@pytest.mark.slow
def test_one_statement_per_form_over_100k_articles(db) -> None:
    source = add_source(db, "https://bulk.example/feed", title="Bulk", tags=["bulk"])
    ids = add_articles(
        db, N, source_id=source, authors=["Tomas Reyes"], tag="bulk", step=timedelta(seconds=1)
    )
    assert len(ids) == N
    story = add_story(db, "s-bulk", ids)
    with db.begin() as conn:
        user = accounts.create_user(conn, "noor@example.org", now=T0).id
        follows.follow(conn, user, "source", str(source), now=NOW)
        follows.follow(conn, user, "author", "Tomas Reyes", now=NOW)
        _, reaches = rs.reaches(conn, user, now=NOW)
    (by_source,) = [r for r in reaches if r.kind == "source"]
    (by_author,) = [r for r in reaches if r.kind == "author"]
    half = T0 + timedelta(seconds=N // 2)

    forms = [
        # (store scope or "all", read, before, articles changed)
        (Scope("ids", tuple(reaches), ids=tuple(ids)), True, None, N),
        (Scope("source", tuple(reaches), source_id=source), False, None, N),
        (Scope("story", tuple(reaches), story_id=story), True, None, N),
        (Scope("follow", tuple(reaches), reach=by_author), False, None, N),
        (Scope("source", tuple(reaches), source_id=source), True, half, N // 2),
        (Scope("follow", tuple(reaches), reach=by_source), True, None, N // 2),
        (Scope("ids", tuple(reaches), ids=tuple(ids)), False, None, N),
        ("all", True, None, None),
        (Scope("all", tuple(reaches)), False, None, N),
        ("all", True, half, None),
    ]
    for scope, read, before, changed in forms:
        with db.begin() as conn, counting(db) as statements:
            if scope == "all":
                assert store.mark_all_read(conn, user, now=NOW, before=before)
            else:
                assert store.mark(conn, user, scope, read=read, now=NOW, before=before) == changed
        assert len(statements) == 1, (scope, statements)

    with db.connect() as conn:
        data = rs.counts_data(conn, user, now=NOW)
    assert sum(data.raw.per_source.values()) == N - (N // 2)

    # The whole command: the user's follows, a check or a look-up, then the one mark.
    targets = [
        (MarkTarget("all"), True),
        (MarkTarget("all"), False),
        (MarkTarget("ids", ids=tuple(ids)), True),
        (MarkTarget("story", story="s-bulk"), False),
        (MarkTarget("source", source_id=source), True),
        (MarkTarget("follow", follow=("author", "Tomas Reyes")), False),
        (MarkTarget("all"), True),
    ]
    for target, read in targets:
        with db.begin() as conn, counting(db) as statements:
            result = rs.mark(conn, user, target, read=read, now=NOW)
            assert result.changed in (N, None), result
        assert len(_writes(statements)) == 1, statements
        assert len(statements) <= 4, statements
