"""Date stamps as pages print them, read only when they cannot be misread."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.extract.text_dates import find_published, parse_dateline
from newsdesk.extract.text_lines import classify_lines


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
