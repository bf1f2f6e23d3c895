"""The headline before the body, or one made from the lede."""

from __future__ import annotations

import pytest

from newsdesk.extract.text.body import select_body
from newsdesk.extract.text.lines import classify_lines
from newsdesk.extract.text.title import find_title, generate_title

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


HEADLINE = "Highest tide in forty years floods Corran lifeboat station"


def test_headline_is_found_over_a_share_panel_and_its_notes() -> None:
    panel = "\n".join(
        [
            "Share this with",
            "These links open in a new window and leave this site",
            "Email",
            "Share this with Email",
            "Facebook",
            "Share this with Facebook",
            "Copy this link",
            "https://corran-herald.example/news/coast-20417",
            "These links open in a new window and leave this site",
            "Close share panel",
        ]
    )
    page = f"Home\nNews\nCoast\nCoast\n{HEADLINE}\n9 March 2026\n{panel}\n\n" + BODY
    assert _title(page) == HEADLINE


def test_author_name_over_the_headline_is_not_the_headline() -> None:
    page = f"Home\nCoast\nEwan Mackintosh\nToday 10:12am\n{HEADLINE}\n\n" + BODY
    assert _title(page) == HEADLINE


def test_byline_with_role_date_and_section_is_not_the_headline() -> None:
    byline = "By Ewan Mackintosh - Corran Herald Contributor 2026-03-09T20:51:19Z Coast & Islands"
    page = f"Home\nCoast\n{HEADLINE}\n{byline}\n\n" + BODY
    assert _title(page) == HEADLINE


def test_kicker_over_the_headline_and_standfirst_under_it_are_not_the_headline() -> None:
    standfirst = "Water reached the doors but the crew kept the boat ready all night"
    page = f"Home\nCoast\nSTORM WATCH\n{HEADLINE}\n{standfirst}\nBy Ewan Mackintosh\n\n" + BODY
    assert _title(page) == HEADLINE


@pytest.mark.parametrize(
    "chrome",
    [
        "Home > News > Coast and islands > Corran",
        "Click for the full tide tables for Corran Sound",
    ],
)
def test_breadcrumbs_and_calls_to_action_are_never_the_headline(chrome: str) -> None:
    page = f"Home\nNews\n{HEADLINE}\nMarch 9, 2026\nPhotos\n{chrome}\n\n" + BODY
    assert _title(page) == HEADLINE


def test_heading_of_a_newsletter_box_is_not_the_headline() -> None:
    box = (
        "Coastal Flood Warnings\n"
        "Get flood warnings for the Corran coast sent to your phone the moment they are issued.\n"
        "SUBSCRIBE\n"
    )
    page = f"Coast\n{HEADLINE}\n{box}March 9, 2026\nBy Ewan Mackintosh\n\n" + BODY
    assert _title(page) == HEADLINE


def test_question_headline_read_as_the_first_paragraph_is_taken_back() -> None:
    question = "Could the Corran sea wall survive another storm like Sunday's?"
    page = f"Home\nFact check\n\n{question}\n\nBy Ewan Mackintosh on March 9, 2026\n\n" + BODY
    lines = classify_lines(page)
    body = select_body(lines)
    assert find_title(lines, body.start, body=[line.text for line in body.kept]) == question


def test_headline_is_told_from_labels_by_the_words_it_shares_with_the_body() -> None:
    page = "Opening hours and prices\nLifeboat station flooded by Corran tide\n\n" + BODY
    lines = classify_lines(page)
    body = select_body(lines)
    kept = [line.text for line in body.kept]
    assert find_title(lines, body.start, body=kept) == "Lifeboat station flooded by Corran tide"


def test_table_header_between_headline_and_body_is_not_the_headline() -> None:
    headline = "Corran Rovers top the island league after a late winner"
    table = (
        "Pos Team Played Points Form\n1 Corran Rovers 18 40 WWDWW\n"
        "2 Skerry Athletic 18 38 WLWWD\n3 Harbour United 18 31 DDLWW\n"
    )
    page = f"Sport\n{headline}\nBy Ewan Mackintosh\nMarch 9, 2026\n{table}\n" + BODY
    assert _title(page) == headline


def test_generated_title_of_mixed_scripts_does_not_crash() -> None:
    """A few spaced words, long only by their CJK characters: once an IndexError (issue 15)."""
    lede = "Kellbrunn 市議会は 新しい橋の建設計画を 日曜日の夜に 承認したと 発表した 港の住民は歓迎"
    title = generate_title(lede)
    assert title and lede.startswith(title.rstrip("…"))
