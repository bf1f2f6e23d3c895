"""Credit lines leave the body, with names split from roles, places and agencies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.extract.byline import MAX_CREDIT_WORDS, credit_names, parse_credit_line, split_credits
from newsdesk.models import Credit


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", [Credit("Jane Doe", "author")]),
        ("BY MARTA QUILLON", [Credit("Marta Quillon", "author")]),
        ("By Sarah E. Brightwater", [Credit("Sarah E. Brightwater", "author")]),
        ("Jane Doe, Staff Reporter", [Credit("Jane Doe", "author", "Staff Reporter")]),
        (
            "By Jane Doe and Ali Ren in Lagos",
            [
                Credit("Jane Doe", "author", None, "Lagos"),
                Credit("Ali Ren", "author", None, "Lagos"),
            ],
        ),
        (
            "By Jane Doe in Lagos and Ali Ren in Port Harcourt",
            [
                Credit("Jane Doe", "author", None, "Lagos"),
                Credit("Ali Ren", "author", None, "Port Harcourt"),
            ],
        ),
        (
            "With a report by Steven Chase in Ottawa",
            [Credit("Steven Chase", "contributor", "report", "Ottawa")],
        ),
        (
            "with files from The Canadian Press",
            [Credit("The Canadian Press", "agency", "files")],
        ),
        ("— Reuters", [Credit("Reuters", "agency")]),
        ("(AP)", [Credit("AP", "agency")]),
        (
            "Reporting by Jane Doe in Lagos; Editing by Ali Ren and Bo Li",
            [
                Credit("Jane Doe", "author", "reporting", "Lagos"),
                Credit("Ali Ren", "contributor", "editing"),
                Credit("Bo Li", "contributor", "editing"),
            ],
        ),
        (
            "By Jane Doe, Ali Ren and Bo Li, Staff Writers",
            [
                Credit("Jane Doe", "author", "Staff Writers"),
                Credit("Ali Ren", "author", "Staff Writers"),
                Credit("Bo Li", "author", "Staff Writers"),
            ],
        ),
        (
            "By Pell Ostrander, Associated Press",
            [Credit("Pell Ostrander", "author"), Credit("Associated Press", "agency")],
        ),
        (
            "Ines Varo and Tomas Lindqvist contributed reporting from Malmo.",
            [
                Credit("Ines Varo", "contributor", "reporting", "Malmo"),
                Credit("Tomas Lindqvist", "contributor", "reporting", "Malmo"),
            ],
        ),
        ("By Jane Doe | Updated 3:04 p.m. ET Nov. 19, 2021", [Credit("Jane Doe", "author")]),
        ("By Jane Doe @janedoe_writes", [Credit("Jane Doe", "author")]),
        ("Von Anna Kessler", [Credit("Anna Kessler", "author")]),
        ("By\u00a0Odile BrandtStaff Writer", [Credit("Odile Brandt", "author", "Staff Writer")]),
        (
            "By RUTGER HALVORSEN | Special to the Fenwick Ledger",
            [Credit("Rutger Halvorsen", "author", "Special to the Fenwick Ledger")],
        ),
        (
            "The Fenwick Ledger's Ama Boateng contributed to this report.",
            [Credit("Ama Boateng", "contributor", "reporting")],
        ),
        (
            "By Ines Varo, CNN Business",
            [Credit("Ines Varo", "author"), Credit("CNN Business", "agency")],
        ),
        (
            "(Reporting by Ines Varo, Tomas Lind, with reporting by Bo Li, editing by Ali Ren.)",
            [
                Credit("Ines Varo", "author", "reporting"),
                Credit("Tomas Lind", "author", "reporting"),
                Credit("Bo Li", "contributor", "reporting"),
                Credit("Ali Ren", "contributor", "editing"),
            ],
        ),
    ],
)
def test_credit_lines_are_parsed(line: str, expected: list[Credit]) -> None:
    assert parse_credit_line(line) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "By Tuesday the river had risen past the old mill.",
        "By the numbers",
        "By the way, the ferry was late again.",
        "By Monday Evening",
        "By using this site you agree to our use of cookies.",
        "By Kim Jong-un's order, the border was closed.",
        "John Smith, the mayor, said the bridge would reopen.",
        "Paris, France",
        "Reporting by the council found the budget short.",
        "Follow the author of this article:",
        "The mayor, a former reporter, declined to comment.",
        "With files from the archive, the historian rebuilt the timeline.",
        "By Any Means Necessary",
        "Mayor Swears In Commissioners, Special Advisers 11 comments",
        "Marta Quillon, chief executive of the harbour trust",
    ],
)
def test_body_sentences_are_never_credits(sentence: str) -> None:
    assert parse_credit_line(sentence) is None
    kept, credits = split_credits([sentence])
    assert kept == (sentence,)
    assert credits == ()


def test_split_credits_keeps_order_and_takes_a_role_line_after_the_byline() -> None:
    paragraphs = [
        "By Rosalind Achterberg",
        "Opinion Columnist",
        "The harbour board met on Thursday.",
        "It voted to close the north pier.",
        "With a report by Kofi Mensah-Brandt in Tema",
        "with files from The Canadian Press",
    ]
    kept, credits = split_credits(paragraphs)
    assert kept == ("The harbour board met on Thursday.", "It voted to close the north pier.")
    assert credits[0] == Credit("Rosalind Achterberg", "author", "Opinion Columnist")
    authors, contributors = credit_names(credits)
    assert authors == ("Rosalind Achterberg",)
    assert contributors == ("Kofi Mensah-Brandt", "The Canadian Press")


def test_agency_only_credit_stands_as_author() -> None:
    _, credits = split_credits(["The vote was close.", "— Reuters"])
    assert credit_names(credits) == (("Reuters",), ())


def test_repeated_byline_is_credited_once() -> None:
    kept, credits = split_credits(["By Jane Doe", "A sentence of the story.", "By Jane Doe"])
    assert kept == ("A sentence of the story.",)
    assert credits == (Credit("Jane Doe", "author"),)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "By Jane Doe",
                "Staff Reporter",
                "The ferry was late again on Tuesday, the third time this week.",
                "By the end of the day the queue had reached the harbour gates.",
                "— Reuters",
                "with files from The Canadian Press",
                "Reporting by Ali Ren; Editing by Bo Li",
                "Ali Ren, Staff Writer",
                "Most of the crews had left by noon.",
            ]
        )
        | st.text(max_size=80),
        max_size=12,
    )
)
def test_split_credits_keeps_the_rest_in_order(paragraphs: list[str]) -> None:
    kept, credits = split_credits(paragraphs)
    position = 0
    for paragraph in kept:  # a subsequence of the input
        position = paragraphs.index(paragraph, position) + 1
    for paragraph in paragraphs:
        if len(paragraph.split()) > MAX_CREDIT_WORDS or paragraph.rstrip().endswith(
            ("again on Tuesday, the third time this week.", "the harbour gates.", "by noon.")
        ):
            assert paragraph in kept
    assert len({(c.name.casefold(), c.kind) for c in credits}) == len(credits)
