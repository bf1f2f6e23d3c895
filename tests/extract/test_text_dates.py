"""Date stamps as pages print them, read only when they cannot be misread."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.extract.text.dates import find_published, parse_dateline
from newsdesk.extract.text.lines import classify_lines


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("Published March 3, 2026 at 7:45 a.m.", datetime(2026, 3, 3, 7, 45, tzinfo=UTC)),
        ("Nov. 19, 2025 8:03 pm ET", datetime(2025, 11, 20, 1, 3, tzinfo=UTC)),
        ("12.05.2026, 08:30 Uhr", datetime(2026, 5, 12, 8, 30, tzinfo=UTC)),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", datetime(2010, 10, 22, 20, 13, tzinfo=UTC)),
        ("2026-02-01T10:00", datetime(2026, 2, 1, 10, 0, tzinfo=UTC)),
        ("18 NOV 2025", datetime(2025, 11, 18, tzinfo=UTC)),
    ],
)
def test_unambiguous_stamps_are_read(stamp: str, expected: datetime) -> None:
    assert parse_dateline(stamp) == expected


@pytest.mark.parametrize(
    "stamp", ["11/12/19 06:56 AM", "31.02.2026", "May 2026", "Home", "Page 12 of 40"]
)
def test_ambiguous_or_impossible_stamps_give_nothing(stamp: str) -> None:
    assert parse_dateline(stamp) is None


def test_published_wins_over_updated() -> None:
    page = (
        "Ferry strike called off\n\nUpdated June 3, 2026 at 9:10 a.m.\n\n"
        "Published June 2, 2026 at 6:00 p.m.\n\n"
        "The ferry crews' union called off next week's strike on Tuesday evening after the council "
        "agreed to a new night rate for the river crossings.\n"
    )
    lines = classify_lines(page)
    assert find_published(lines, 1, 3) == datetime(2026, 6, 2, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("By Ewan Hollis - 11/19/25 06:56 AM EST", datetime(2025, 11, 19, 11, 56, tzinfo=UTC)),
        ("Carla Nadal 27/09/2026 Comment! Music, Games", datetime(2026, 9, 27, tzinfo=UTC)),
        ("21:17 18.11.2025Get short URL", datetime(2025, 11, 18, 21, 17, tzinfo=UTC)),
        ("Posted on Maret 30, 2025 by Admin", datetime(2025, 3, 30, tzinfo=UTC)),
    ],
)
def test_stamps_that_cannot_be_misread_are_read(stamp: str, expected: datetime) -> None:
    assert parse_dateline(stamp) == expected


def test_month_and_day_take_the_year_from_the_hint_only() -> None:
    stamp = "Updated Nov 19, 6:55 AM"
    assert parse_dateline(stamp) is None
    assert parse_dateline(stamp, year_hint=2025) == datetime(2025, 11, 19, 6, 55, tzinfo=UTC)


BODY = (
    "The ferry crews' union called off next week's strike on Tuesday evening after the council "
    "agreed to a new night rate for the river crossings.\n"
)


def test_posted_part_of_a_stamp_line_wins_and_the_url_gives_the_year() -> None:
    page = "Ferry strike called off\n\nUpdated Jun 3, 9:41 AM;Posted Jun 2, 8:19 PM\n\n" + BODY
    url = "https://river-gazette.example/news/2026/06/ferry-strike-called-off.html"
    found = find_published(classify_lines(page), 1, 2, url=url)
    assert found == datetime(2026, 6, 2, 20, 19, tzinfo=UTC)


def test_without_a_stamp_the_date_in_the_url_is_taken() -> None:
    page = "Ferry strike called off\n\n" + BODY
    url = "https://river-gazette.example/2026/06/02/ferry-strike-called-off/"
    assert find_published(classify_lines(page), 1, 1, url=url) == datetime(2026, 6, 2, tzinfo=UTC)
    assert find_published(classify_lines(page), 1, 1) is None
