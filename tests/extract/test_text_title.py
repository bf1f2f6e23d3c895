"""The headline before the body, or one made from the lede."""

from __future__ import annotations

import pytest

from newsdesk.extract.text_body import select_body
from newsdesk.extract.text_lines import classify_lines
from newsdesk.extract.text_title import find_title, generate_title

BODY = (
    "The tide gauge at Corran Sound recorded its highest reading in forty years on Sunday night, "
    "the coastguard said.\n\n"
    "Water reached the doors of the lifeboat station but no one was hurt, and the road to the "
    "ferry reopened by Monday morning.\n\n"
    "Engineers will inspect the sea wall this week before the next spring tide.\n"
)


def _title(page: str, url: str | None = None) -> str | None:
    lines = classify_lines(page)
    return find_title(lines, select_body(lines).start, url=url)


def test_headline_followed_by_byline_and_date_is_found() -> None:
    page = (
        "Home\nNews\nWeather\n\nHighest tide in forty years floods Corran lifeboat station\n\n"
        "By Ewan Mackintosh-Reid\n\nMarch 9, 2026\n\n" + BODY
    )
    assert _title(page) == "Highest tide in forty years floods Corran lifeboat station"


def test_site_name_after_a_bar_is_dropped() -> None:
    page = "Highest tide in forty years floods Corran lifeboat station | Corran Herald\n\n" + BODY
    assert _title(page) == "Highest tide in forty years floods Corran lifeboat station"


def test_url_words_pick_the_headline_among_labels() -> None:
    page = "Weather warnings for the week\n\nCorran lifeboat station flooded by record tide\n\n"
    page += "Coast and islands\n\n" + BODY
    url = "https://corran.example/news/2026/03/corran-lifeboat-station-flooded-by-record-tide"
    assert _title(page, url) == "Corran lifeboat station flooded by record tide"


def test_page_without_a_headline_has_none() -> None:
    assert _title("Skip to main content\n\n" + BODY) is None


@pytest.mark.parametrize(
    ("lede", "title"),
    [
        (
            "The ferry will run again on Monday.",
            "The ferry will run again on Monday",
        ),
        (
            "The tide gauge at Corran Sound recorded its highest reading in forty years on Sunday "
            "night after a storm surge pushed water over the harbour wall, the coastguard said.",
            "The tide gauge at Corran Sound recorded its highest reading in forty years",
        ),
        (
            "Crews worked through the night to clear the coast road after the sea wall at Corran "
            "Sound gave way.",
            "Crews worked through the night to clear the coast road",
        ),
        (
            "Dr. Amara Quist said the sea wall held.",
            "Dr. Amara Quist said the sea wall held",
        ),
    ],
)
def test_generated_title_is_the_first_sentence_or_its_first_clause(lede: str, title: str) -> None:
    assert generate_title(lede).rstrip("…") == title


def test_generated_title_of_unspaced_text_is_cut_by_characters() -> None:
    lede = (
        "港の潮位計は日曜日の夜に四十年ぶりの最高値を記録し"
        "救命艇の基地の扉まで水が届いたと沿岸警備隊が発表した"
    )
    title = generate_title(lede)
    assert title.endswith("…")
    assert lede.startswith(title.rstrip("…"))
    assert len(title) < len(lede)
