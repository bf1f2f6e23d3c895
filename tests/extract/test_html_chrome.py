"""Chrome lines leave the body; prose that merely mentions the same words stays."""

from __future__ import annotations

import pytest

from newsdesk.extract.html.blocks import Block
from newsdesk.extract.html.chrome import clean_blocks, is_chrome_line


@pytest.mark.parametrize(
    "line",
    [
        "Related: Five ways the valley changed after the flood",
        "READ MORE: Harbour fees to rise in spring",
        "Sign up for the Courier morning briefing",
        "Get the day's top headlines in your inbox every morning by subscribing to our newsletter.",
        "Follow Valley Echo on Instagram, Facebook and YouTube.",
        "Click here to get the full timetable.",
        "Comments (12)",
        "You may also like",
        "Copyright 2031 Valley Echo Ltd. All rights reserved.",
        "© Harbour Daily",
        "Write to Nell Quarry at nell.quarry@echo.example",
        "Updated: March 14, 2031 at 9:30 a.m.",
        "November 19, 2031 / 12:21 AM / Updated 14 hours ago",
        "14 March 2031",
        "Share this",
        "05/10/2031 - Publicado por: Ana Brun - Categoria: Saúde - Tags: fen, ferry",
        "segunda-feira, 14 de março de 2031 às 9:30",
        "​",
        "By",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The council said it would subscribe to the regional flood-warning service next year.",
        "Her newsletter on local politics now has more readers than the town has voters.",
        "Related research from the coastal institute found the same pattern in 2029.",
        "Copyright law was not the issue, the judge said, but the contract was.",
        "Updated figures from the port authority show freight fell by a fifth.",
        "More than 200 people came to the meeting.",
        "By Tuesday the river had risen another metre.",
        "The email landed in her inbox at three in the morning.",
        "Follow-up tests on the bridge are due in May.",
        "The 2031 final kicks off at 20:45 in Valrose.",
        "Her verdict: the plan works. His verdict: it does not.",
    ],
)
def test_prose_is_kept(line: str) -> None:
    assert not is_chrome_line(line)


def test_headline_repeated_on_top_leaves_but_a_lede_equal_to_the_description_stays() -> None:
    blocks = [
        Block("head", "Snow closes the pass"),
        Block("p", "Snow closed the Veltin pass on Monday, cutting off four villages."),
        Block("p", "Ploughs are expected to reach them by Wednesday."),
    ]
    out = clean_blocks(
        blocks,
        headlines=["Snow closes the pass | Alpine Ledger", "Snow closes the pass"],
        description="Snow closed the Veltin pass on Monday, cutting off four villages.",
    )
    assert [b.text for b in out] == [blocks[1].text, blocks[2].text]


def test_standfirst_set_as_heading_stays_as_the_first_paragraph() -> None:
    """A reader counts the dek as the article's first paragraph (issue 15)."""
    blocks = [
        Block("head", "Four villages cut off as ploughs wait for the wind to drop"),
        Block("p", "Snow closed the Veltin pass on Monday."),
    ]
    out = clean_blocks(
        blocks,
        headlines=["Snow closes the pass"],
        description="Four villages cut off as ploughs wait for the wind to drop",
    )
    assert [b.text for b in out] == [
        "Four villages cut off as ploughs wait for the wind to drop",
        "Snow closed the Veltin pass on Monday.",
    ]


def test_headline_words_later_in_the_body_are_kept() -> None:
    blocks = [Block("p", f"Paragraph {i} about the pass and the snow.") for i in range(4)]
    blocks.append(Block("p", "Snow closes the pass"))
    out = clean_blocks(blocks, headlines=["Snow closes the pass"])
    assert out[-1].text == "Snow closes the pass"
