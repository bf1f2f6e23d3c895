"""Editions at each reader's local time, with a controllable clock, across daylight-saving changes.

The clock steps every 15 minutes through spans that hold a change: 2026-03-08
(North America springs forward), 2026-03-29 (Europe), 2026-10-25 (Europe falls
back) and 2026-11-01 (North America). Bamako (UTC, no DST) and Kolkata (+05:30,
no DST) must be untouched by all of them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsdesk.brief.schedule import due_editions as due_names
from newsdesk.brief.schedule import slot_instant
from newsdesk.follow import accounts
from newsdesk.jobs.editions import due_editions, set_user_editions
from newsdesk.store.editions import Schedule

ZONES = ("America/Toronto", "Europe/Paris", "Africa/Bamako", "Asia/Kolkata")
STEP = timedelta(minutes=15)


def _run_clock(start: datetime, end: datetime) -> None:
    now = start
    while now <= end:
        due_editions(now)
        now += STEP


def _sent(db: object) -> list[tuple[str, str, str, datetime]]:
    from sqlalchemy import select

    from newsdesk.store.tables.accounts import users
    from newsdesk.store.tables.editions import edition_outbox

    with db.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(
            select(
                users.c.email,
                edition_outbox.c.local_date,
                edition_outbox.c.slot,
                edition_outbox.c.sent_at,
                edition_outbox.c.status,
            ).join(users, users.c.id == edition_outbox.c.user_id)
        ).all()
    assert all(r.status == "sent" for r in rows), rows
    return [(r.email, r.local_date, r.slot, r.sent_at) for r in rows]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "days"),
    [
        (date(2026, 3, 7), 3),
        (date(2026, 3, 28), 3),
        (date(2026, 10, 24), 3),
        (date(2026, 10, 31), 3),
    ],
    ids=["na-spring", "eu-spring", "eu-fall", "na-fall"],
)
def test_four_zones_get_both_editions_at_local_time_across_dst(
    db, smtp_server, first, days
) -> None:
    with db.begin() as conn:
        for i, zone in enumerate(ZONES):
            accounts.create_user(
                conn, f"u{i}@example.org", now=datetime(2026, 1, 1, tzinfo=UTC), time_zone=zone
            )
    # From the first local midnight anywhere to the last one: every edition of `days` days.
    start = datetime.combine(first, datetime.min.time(), tzinfo=ZoneInfo("Asia/Kolkata"))
    end = datetime.combine(
        first + timedelta(days=days), datetime.min.time(), tzinfo=ZoneInfo("America/Toronto")
    )
    _run_clock(start.astimezone(UTC), end.astimezone(UTC))
    sent = _sent(db)
    received = smtp_server.mailbox.messages()
    assert len(received) == len(sent)
    assert len({m["Message-ID"] for m in received}) == len(received)  # nothing doubled
    for i, zone in enumerate(ZONES):
        mine = {(d, s): at for e, d, s, at in sent if e == f"u{i}@example.org"}
        for k in range(days):
            day = first + timedelta(days=k)
            for slot, wall in (("morning", "06:30"), ("evening", "17:30")):
                at = mine.get((day.isoformat(), slot))
                assert at is not None, f"{zone} lost its {slot} edition of {day}"
                due = slot_instant(day, wall, zone)
                assert due <= at < due + STEP, (zone, day, slot, at)
                local = at.astimezone(ZoneInfo(zone))
                assert (local.hour, local.minute) in ((6, 30), (6, 45), (17, 30), (17, 45))


@pytest.mark.parametrize(
    ("day", "wall"),
    [(date(2026, 3, 29), "02:30"), (date(2026, 10, 25), "02:30")],
    ids=["time-that-does-not-exist", "time-that-happens-twice"],
)
def test_a_wall_time_the_clock_skips_or_repeats_gives_one_edition(day, wall) -> None:
    """Pure: over the whole night, the edition is due exactly once, never lost, never doubled."""
    schedule = Schedule(1, "p@example.org", "Europe/Paris", wall, None)
    built: set[tuple[int, str, str]] = set()
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(hours=3)
    found = []
    while now < datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9):
        for due in due_names(now, [schedule], built):
            found.append((due.local_date, due.slot, now))
            built.add((due.user_id, due.local_date, due.slot))
        now += timedelta(minutes=5)
    assert [(d, s) for d, s, _ in found] == [(day.isoformat(), "morning")]
    local = found[0][2].astimezone(ZoneInfo("Europe/Paris"))
    # Spring: 02:30 does not exist and is read with the winter offset (03:30 summer time);
    # autumn: the first of the two 02:30s.
    assert (local.hour, local.minute) in ((3, 30), (2, 30))


def test_users_set_changes_times_and_zone(db, cli) -> None:
    with db.begin() as conn:
        accounts.create_user(conn, "lea@example.org", now=datetime(2026, 1, 1, tzinfo=UTC))
    done = cli(
        "users",
        "set",
        "lea@example.org",
        "--tz",
        "Europe/Paris",
        "--morning",
        "7:05",
        "--evening",
        "off",
        "--format",
        "json",
    )
    assert done.code == 0, done
    assert done.json() == {
        "email": "lea@example.org",
        "time_zone": "Europe/Paris",
        "morning": "07:05",
        "evening": "off",
    }
    assert set_user_editions("lea@example.org", evening="18:00")["evening"] == "18:00"
    bad = cli("users", "set", "lea@example.org", "--morning", "25:00")
    assert bad.code == 1 and "not a time of day" in bad.stderr
    bad = cli("users", "set", "lea@example.org", "--tz", "Mars/Olympus")
    assert bad.code == 1 and "unknown time zone" in bad.stderr
