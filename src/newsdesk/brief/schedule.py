"""When editions are due: local wall-clock times in each reader's zone, to UTC instants. Pure.

Each edition is named by (user, local date, slot), never by an instant, and
that name is the outbox's unique key: whatever the clock does, a name is built
once. The instant of a name is its wall-clock time on that date in the
reader's zone, resolved by ``zoneinfo``:

* a time that does not exist (spring forward, 02:30 in Paris on the last
  Sunday of March) is read with the offset before the change (``fold=0``):
  02:30 winter time is 03:30 summer time, so the edition comes an hour after
  the jump, and is not lost;
* a time that happens twice (fall back) takes its first occurrence
  (``fold=0``); the second finds the name already built, so it is not doubled.

A scheduler that was down catches up for ``CATCH_UP`` after an edition's time
and then lets it go: yesterday's morning news is not sent at noon today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsdesk.errors import InputError
from newsdesk.store.editions import SLOTS, Schedule

CATCH_UP = timedelta(hours=6)
FIRST_WINDOW = timedelta(hours=12)
LONGEST_WINDOW = timedelta(hours=48)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class DueEdition:
    user_id: int
    local_date: str
    slot: str
    at: datetime  # the UTC instant it was due


def parse_time_of_day(text: str) -> str:
    """ "HH:MM" (normalised to two digits) or "off"; anything else is an InputError."""
    value = text.strip().lower()
    if value == "off":
        return "off"
    match = _HHMM.match(value)
    if not match:
        raise InputError(f"{text!r} is not a time of day", hint="write HH:MM (24 h) or off")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Paris"
        ) from None


def slot_instant(local_date: date, hhmm: str, time_zone: str) -> datetime:
    """The UTC instant of wall-clock ``hhmm`` on ``local_date`` in ``time_zone`` (see above)."""
    hours, minutes = (int(p) for p in hhmm.split(":"))
    local = datetime.combine(local_date, time(hours, minutes), tzinfo=zone(time_zone))
    return local.astimezone(UTC)


def local_date_of(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(zone(time_zone)).date()


def due_editions(
    now: datetime, schedules: Iterable[Schedule], built: set[tuple[int, str, str]]
) -> list[DueEdition]:
    """The editions whose time has come (within ``CATCH_UP``) and that are not built yet."""
    due: list[DueEdition] = []
    for schedule in schedules:
        today = local_date_of(now, schedule.time_zone)
        for day in (today - timedelta(days=1), today):
            for slot in SLOTS:
                hhmm = schedule.time_of(slot)
                if hhmm is None:
                    continue
                at = slot_instant(day, hhmm, schedule.time_zone)
                name = (schedule.user_id, day.isoformat(), slot)
                if at <= now < at + CATCH_UP and name not in built:
                    due.append(DueEdition(schedule.user_id, day.isoformat(), slot, at))
    due.sort(key=lambda d: (d.at, d.user_id, d.slot))
    return due


def candidate_dates(now: datetime) -> list[str]:
    """Every local date an edition due at ``now`` can carry, in any zone (UTC-12 to UTC+14)."""
    day = now.astimezone(UTC).date()
    return [(day + timedelta(days=k)).isoformat() for k in (-2, -1, 0, 1)]


def window_for(at: datetime, previous_end: datetime | None) -> tuple[datetime, datetime]:
    """An edition covers the time since the reader's previous one, or 12 hours for the first."""
    if previous_end is None or previous_end >= at:
        return at - FIRST_WINDOW, at
    return max(previous_end, at - LONGEST_WINDOW), at
