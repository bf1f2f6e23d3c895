"""Header bylines on pages saved as text: the byline read through the stamp glued to it."""

from __future__ import annotations

import pytest

from newsdesk.extract.text.byline import is_bare_name, parse_header_byline


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "By Marta Quell - Northlight Science Contributor 2026-03-04T09:12:55Z Space",
            ["Marta Quell"],
        ),
        ("By Ivo Brandt 2026-03-04T09:12:55Z Science & Astronomy", ["Ivo Brandt"]),
        ("Wendell Okafor - Mar 3, 2026, 10:31 pm CST", ["Wendell Okafor"]),
        ("Sunniva Lake @sunnivalake / 2 days", ["Sunniva Lake"]),
        ("Tomas Rydberg @TomasWrites", ["Tomas Rydberg"]),
        ("5:45 AM PST 03/19/2026 by Halima Osei", ["Halima Osei"]),
        ("Posted by Corin Abernethy on March 19, 2026, 6:21 AM EST", ["Corin Abernethy"]),
        ("03/19/2026 by Lars Brenning", ["Lars Brenning"]),
        ("By Megan Roslyn meganr@harbourtribune.example(509) 555-0142", ["Megan Roslyn"]),
        ("February 1, 2026 | BY: Ilse Marchetti, MS, RDN", ["Ilse Marchetti"]),
        ("By Greta Lindqvist, Tidewater.com", ["Greta Lindqvist"]),
        ("Ewan HollisYesterday 2:45PM", ["Ewan Hollis"]),
        ("By Jonah VellaHARBOURNews", ["Jonah Vella"]),
        ("By Ada Nwosu and Piet Kramer", ["Ada Nwosu", "Piet Kramer"]),
    ],
)
def test_byline_with_a_stamp_gives_the_names(line: str, names: list[str]) -> None:
    credits = parse_header_byline(line)
    assert credits is not None
    assert [c.name for c in credits if c.kind == "author"] == names


def test_role_after_a_dash_is_kept_as_the_role() -> None:
    credits = parse_header_byline("By Marta Quell - Northlight Science Contributor 2026-03-04")
    assert credits is not None
    assert credits[0].role == "Northlight Science Contributor"


@pytest.mark.parametrize(
    "line",
    [
        "Council approves night buses for the harbour district",
        "Royal Harbour Reopens",
        "Breaking News Alerts",
        "Stand by for more news on Tuesday.",
        "Published 2 hours ago",
        "Updated 0339 GMT (1139 HKT) March 19, 2026",
        "Nov. 19, 2026 8:03 pm ET",
        "The ferry was delayed by fog on Monday.",
        "Zurück zur Übersicht",
        "Introducing Junia Varga, New Head of Sales",
        "Pos Player Plays % Stats",
    ],
)
def test_lines_that_are_not_bylines_give_nothing(line: str) -> None:
    assert parse_header_byline(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wendell Okafor", True),
        ("Ana de la Cruz", True),
        ("Opinion Columnist", False),
        ("Sharing Buttons", False),
        ("Enlarge Image", False),
        ("Breaking News Emails", False),
        ("Home", False),
        ("The council voted on Monday", False),
    ],
)
def test_bare_name(line: str, expected: bool) -> None:
    assert is_bare_name(line) is expected
