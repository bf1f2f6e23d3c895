"""The reader apps' unread counts per source agree with the read-state model, both engines.

``store.reader_apps.unread_per_source`` counts a directly followed source by
subtraction (articles above the floor less the "read" rows there); these cases
mix that with follows of other kinds, sources no one follows, mutes, floors,
"read" rows above the floor and "unread" rows below it, and compare each count
with the article-by-article count of ``store.read_state.unread_counts``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.follow.read_state_rows import T0, add_articles, add_source

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _user(db: Any, email: str) -> int:
    from newsdesk.follow.accounts import create_user

    with db.begin() as conn:
        return int(create_user(conn, email, now=NOW).id)


def _both(db: Any, user_id: int) -> tuple[dict[int | None, int], dict[int | None, int]]:
    from newsdesk.follow import read_state as rs
    from newsdesk.store import read_state as read_store
    from newsdesk.store import reader_apps

    with db.begin() as conn:
        _, reaches = rs.reaches(conn, user_id, now=NOW)
        mutes = rs.mutes(conn, user_id)
        fast = reader_apps.unread_per_source(conn, user_id, reaches, mutes=mutes)
        slow = read_store.unread_counts(conn, user_id, reaches, mutes=mutes).per_source
    return fast, {k: v for k, v in slow.items() if v}


@pytest.mark.parametrize("mute", [False, True])
def test_counts_by_subtraction_equal_the_article_by_article_counts(db: Any, mute: bool) -> None:
    from newsdesk.follow import follows
    from newsdesk.follow import read_state as rs

    quay = add_source(db, "https://quay.example/feed", title="Quay")
    dock = add_source(db, "https://dock.example/feed", title="Dock")
    lone = add_source(db, "https://lone.example/feed", title="Lone")  # nobody follows it
    q = add_articles(db, 12, source_id=quay, tag="q", start=T0)
    d = add_articles(db, 8, source_id=dock, tag="d", start=T0 + timedelta(minutes=3))
    add_articles(
        db, 6, source_id=lone, tag="l", authors=["Ines Varga"], start=T0 + timedelta(minutes=5)
    )
    add_articles(db, 3, source_id=None, tag="n", authors=["Ines Varga"])
    noor, ines = _user(db, "noor@example.org"), _user(db, "ines@example.org")
    window = timedelta(days=9999)
    with db.begin() as conn:
        follows.follow(conn, noor, "source", str(quay), now=NOW, window=window)
        follows.follow(conn, noor, "source", str(dock), now=NOW, window=window)
        follows.follow(conn, noor, "author", "Ines Varga", now=NOW, window=window)
        follows.follow(conn, ines, "source", str(quay), now=NOW, window=window)
    fast, slow = _both(db, noor)
    assert fast == slow == {quay: 12, dock: 8, lone: 6, None: 3}
    with db.begin() as conn:
        # a floor in the middle, "read" rows above it, "unread" rows below it
        rs.mark(
            conn, noor, rs.MarkTarget("all"), read=True, now=NOW, before=T0 + timedelta(minutes=6)
        )
    # articles arriving after the floor, some read one by one
    q2 = add_articles(db, 5, source_id=quay, tag="q2", start=T0 + timedelta(hours=1))
    d2 = add_articles(db, 4, source_id=dock, tag="d2", start=T0 + timedelta(hours=1))
    l2 = add_articles(db, 2, source_id=lone, tag="l2", authors=["Ines Varga"], start=NOW)
    with db.begin() as conn:
        rs.mark(
            conn, noor, rs.MarkTarget("ids", ids=(q2[0], q2[1], d2[3], l2[0])), read=True, now=NOW
        )
        rs.mark(conn, noor, rs.MarkTarget("ids", ids=(q[0], d[0], l2[1])), read=False, now=NOW)
        # another user's marks change nothing of noor's
        rs.mark(conn, ines, rs.MarkTarget("ids", ids=(q[11],)), read=True, now=NOW)
        if mute:
            follows.mute(conn, noor, "source", str(dock), now=NOW)
    fast, slow = _both(db, noor)
    assert fast == slow
    assert sum(fast.values()) > 0
    assert sum(_both(db, ines)[0].values()) == 16
    if not mute:
        assert fast[quay] == 1 + 3  # one kept unread below the floor, three of five above
