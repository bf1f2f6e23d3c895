"""Canonical entities: each way an article names one person, organisation or place is one entity."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsdesk.understand.models import Entity, Understanding
from tests.understand.articles import FERRY, FERRY_HEADLINE, MISSION, QUIET

Understood = Callable[..., Understanding]


def entity(u: Understanding, name: str) -> Entity:
    found = [e for e in u.entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in u.entities]}"
    return found[0]


def names(u: Understanding, kind: str) -> set[str]:
    return {e.name for e in u.entities if e.kind == kind}


@pytest.fixture(scope="module")
def ferry(understood: Understood) -> Understanding:
    return understood(*FERRY, headline=FERRY_HEADLINE)


@pytest.fixture(scope="module")
def mission(understood: Understood) -> Understanding:
    return understood(*MISSION)


def test_surname_and_honorific_join_the_full_name(ferry: Understanding) -> None:
    ostrowski = entity(ferry, "Clara Ostrowski")
    assert {"Ostrowski", "Ms. Ostrowski"} <= set(ostrowski.aliases)
    # "Ostrowski's office": the possessive is the same person, not a new entity.
    assert [e.name for e in ferry.entities if "Ostrowski" in e.name] == ["Clara Ostrowski"]
    assert len(ostrowski.mentions) == 3


def test_title_before_a_name_is_a_role_not_part_of_the_name(ferry: Understanding) -> None:
    ostrowski = entity(ferry, "Clara Ostrowski")
    assert ostrowski.kind == "person"
    assert "Transport Minister" in ostrowski.roles
    assert not any("Canadian" in r for r in ostrowski.roles)


def test_apposition_gives_a_role(ferry: Understanding) -> None:
    assert entity(ferry, "Daniel Ferreira").roles == ("spokesman",)


def test_acronym_in_brackets_joins_its_expansion(ferry: Understanding) -> None:
    authority = entity(ferry, "Port Meridian Harbour Authority")
    assert authority.kind == "org"
    assert "PMHA" in authority.aliases
    assert "PMHA" not in {e.name for e in ferry.entities}


def test_possessive_country_is_the_country(ferry: Understanding) -> None:
    assert {"Canada", "Norway", "Halifax"} <= names(ferry, "place")


def test_mentions_point_into_the_body(ferry: Understanding) -> None:
    body = "\n\n".join(FERRY)
    for e in ferry.entities:
        for m in e.mentions:
            assert body[m.start : m.end] == m.text


def test_known_as_acronym_joins_the_named_mission(mission: Understanding) -> None:
    coastal = entity(mission, "Coastal Monitoring Mission")
    assert "COMIK" in coastal.aliases
    assert "Coastal Monitoring Mission in Kenya" in coastal.aliases


def test_the_group_drops_its_article_and_short_name_joins(mission: Understanding) -> None:
    solenne = entity(mission, "Solenne Group")
    assert solenne.kind == "org"
    assert "Solenne" in solenne.aliases
    assert not any(e.name.lower().startswith("the ") for e in mission.entities)


def test_hyphenated_surname_joins_the_person(mission: Understanding) -> None:
    person = entity(mission, "Ruth Adebayo-Marsh")
    assert person.kind == "person"
    assert "Adebayo-Marsh" in person.aliases
    assert "chief executive" in person.roles


def test_country_is_a_place_however_the_model_labels_it(understood: Understood) -> None:
    u = understood(
        "Niger's new cabinet met on Friday, and Niger will hold a vote on the budget in May.",
        "Officials in Niger said the vote would go ahead whatever the weather.",
    )
    assert "Niger" in names(u, "place")
    assert "Niger" not in names(u, "person")


def test_article_without_entities(understood: Understood) -> None:
    u = understood(*QUIET)
    assert u.entities == ()
    assert u.quotes == ()
    assert u.summary  # still summarised


def test_salience_favours_headline_lede_and_quoted_people(ferry: Understanding) -> None:
    assert ferry.entities[0].name == "Clara Ostrowski"
    assert ferry.entities[0].salience == 1.0
    saliences = [e.salience for e in ferry.entities]
    assert saliences == sorted(saliences, reverse=True)
    assert entity(ferry, "Daniel Ferreira").salience < entity(ferry, "Clara Ostrowski").salience


def test_being_quoted_raises_salience(understood: Understood) -> None:
    speaker_text = (
        "Marguerite Tallis and Jonas Weber met at the harbour on Tuesday.",
        "“The pier is finished,” Tallis said.",
        "Weber inspected the pier.",
    )
    u = understood(*speaker_text)
    tallis, weber = entity(u, "Marguerite Tallis"), entity(u, "Jonas Weber")
    assert len(tallis.mentions) == len(weber.mentions)
    assert u.quotes and u.quotes[0].speaker == "Marguerite Tallis"
    assert tallis.salience > weber.salience


def test_dotted_acronym_joins_the_spelled_out_name(understood: Understood) -> None:
    u = understood(
        "The European Union and the United States agreed on Monday to cut tariffs on cheese.",
        "E.U. negotiators said the deal would take effect in May, and U.S. farmers welcomed it.",
    )
    assert "E.U." in entity(u, "European Union").aliases
    assert "U.S." in entity(u, "United States").aliases


def test_fuller_and_shorter_forms_of_a_multi_word_name(understood: Understood) -> None:
    u = understood(
        "Maria Alarcón Reyes, the harbour master, met Tomas K. Varga on Friday.",
        "Ms. Alarcón Reyes said the meeting went well, and Tomas Varga agreed.",
    )
    assert "Alarcón Reyes" in entity(u, "Maria Alarcón Reyes").aliases
    assert "Tomas Varga" in entity(u, "Tomas K. Varga").aliases
    assert len([e for e in u.entities if e.kind == "person"]) == 2
