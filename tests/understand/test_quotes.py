"""Quotations and their speakers, on short articles we wrote (fictional people and places).

Each test states what a reader of the article would say: who said the quoted
words, and which quoted words are not anyone's statement at all.
"""

from __future__ import annotations

import pytest

from newsdesk.understand.models import Quote


def quotes_of(*paragraphs: str) -> list[Quote]:
    from newsdesk.understand.nlp import parse
    from newsdesk.understand.quotes.find import find_quotes

    body = "\n\n".join(paragraphs)
    found = find_quotes(parse(body))
    for q in found:  # positions point at the quoted words in the body
        assert body[q.start : q.end] == q.text
    return found


def said(found: list[Quote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in found]


def test_curly_quote_split_by_attribution_with_title_and_surname() -> None:
    found = quotes_of(
        "Mayor Ada Quill of Lunport opened the new ferry terminal on Monday.",
        "“We waited far too long for this,” Ms. Quill told a crowd at the pier. "
        "“Now the harbour belongs to everyone again.”",
    )
    assert said(found) == [
        ("We waited far too long for this,", "Ada Quill"),
        ("Now the harbour belongs to everyone again.", "Ada Quill"),
    ]
    assert found[0].cue == "told"
    assert [q.paragraph for q in found] == [1, 1]


def test_straight_quotes_and_speaker_named_after_the_quote() -> None:
    found = quotes_of(
        "The Lunport tenants' union lost its case against the landlord on Thursday.",
        '"We will appeal, and we will win," said Jane Roe, a professor of housing law '
        "at the University of Marren who advises the union.",
    )
    assert said(found) == [("We will appeal, and we will win,", "Jane Roe")]
    assert found[0].cue == "said"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("«", "»"), ("„", "“"), ("‘", "’"), ("''", "''"), ("“", '"')],
    ids=["guillemets", "german", "single-curly", "nyt-two-apostrophes", "mismatched"],
)
def test_every_quotation_mark_style(opening: str, closing: str) -> None:
    found = quotes_of(
        "Coach Tomas Ferreira watched his team lose the final in Dunmore.",
        f"{opening}We were not good enough today,{closing} Mr. Ferreira said after the match.",
    )
    assert said(found) == [("We were not good enough today,", "Tomas Ferreira")]


def test_dialogue_dash() -> None:
    found = quotes_of(
        "Ilse Marten, a shepherd, has kept sheep above Carrow for forty years.",
        "— We will not leave the valley, said Ms. Marten.",
    )
    assert said(found) == [("We will not leave the valley", "Ilse Marten")]


def test_quote_over_several_paragraphs() -> None:
    found = quotes_of(
        "Nell Okafor, the harbourmaster, described the night of the storm.",
        "“The waves came over the wall at midnight. We had never seen anything like it.",
        "“By morning half the boats were gone,” she said.",
        "The port reopened on Sunday.",
    )
    assert said(found) == [
        (
            "The waves came over the wall at midnight. We had never seen anything like it.",
            "Nell Okafor",
        ),
        ("By morning half the boats were gone,", "Nell Okafor"),
    ]
    assert [q.paragraph for q in found] == [1, 2]


def test_pronoun_resolves_to_the_person_of_matching_gender() -> None:
    found = quotes_of(
        "Farmers' leader Petra Vance met Agriculture Minister Tom Ashby in Corlen on Tuesday. "
        "Mr. Ashby promised a review of water rights.",
        "“We need rain more than promises,” she told reporters after the meeting.",
        "“The review will be finished by spring,” he said.",
    )
    assert said(found) == [
        ("We need rain more than promises,", "Petra Vance"),
        ("The review will be finished by spring,", "Tom Ashby"),
    ]


def test_role_noun_resolves_to_the_entity_with_that_role() -> None:
    found = quotes_of(
        "Olan Brightwater, a spokeswoman for the Kestrel Rail Company, confirmed the delays "
        "on Friday. The company's chief executive, Marcus Hale, was travelling abroad.",
        "Trains between Ardmore and Fenwick were cancelled for a second day.",
        "“Passengers will get full refunds,” the spokeswoman said.",
    )
    assert said(found) == [("Passengers will get full refunds,", "Olan Brightwater")]


def test_according_to_and_colon_introduction() -> None:
    found = quotes_of(
        "Harriet Cole, the city engineer, inspected the Sallow Bridge after the flood.",
        "“The bridge is safe to cross,” according to Ms. Cole.",
        "Council leader Rufus Penn said in a statement:",
        "“We thank the crews who worked through the night.”",
    )
    assert said(found) == [
        ("The bridge is safe to cross,", "Harriet Cole"),
        ("We thank the crews who worked through the night.", "Rufus Penn"),
    ]
    assert found[0].cue == "according to"


def test_quoted_words_inside_a_paraphrase_belong_to_the_speaker() -> None:
    found = quotes_of(
        "Mayor Ada Quill said the budget was “a fair deal for every resident” and would pass.",
    )
    assert said(found) == [("a fair deal for every resident", "Ada Quill")]


def test_scare_quotes_and_titles_are_not_quotations() -> None:
    found = quotes_of(
        "The council approved what critics call a “vanity project” on the waterfront.",
        "The so-called “smart bins” will arrive in May, the Lunport Courier reported in its "
        "“Town Matters” column.",
    )
    assert found == []


def test_article_without_quotes() -> None:
    found = quotes_of(
        "Rain is expected across the Orrin Valley on Wednesday.",
        "Farmers have waited six weeks for it. The reservoir at Corlen is at a third of its level.",
    )
    assert found == []


def test_unattributed_quotation_is_kept_without_a_speaker() -> None:
    found = quotes_of(
        "Protesters marched through Lunport on Saturday, chanting: “Homes, not hotels!”",
    )
    assert said(found) == [("Homes, not hotels!", None)]


def test_speaker_key_links_the_quote_to_its_entity() -> None:
    from newsdesk.understand.nlp import parse
    from newsdesk.understand.quotes.find import _entities_of, find_quotes

    doc = parse(
        "Mayor Ada Quill of Lunport opened the new ferry terminal on Monday.\n\n"
        "“We waited far too long for this,” Ms. Quill said."
    )
    entities = _entities_of(doc)
    (quote,) = find_quotes(doc, entities)
    (quill,) = [e for e in entities if e.name == "Ada Quill"]
    assert quote.speaker_key == quill.key == "person:ada quill"


def test_organisation_named_by_its_kind() -> None:
    found = quotes_of(
        "The Kestrel Rail Company cancelled forty trains on Friday after a signal failure.",
        "“Safety comes first,” the company said in a statement.",
    )
    assert said(found) == [("Safety comes first,", "Kestrel Rail Company")]


def test_question_and_inverted_attribution_with_age_and_relative_clause() -> None:
    found = quotes_of(
        "Nell Okafor, 54, has run the Lunport harbour for a decade.",
        "“Why would I leave now?” asked Ms. Okafor, who was born in the town.",
        "“I’m staying,” insisted Nell Okafor.",
    )
    assert said(found) == [
        ("Why would I leave now?", "Nell Okafor"),
        ("I’m staying,", "Nell Okafor"),
    ]
    assert [q.cue for q in found] == ["asked", "insisted"]
