"""Numeric facts with their unit, what they count, and a normalised value."""

from __future__ import annotations

import pytest

from newsdesk.understand.models import Figure


@pytest.fixture(scope="module")
def figures_of(nlp: object):  # type: ignore[no-untyped-def]
    from newsdesk.understand.figures import find_figures
    from newsdesk.understand.nlp import parse

    def run(text: str) -> list[Figure]:
        doc = parse(text)
        return find_figures(doc, [s.start_char for s in doc.sents])

    return run


def by_text(figures: list[Figure], text: str) -> Figure:
    found = [f for f in figures if f.text == text]
    assert found, f"{text!r} not among {[f.text for f in figures]}"
    return found[0]


def test_counted_troops_with_their_adjective(figures_of) -> None:  # type: ignore[no-untyped-def]
    f = by_text(figures_of("The 2,400 Ruritanian troops in Osterby will leave by June."), "2,400")
    assert (f.value, f.unit, f.counts) == (2400.0, "troops", "Ruritanian troops")
    assert not f.approximate


def test_approximate_number(figures_of) -> None:  # type: ignore[no-untyped-def]
    f = by_text(figures_of("The mission, with about 14,000 troops, is the largest."), "14,000")
    assert f.approximate and f.value == 14000.0 and f.unit == "troops"


def test_money_with_scale_and_what_it_pays_for(figures_of) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of("The fund gave about $1.6-billion in development aid over 20 years.")
    money = by_text(figures, "$1.6-billion")
    assert money.value == pytest.approx(1.6e9)
    assert money.unit == "$" and money.counts == "development aid" and money.approximate
    years = by_text(figures, "20")
    assert years.unit == "years"


def test_range_of_months_in_words(figures_of) -> None:  # type: ignore[no-untyped-def]
    f = by_text(figures_of("The bases will close over the next four to six months."), "four to six")
    assert (f.low, f.high, f.unit, f.value) == (4.0, 6.0, "months", None)


def test_currencies_and_percentages(figures_of) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(
        "Tolls rose 13 per cent, or 5.5% of revenue, costing US$3.5bn and C$2 million."
    )
    assert by_text(figures, "13 per cent").unit == "%"
    pct = by_text(figures, "5.5%")
    assert pct.value == 5.5 and pct.counts == "revenue"
    assert by_text(figures, "US$3.5bn").unit == "USD"
    assert by_text(figures, "C$2 million").value == 2e6


def test_years_dates_and_times_are_not_figures(figures_of) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(
        "The patrols ran from 2018 to 2019 and stopped in August, 2020, at 10:30 on a Monday. "
        "One of the boats sank. It has flown aircraft since 2013."
    )
    assert figures == []


def test_sentence_numbers_point_at_the_sentence(figures_of) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of("Nothing here. Then 300 guards arrived. Later 40 guards left.")
    assert [(f.text, f.sentence) for f in figures] == [("300", 1), ("40", 2)]
