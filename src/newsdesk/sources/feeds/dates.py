"""Feed dates to aware UTC datetimes.

Why not one library call: feeds write dates every way imaginable. The two
standard forms (RFC 822 in RSS, RFC 3339 in Atom and JSON Feed) cover nearly
every real feed and are parsed here quickly; the rest (W3CDTF fragments,
Korean or Greek month names, asctime, ...) go to feedparser's tolerant date
handlers, which are slow but only ever see the odd ones. A date that cannot be
read is ``None``, never an exception: a missing date is not a reason to lose
an entry.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_RFC822 = re.compile(
    r"^\s*(?:[A-Za-z]{2,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2,4})"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*$"
)
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


_TZ_CACHE: dict[str, timezone | None] = {}


def _offset(zone: str | None) -> timezone | None:
    if not zone:
        return UTC
    found = _TZ_CACHE.get(zone, _MISSING)
    if found is _MISSING:
        found = _make_offset(zone)
        if len(_TZ_CACHE) < 512:  # zones repeat; a hostile feed must not grow this forever
            _TZ_CACHE[zone] = found
    return found  # type: ignore[return-value]


_MISSING = object()


def _make_offset(zone: str) -> timezone | None:
    if not zone:
        return UTC
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        if len(digits) not in (2, 4) or not digits.isdecimal():  # what int() takes
            return None  # "+020a", "+2": not an offset; the caller tries the next reading
        hours = int(digits[:2])
        minutes = int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if zone[0] == "-" else delta)
    hours_off = _ZONES.get(zone.lower())
    if hours_off is None:
        return UTC if len(zone) == 1 else None  # military single letters: treat as UTC
    return timezone(timedelta(hours=hours_off))


def _rfc822_common(text: str) -> datetime | None:
    """``Mon, 01 Sep 2025 05:15:00 +0200``, the form nearly every RSS feed writes, by split."""
    parts = text.split()
    if len(parts) != 6 or parts[0][-1:] != ",":
        return None
    clock = parts[4].split(":")
    month = _MONTHS.get(parts[2][:3].lower())
    tz = _offset(parts[5])
    if month is None or tz is None or len(clock) != 3 or len(parts[3]) != 4:
        return None
    try:
        value = datetime(
            int(parts[3]), month, int(parts[1]), int(clock[0]), int(clock[1]), int(clock[2]),
            tzinfo=UTC,
        )  # fmt: skip
    except ValueError:
        return None
    offset = tz.utcoffset(None)
    return value - offset if offset else value


_MONTH_DIGITS = {
    name: f"-{number:02d}-"
    for month, number in _MONTHS.items()
    for name in (month, month.capitalize(), month.upper())
}
_fromisoformat = datetime.fromisoformat
_NO_SHIFT = timedelta(0)
# "+0200" -> the timedelta to subtract for UTC; "GMT" -> zero; a zone the fixed reader
# leaves to the others (a name such as "EST", an offset past 23:59) -> None
_SHIFTS: dict[str, timedelta | None] = {
    "GMT": _NO_SHIFT, "UT": _NO_SHIFT, "UTC": _NO_SHIFT, "Z": _NO_SHIFT,
}  # fmt: skip


def _shift(zone: str) -> timedelta | None:
    found = _SHIFTS.get(zone, _MISSING)
    if found is _MISSING:
        found = None
        digits = zone[1:]
        if len(zone) == 5 and zone[0] in "+-" and digits.isascii() and digits.isdigit():
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours <= 23 and minutes <= 59:
                found = timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
        if len(_SHIFTS) < 512:  # zones repeat; a hostile feed must not grow this forever
            _SHIFTS[zone] = found
    return found  # type: ignore[return-value]


def _rfc822_fixed(text: str) -> datetime | None:
    """``Mon, 01 Sep 2025 05:15:00 +0200`` (or ``GMT``) read by position.

    Why: this exact layout is what nearly every RSS feed writes. Rewritten as ISO
    8601 in UTC for the C ``fromisoformat`` (which checks every digit and the
    calendar) and shifted by a cached offset, it costs half of splitting it and
    building the datetime in Python. Anything else, or anything ``fromisoformat``
    refuses, is None: the general readers below then decide.
    """
    if (
        len(text) < 29
        or text[3:5] != ", "
        or text[7] != " "
        or text[11] != " "
        or text[16] != " "
        or text[19] != ":"
        or text[22] != ":"
        or text[25] != " "
    ):
        return None
    month = _MONTH_DIGITS.get(text[8:11])
    shift = _shift(text[26:])
    if month is None or shift is None:
        return None
    try:
        value = _fromisoformat(text[12:16] + month + text[5:7] + "T" + text[17:25] + "+00:00")
    except ValueError:
        return None
    return value - shift if shift else value


def _rfc822(text: str) -> datetime | None:
    fast = _rfc822_fixed(text) or _rfc822_common(text)
    if fast is not None:
        return fast
    m = _RFC822.match(text)
    if not m:
        return None
    day, mon, year, hh, mm, ss, zone = m.groups()
    month = _MONTHS.get(mon.lower())
    if month is None:
        return None
    y = int(year)
    if y < 100:
        y += 2000 if y < 50 else 1900
    tz = _offset(zone)
    if tz is None:
        return None
    try:
        value = datetime(y, month, int(day), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
    except ValueError:
        return None
    return value.astimezone(UTC)


def _iso(text: str) -> datetime | None:
    m = _ISO.match(text)
    if not m:
        return None
    year, month, day, hh, mm, ss, frac, zone = m.groups()
    tz = _offset(None if zone in (None, "Z", "z") else zone)
    if tz is None:
        return None
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(
            int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0), micro, tz
        )
    except ValueError:
        return None
    return value.astimezone(UTC)


def _tolerant(text: str) -> datetime | None:
    """feedparser's many date handlers, for the odd formats (lazy import: it is slow)."""
    try:
        from feedparser.datetimes import _parse_date
    except ImportError:  # pragma: no cover - feedparser is a required dependency
        return None
    try:
        parsed = _parse_date(text)
    except Exception:  # a date handler tripping on garbage must not lose the entry
        return None
    if parsed is None:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_date(text: str | None) -> datetime | None:
    """An aware UTC datetime for a feed date string, or None if it cannot be read."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 100:
        return None
    try:
        if text[0].isdigit() and len(text) >= 10 and text[4] == "-":
            try:  # the C parser takes the common RFC 3339 forms; the regex the looser ones
                value = _fromisoformat(text)
            except ValueError:
                return _iso(text) or _tolerant(text)
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value if value.tzinfo is UTC else value.astimezone(UTC)
        return _rfc822(text) or _tolerant(text)
    except OverflowError:  # "31 Dec 9999 23:00 -0200": in UTC it is past the calendar's end
        return None
