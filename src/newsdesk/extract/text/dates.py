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

from newsdesk.extract.text.lines import Line

__all__ = ["find_published", "parse_dateline"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier januar enero gennaio janeiro januari",
        "february feb février fevrier februar febrero febbraio fevereiro februari",
        "march mar mars märz maerz marzo março maart maret",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juin juni junio giugno junho",
        "july jul juillet juli julio luglio julho",
        "august aug août aout agosto augustus agustus",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre oktober octubre ottobre outubro",
        "november nov novembre noviembre novembro nopember",
        "december dec décembre decembre dezember diciembre dicembre dezembro desember",
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
_DOTTED = re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)")
# 11/19/19 or 27/09/2018: read only when one of the first two numbers cannot be a month.
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])")
# "Nov 19, 6:55 AM": a month and a day, the year left to the caller's hint (the URL's).
_MONTH_DAY = re.compile(
    _MONTH_WORD + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{4})", re.I
)
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


def _date_parts(
    text: str, year_hint: int | None = None
) -> tuple[int, int, int, tuple[int, int]] | None:
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
    for found in _SLASHED.finditer(text):
        a, b, year = int(found["a"]), int(found["b"]), int(found["year"])
        year += 2000 if year < 100 else 0
        if a > 12 >= b:
            return year, b, a, found.span()
        if b > 12 >= a:
            return year, a, b, found.span()
    if year_hint is not None:
        for match in _MONTH_DAY.finditer(text):
            month = _MONTHS.get(match["month"].casefold())
            if month:
                return year_hint, month, int(match["day"]), match.span()
    return None


def parse_dateline(text: str, *, year_hint: int | None = None) -> datetime | None:
    """The date (and time, if given) a date stamp names, as an aware datetime; else None.

    ``year_hint`` (the year in the page's URL) completes a stamp that gives only
    month and day ("Nov 19, 6:55 AM").
    """
    parts = _date_parts(text, year_hint)
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


def find_published(
    lines: Sequence[Line],
    first: int,
    body_start: int,
    *,
    url: str | None = None,
    body_end: int | None = None,
) -> datetime | None:
    """The date stamp between the headline (``first``) and the body; "Published" over "Updated".

    A stamp may also stand just over the headline ("Last updated ..." then the
    headline). When the header has none, a date stamp set inside the article's
    stretch (``body_end``) is taken, and last the date in the URL ("/2026/03/14/").
    """
    year_hint = _url_year(url)
    start = max(0, min(first, body_start) - ABOVE_HEADLINE)
    found = _stamps(lines[start:body_start], year_hint)
    if not found and body_end is not None:
        inside = [line for line in lines[body_start : body_end + 1] if line.dateline]
        found = _stamps(inside, year_hint)
    if found:
        published = [stamp for updated, stamp in found if not updated]
        return published[0] if published else found[0][1]
    from newsdesk.extract.metadata import date_from_url

    return date_from_url(url)


def _stamps(lines: Sequence[Line], year_hint: int | None) -> list[tuple[bool, datetime]]:
    """(is an "Updated" stamp, when) for every stamp on ``lines``, a line's parts apart
    ("Updated Nov 19, 9:41 AM; Posted Nov 18, 8:19 PM")."""
    found: list[tuple[bool, datetime]] = []
    for line in lines:
        if line.words > 16:
            continue
        for part in _PARTS.split(line.text):
            stamp = parse_dateline(part, year_hint=year_hint)
            if stamp is not None:
                found.append((bool(_UPDATED.search(part)), stamp))
    return found


def _url_year(url: str | None) -> int | None:
    match = _URL_YEAR.search(url or "")
    return int(match[1]) if match else None


ABOVE_HEADLINE = 2  # lines over the headline searched for a stamp
_PARTS = re.compile(r"\s*[;|]\s*")
_URL_YEAR = re.compile(r"/((?:19|20)\d{2})/(?:\d{1,2}|[a-z]{3})/")
