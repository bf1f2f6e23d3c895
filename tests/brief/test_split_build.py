"""A big build is split over processes by reader; what goes into the outbox is the same as one
process builds, and a second build (or a racing one) still adds nothing: the unique key decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.brief import outbox
from newsdesk.brief.schedule import DueEdition, slot_instant
from newsdesk.config import get_settings
from newsdesk.follow import accounts, follows
from newsdesk.store import editions as store
from tests.brief.newsroom import Newsroom

DAY = datetime(2026, 5, 5, tzinfo=UTC).date()
MORNING = datetime(2026, 5, 5, 6, 30, tzinfo=UTC)


def _due(db: object) -> list[DueEdition]:
    with db.connect() as conn:  # type: ignore[attr-defined]
        schedules = store.schedules(conn)
    return [
        DueEdition(
            s.user_id, DAY.isoformat(), slot, slot_instant(DAY, s.time_of(slot), s.time_zone)
        )
        for s in schedules
        for slot in store.SLOTS
        if s.time_of(slot)
    ]


@pytest.mark.slow
def test_a_split_build_matches_one_process_and_builds_once(
    db, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = Newsroom(db)
    for n in range(6):
        room.article(
            f"s{n}",
            headline=f"Tide story {n}",
            summary=f"Tide story {n} happened.",
            outlet=("Tide Wire", "Bay Post")[n % 2],
            at=MORNING - timedelta(hours=n + 1),
            topics_=("tides",) if n % 2 else ("bays",),
            importance=float(n),
        )
    with db.begin() as conn:
        for n in range(6):
            user = accounts.create_user(conn, f"r{n}@example.org", now=MORNING - timedelta(days=3))
            topic = "Tides" if n % 2 else "Bays"
            follows.follow(conn, user.id, "topic", topic, now=MORNING - timedelta(days=1))
    settings = get_settings()
    due = _due(db)
    assert len(due) == 12

    # Built in one process first, kept, then cleared and built split over two.
    assert outbox.build_many(db, due, now=MORNING, settings=settings) == 12
    with db.connect() as conn:
        alone = {
            (e.user_id, e.slot): (e.subject, e.text_part, e.html_part, e.edition)
            for u in range(1, 7)
            for e in store.list_editions(conn, u)
        }
        from sqlalchemy import delete

        from newsdesk.store.tables.editions import edition_outbox
    with db.begin() as conn:
        conn.execute(delete(edition_outbox))

    monkeypatch.setattr(outbox, "PARALLEL_FROM", 4)
    split = settings.model_copy(update={"edition_build_processes": 2})
    assert outbox.build_processes(split, len(due)) == 2
    assert outbox.build_many(db, due, now=MORNING, settings=split) == 12
    assert outbox.build_many(db, due, now=MORNING, settings=split) == 0  # built once
    with db.connect() as conn:
        together = {
            (e.user_id, e.slot): (e.subject, e.text_part, e.html_part, e.edition)
            for u in range(1, 7)
            for e in store.list_editions(conn, u)
        }
    assert together == alone and len(together) == 12
