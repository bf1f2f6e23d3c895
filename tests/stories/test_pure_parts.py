"""The pure parts: fingerprints, decisions, importance and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.stories.cluster import Params, StoryState, TermStats, decide, should_merge
from newsdesk.stories.fingerprint import entity_key, fingerprint, stem, tokens
from newsdesk.stories.rank import importance
from newsdesk.stories.record import Member, build_record
from newsdesk.stories.timeline import find_development

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_tokens_fold_case_accents_and_inflection():
    assert tokens("Zürich's dockers STRIKE; strikes spread") == [
        "zurich",
        "docker",
        "strik",
        "strik",
        "spread",
    ]
    assert stem("recalled") == stem("recalls") == stem("recall")
    assert entity_key("Halden Moss") == entity_key("HALDEN  MOSS")


def test_article_joins_the_story_that_explains_its_words_and_starts_one_otherwise():
    dam = [
        fingerprint(f"d{n}", t, published=T0)
        for n, t in enumerate(
            [
                "Brannock dam cracks force evacuation",
                "Evacuation below cracked Brannock dam",
                "Brannock dam: thousands evacuated",
            ]
        )
    ]
    jazz = fingerprint("j", "Ostrel jazz festival line-up", published=T0)
    new = fingerprint("n", "Second crack found in Brannock dam", published=T0 + timedelta(hours=20))
    stats = TermStats.from_fingerprints([*dam, jazz, new])
    story = StoryState(key="dam")
    for fp in dam:
        story.add(fp)
    other = StoryState(key="jazz")
    other.add(jazz)
    decision = decide(new, [other, story], stats)
    assert (decision.action, decision.story) == ("join", "dam")
    assert 0.5 < decision.confidence <= 1.0
    unrelated = fingerprint("u", "Rovers sack their manager", published=T0)
    assert decide(unrelated, [other, story], stats).action == "start"


def test_a_story_outside_the_window_is_not_a_candidate():
    old = fingerprint("a", "Brannock dam cracks", published=T0)
    late = fingerprint("b", "Brannock dam cracks", published=T0 + timedelta(days=10))
    story = StoryState(key="old")
    story.add(old)
    stats = TermStats.from_fingerprints([old, late])
    assert decide(late, [story], stats, Params(window=timedelta(hours=72))).action == "start"


def test_two_halves_of_one_event_merge_but_unrelated_stories_do_not():
    def state(key, titles):
        s = StoryState(key=key)
        for n, title in enumerate(titles):
            s.add(fingerprint(f"{key}{n}", title, published=T0))
        return s

    a = state("a", ["Brannock dam cracks force evacuation"] * 4)
    b = state("b", ["Brannock dam cracks: evacuation ordered"] * 4)
    c = state("c", ["Ostrel jazz festival line-up announced"] * 4)
    fps = [
        fingerprint(str(i), t)
        for i, t in enumerate(
            [
                "Brannock dam cracks force evacuation",
                "Ostrel jazz festival line-up announced",
                "Rovers sack manager",
                "Sodium battery cell",
                "Airline grounds jets",
            ]
        )
    ]
    stats = TermStats.from_fingerprints(fps)
    assert should_merge(a, b, stats)
    assert not should_merge(a, c, stats)


def test_importance_grows_with_outlets_and_decays_with_age():
    times = [T0, T0 + timedelta(hours=1)]
    now = T0 + timedelta(hours=2)
    few = importance(outlets=1, published=times, recurring_entities=0, now=now)
    many = importance(outlets=6, published=times, recurring_entities=0, now=now)
    stale = importance(
        outlets=6, published=times, recurring_entities=0, now=now + timedelta(hours=24)
    )
    assert many.score > few.score > 0
    assert stale.score < many.score / 3
    assert many.factors()["outlets"] == 6 and many.velocity == 2


def test_development_names_what_is_new_and_the_sentence_that_says_it():
    seen = {"brannock", "dam", "crack", "evacuat", "@brannock reservoir"}
    text = (
        "The water board met on Tuesday. Inspectors from the Halvard Institute found a second "
        "crack and mayor Edda Lindqvist closed the schools."
    )
    terms = {t: 1 for t in tokens(text)} | {entity_key("Edda Lindqvist"): 2}
    found = find_development(
        article_id=4,
        at=T0.isoformat(),
        headline="Second crack",
        outlet="Lakeside Courier",
        text=text,
        terms=terms,
        entity_names={entity_key("Edda Lindqvist"): "Edda Lindqvist"},
        seen=seen,
    )
    assert found is not None
    assert found.new_entities == ("Edda Lindqvist",)
    assert found.sentence.startswith("Inspectors from the Halvard Institute")
    nothing = find_development(
        article_id=5,
        at=T0.isoformat(),
        headline="Brannock dam crack",
        outlet=None,
        text="",
        terms={"brannock": 1, "dam": 1, "crack": 1},
        entity_names={},
        seen=seen,
    )
    assert nothing is None


def test_record_picks_a_typical_headline_and_counts_a_wire_copy_once():
    members = [
        Member(
            1,
            T0,
            "Brannock dam cracks force evacuation",
            "A",
            terms={"brannock": 1, "dam": 1, "crack": 1, "evacuat": 1},
        ),
        Member(
            2,
            T0 + timedelta(hours=1),
            "Dam cracks: Brannock evacuation",
            "B",
            terms={"brannock": 1, "dam": 1, "crack": 1, "evacuat": 1},
        ),
        Member(
            3,
            T0 + timedelta(hours=2),
            "Pumps hum as weary families sleep in hall",
            "C",
            terms={"pump": 1, "weary": 1, "family": 1, "hall": 1},
        ),
        Member(
            4,
            T0 + timedelta(hours=3),
            "Dam cracks: Brannock evacuation",
            "D",
            terms={"brannock": 1, "dam": 1, "crack": 1, "evacuat": 1},
            duplicate_of=2,
        ),
    ]
    record = build_record(members, now=T0 + timedelta(hours=4))
    assert record.headline == "Brannock dam cracks force evacuation"
    assert record.outlets == ("A", "B", "C", "D")
    assert record.first_seen == T0 and record.last_seen == T0 + timedelta(hours=3)
