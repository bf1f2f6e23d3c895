"""The publication date of a page saved as text, from the date stamp near its headline.

Pages print their dates for people: "Published March 3, 2026 at 7:45 a.m.",
"12.05.2026, 08:30 Uhr", "Nov. 19, 2019 8:03 am ET". Only forms that cannot
be misread are accepted: a month written as a word, an ISO date, or a
day-first dotted date; "11/12/19" could be either of two days and is left
alone, since no date is better than a wrong one. A "Published" stamp wins
over an "Updated" one. Times without a zone are taken as UTC; US zone
abbreviations are honoured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

from newsdesk.extract.text_lines import Line

__all__ = ["find_published", "parse_dateline"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier januar enero gennaio janeiro",
        "february feb février fevrier februar febrero febbraio fevereiro",
        "march mar mars märz maerz marzo março",
        "april apr avril abril aprile",
        "may mai mayo maggio maio",
        "june jun juin juni junio giugno junho",
        "july jul juillet juli julio luglio julho",
        "august aug août aout agosto",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre oktober octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre dezember diciembre dicembre dezembro",
    ),
    1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_WORD = r"(?P<month>[^\W\d_]{3,10})\.?"
_MONTH_FIRST = re.compile(
    _MONTH_WORD + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})", re.I
)
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?"
    + _MONTH_WORD
    + r"\s+(?:de\s+)?(?P<year>\d{4})",
    re.I,
)
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_DOTTED = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b")
_TIME = re.compile(
    r"(?<!\d)(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"(?:\s*(?:uhr|h))?\s*(?P<zone>[A-Z]{2,4}\b)?",
    re.I,
)
_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "et": -5, "est": -5, "edt": -4, "ct": -6, "cst": -6, "cdt": -5,
    "mt": -7, "mst": -7, "mdt": -6, "pt": -8, "pst": -8, "pdt": -7, "bst": 1, "cet": 1,
    "cest": 2,
}  # fmt: skip
_UPDATED = re.compile(r"(?i)\b(?:updated|modified|aktualisiert|mis\s+à\s+jour|actualizado)\b")
LOOKAROUND = 15  # at most this many lines before the body are searched for the date stamp


def _date_parts(text: str) -> tuple[int, int, int, tuple[int, int]] | None:
    """(year, month, day, span of the date in ``text``) of the first date written unambiguously."""
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        for match in pattern.finditer(text):
            month = _MONTHS.get(match["month"].casefold())
            if month:
                return int(match["year"]), month, int(match["day"]), match.span()
    for pattern in (_ISO, _DOTTED):
        found = pattern.search(text)
        if found:
            return int(found["year"]), int(found["month"]), int(found["day"]), found.span()
    return None


def parse_dateline(text: str) -> datetime | None:
    """The date (and time, if given) a date stamp names, as an aware datetime; else None."""
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day, (start, end) = parts
    hour = minute = 0
    zone = UTC
    time = _TIME.search(text[:start] + " " * (end - start) + text[end:])
    if time:
        hour, minute = int(time["hour"]), int(time["minute"])
        ampm = (time["ampm"] or "").casefold().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        offset = _ZONES.get((time["zone"] or "").casefold())
        if offset is not None:
            zone = timezone(timedelta(hours=offset))
    try:
        stamp = datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None
    if not 1990 <= year <= 2100:
        return None
    return stamp.astimezone(UTC)


def find_published(lines: Sequence[Line], first: int, body_start: int) -> datetime | None:
    """The date stamp between the headline (``first``) and the body; "Published" over "Updated"."""
    candidates: list[tuple[bool, datetime]] = []
    for line in lines[max(0, first, body_start - LOOKAROUND) : body_start]:
        if line.words > 16:
            continue
        stamp = parse_dateline(line.text)
        if stamp is not None:
            candidates.append((bool(_UPDATED.search(line.text)), stamp))
    if not candidates:
        return None
    published = [stamp for updated, stamp in candidates if not updated]
    return published[0] if published else candidates[0][1]
