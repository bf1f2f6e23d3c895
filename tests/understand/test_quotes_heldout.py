"""The error kinds measured on held-out news (issue 16), each on an article we wrote.

Fictional people, places and outlets; each test says what a reader would say.
"""

from __future__ import annotations

from tests.understand.test_quotes import quotes_of, said


def test_a_partial_quote_woven_into_a_reported_sentence_is_kept() -> None:
    found = quotes_of(
        "Harbourmaster Elin Vasko inspected the northern pier on Monday.",
        "Vasko said the timber under the eastern half “has rotted faster than anyone "
        "expected” and that the pier would stay shut until spring.",
    )
    assert ("has rotted faster than anyone expected", "Elin Vasko") in said(found)


def test_a_pronoun_never_goes_to_the_byline_author() -> None:
    found = quotes_of(
        "By Marta Lindqvist",
        "The council of Port Velan voted to close the northern pier on Tuesday.",
        "“We had no other choice,” she said after the vote.",
    )
    assert [q.speaker for q in found] != ["Marta Lindqvist"]


def test_a_dateline_place_is_never_the_speaker() -> None:
    found = quotes_of(
        "KESTREL BAY — The ferry company cancelled every crossing on Friday.",
        "“The wind is simply too strong for the boats,” a statement read.",
    )
    assert all(q.speaker != "KESTREL BAY" for q in found)
    assert all(q.speaker is None or "Kestrel" not in q.speaker for q in found)


def test_a_new_person_in_the_paragraph_breaks_the_inherited_speaker() -> None:
    found = quotes_of(
        "“The pier is finished,” said harbourmaster Elin Vasko. "
        "Her deputy, Rolf Brandt, disagreed at the same meeting. "
        "“Two seasons of repairs would save it,” Brandt told the council. "
        "“We should try.”",
    )
    assert said(found) == [
        ("The pier is finished,", "Elin Vasko"),
        ("Two seasons of repairs would save it,", "Rolf Brandt"),
        ("We should try.", "Rolf Brandt"),
    ]


def test_mrs_picks_the_woman_among_people_sharing_a_surname() -> None:
    found = quotes_of(
        "Tomas Okafor and his wife, Grace Okafor, run the last bakery on Velan Street.",
        "Mr. Okafor said the new rent would close the shop by summer.",
        "“We have baked here for thirty years,” Mrs. Okafor said.",
    )
    assert ("We have baked here for thirty years,", "Grace Okafor") in said(found)
