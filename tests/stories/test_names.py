"""Names apart from event words, with words alone (the default install, no vectors).

All headlines are ours: fictional companies, places and events.
"""

from __future__ import annotations

import newsdesk
from newsdesk.stories.batch import fingerprint_item
from newsdesk.stories.cluster import Params, StoryState, TermStats, should_merge
from newsdesk.stories.fingerprint import casing, fingerprint


def test_casing_reads_names_from_sentence_case_headlines_only():
    upper, lower = casing("Strike halts Torvald Motors production line in Velan")
    assert upper == {"torvald", "motor", "velan"}
    assert {"halt", "production", "line"} <= lower
    assert "strike" not in upper | lower  # the first word is capitalised by position
    # After a colon the next word is capitalised by position too.
    assert "brake" not in casing("Torvald recall: Brake fault hits owners")[0]
    # Title Case says nothing about which words are names.
    assert casing("Torvald Motors Union Rejects Pay Offer As Strike Goes On") == (
        frozenset(),
        frozenset(),
    )


def test_the_batch_learns_names_by_how_it_writes_them():
    titles = [
        "Workers at Torvald Motors strike over pay",
        "Pay strike spreads to a second Torvald plant",
        "Quarry workers accept a pay rise",
        "Pay Talks Stall",  # Title Case: no vote either way
    ]
    stats = TermStats.from_fingerprints(fingerprint(str(n), t) for n, t in enumerate(titles))
    assert {"torvald", "motor"} <= stats.names
    assert not {"pay", "strike", "worker"} & stats.names


def _story(key: str, titles: list[str]) -> StoryState:
    story = StoryState(key=key)
    for n, title in enumerate(titles):
        story.add(fingerprint(f"{key}{n}", title))
    return story


def test_stories_naming_different_companies_do_not_merge_on_event_words():
    sbarro = ["Pizza chain Orlena files for bankruptcy", "Orlena files for bankruptcy again"]
    exchange = ["Coin exchange Vantry files for bankruptcy", "Vantry files for bankruptcy in court"]
    a, b = _story("a", sbarro), _story("b", exchange)
    fps = [fingerprint(f"x{n}", t) for n, t in enumerate(sbarro + exchange)]
    stats = TermStats.from_fingerprints(fps)
    loose = Params(merge_evidence=-50.0)  # the word model alone would merge them here
    assert should_merge(a, b, stats, loose)
    assert not should_merge(a, b, stats, Params(merge_evidence=-50.0, merge_name_floor=0.1))


def test_two_stories_about_one_company_are_kept_apart_with_words_only():
    """The company's name is shared; what happened (a recall, a strike) is not."""
    recall = [
        "Torvald Motors recalls 40,000 Kestrel hatchbacks over faulty brakes",
        "Torvald recall: brake fault hits Kestrel hatchback owners",
        "Torvald Motors brake recall widens to Kestrel estates",
        "Kestrel owners told to stop driving as Torvald recalls cars for brakes",
    ]
    strike = [
        "Torvald Motors workers walk out in pay strike at Velan plant",
        "Strike halts Torvald Motors production line in Velan",
        "Torvald Motors union rejects pay offer, strike goes on",
        "Velan car plant strike: Torvald workers picket for third day",
    ]
    items = [{"id": f"r{n}", "title": t} for n, t in enumerate(recall)]
    items += [{"id": f"s{n}", "title": t} for n, t in enumerate(strike)]
    result = newsdesk.group_stories(items)
    assert len({result[f"r{n}"] for n in range(4)}) == 1
    assert len({result[f"s{n}"] for n in range(4)}) == 1
    assert result["r0"] != result["s0"]


def test_two_companies_with_one_kind_of_event_stay_two_stories_with_words_only():
    orlena = [
        "Pizza chain Orlena files for bankruptcy",
        "Orlena files for Chapter 11 and vows a quick recovery",
        "Orlena bankruptcy filing blames fewer shoppers at malls",
        "Mall pizza chain Orlena goes bankrupt for the second time",
    ]
    vantry = [
        "Coin exchange Vantry files for bankruptcy after a hack",
        "Vantry bankruptcy: customers fear lost coins",
        "Hacked exchange Vantry files for bankruptcy in Marlow court",
        "Vantry chief apologises as the exchange files for bankruptcy",
    ]
    items = [{"id": f"o{n}", "title": t} for n, t in enumerate(orlena)]
    items += [{"id": f"v{n}", "title": t} for n, t in enumerate(vantry)]
    result = newsdesk.group_stories(items)
    assert {result[f"o{n}"] for n in range(4)}.isdisjoint({result[f"v{n}"] for n in range(4)})
    assert len({result[f"v{n}"] for n in range(4)}) <= 2


def test_names_change_nothing_where_the_stream_gives_no_casing():
    items = [{"id": str(n), "title": t} for n, t in enumerate(["Pay Talks Stall", "Talks On Pay"])]
    fps = [fingerprint_item(i) for i in items]
    assert TermStats.from_fingerprints(fps).names == frozenset()
