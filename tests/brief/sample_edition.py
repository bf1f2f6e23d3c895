"""A full fictional edition (every part, long words and long links) for rendering tests."""

# ruff: noqa: E501  (the fictional news text reads better unbroken)

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.brief.models import (
    DevelopingItem,
    Edition,
    EditionItem,
    FollowSection,
    NewDevelopment,
)

BASE = "https://news.example.org"


def _item(
    key: str, headline: str, summary: str, outlets: tuple[str, ...], count: int
) -> EditionItem:
    return EditionItem(
        story_key=key,
        headline=headline,
        summary=summary,
        outlets=outlets,
        outlet_count=count,
        story_url=f"{BASE}/stories/{key}",
        original_url=f"https://{outlets[0].lower().replace(' ', '-')}.example/2026/03/02/"
        + "a-very-long-path-segment-that-would-overflow-a-phone-screen-if-it-could-not-wrap",
    )


def sample_edition() -> Edition:
    top = (
        _item(
            "a1b2c3",
            "Ferry crews strike at three harbours as roster talks collapse",
            "Crews walked out at the north, east and island harbours on Sunday night. The union says the new rosters cut rest days in half.",
            (
                "Harbour Gazette",
                "Le Courrier du Lac",
                "Northwind Post",
                "Delta Wire",
                "Island Times",
            ),
            5,
        ),
        _item(
            "d4e5f6",
            "Council approves repair of the old stone bridge",
            "The town council voted seven to two to repair the 1820 bridge rather than replace it.",
            ("Harbour Gazette", "Valley Echo"),
            2,
        ),
        _item(
            "g7h8i9",
            "Hospital opens night clinic for shift workers",
            "The clinic will stay open until 2 a.m. on weekdays from next month.",
            ("Northwind Post",),
            1,
        ),
        _item(
            "j0k1l2",
            "Kindergartenverwaltungsreformgesetzentwurf passes its first reading",
            "Lawmakers backed the draft by a wide margin; a committee will now review the funding formula.",
            ("Rhein Kurier", "Delta Wire", "Valley Echo"),
            3,
        ),
    )
    following = (
        FollowSection(
            "topic",
            "Mali",
            (
                _item(
                    "m3n4o5",
                    "European troops to leave Mali within six months",
                    "France and its partners will withdraw from Mali within six months after relations with the junta broke down. Canada joins the withdrawal.",
                    ("Sahel Courier", "Lakeside Tribune", "Northern Ledger"),
                    3,
                ),
            ),
        ),
        FollowSection(
            "person",
            "Ines Okafor",
            (
                _item(
                    "p6q7r8",
                    "Harbour master promises reduced ferry timetable",
                    "Two ferries will run on Monday morning, the harbour master said, and the coastal bus will take the rest.",
                    ("Harbour Gazette", "Island Times"),
                    2,
                ),
            ),
        ),
    )
    developing = (
        DevelopingItem(
            _item(
                "s9t0u1",
                "Cup final to be replayed after floodlights fail",
                "The regional cup final will be replayed next week.",
                ("Valley Sports Daily", "Riverside Echo", "Delta Wire", "Northwind Post"),
                4,
            ),
            (
                NewDevelopment(
                    "The league set the replay for Wednesday at 19:45 and said tickets will be honoured.",
                    "Valley Sports Daily",
                    None,
                ),
                NewDevelopment(
                    "Riverside Park's owners said a burned-out transformer has been replaced.",
                    "Riverside Echo",
                    None,
                ),
            ),
            2,
        ),
    )
    return Edition(
        user_id=1,
        slot="morning",
        local_date="2026-03-02",
        time_zone="Europe/Paris",
        window_start=datetime(2026, 3, 1, 16, 30, tzinfo=UTC),
        window_end=datetime(2026, 3, 2, 5, 30, tzinfo=UTC),
        top=top,
        following=following,
        developing=developing,
    )
