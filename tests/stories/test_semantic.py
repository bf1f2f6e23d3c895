"""Sentence vectors in the story model (semantic=True: the packaged MiniLM in numpy).

The mechanism is tested with vectors we make by hand; the real encoder on
headlines we wrote.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import newsdesk
from newsdesk.stories.batch import cluster_fingerprints, fingerprint_item
from newsdesk.stories.cluster import Params, StoryState, TermStats, decide, should_merge
from newsdesk.stories.fingerprint import Fingerprint, fingerprint


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype="float32")
    return vector / np.linalg.norm(vector)


# Two headlines of one event that share no content word, and an unrelated one.
JET = "Coral Airways jet missing over the Kavari strait"
PLANE = "Search widens for vanished airliner"
FROGS = "Glowing frogs found in Norland rainforest"
NEAR, FAR = unit(1.0, 0.1, 0.0), unit(0.0, 0.1, 1.0)


def with_vector(fp: Fingerprint, vector: np.ndarray) -> Fingerprint:
    return replace(fp, vector=vector)


def test_close_vectors_join_headlines_that_share_no_word():
    jet = with_vector(fingerprint("a", JET), NEAR)
    plane = with_vector(fingerprint("b", PLANE), unit(0.95, 0.2, 0.05))
    story = StoryState("s1")
    story.add(jet)
    stats = TermStats.from_fingerprints([jet, plane])
    assert decide(plane, [story], stats).story == "s1"
    # Without vectors the same two headlines are two stories: no shared word.
    assert decide(replace(plane, vector=None), [story], stats).story is None


def test_a_distant_vector_keeps_an_article_out_of_a_story_its_words_point_to():
    members = [
        with_vector(fingerprint(f"m{n}", f"Brannock dam cracks, evacuation {n}"), NEAR)
        for n in range(3)
    ]
    story = StoryState("dam")
    for fp in members:
        story.add(fp)
    newcomer = fingerprint("x", "Brannock dam museum opens evacuation exhibit")
    stats = TermStats.from_fingerprints([*members, newcomer])
    assert decide(newcomer, [story], stats).story == "dam"
    assert decide(with_vector(newcomer, FAR), [story], stats).story is None


def test_stories_whose_vectors_disagree_do_not_merge_whatever_their_words():
    def story(key: str, vector: np.ndarray) -> StoryState:
        state = StoryState(key)
        for n in range(4):
            state.add(with_vector(fingerprint(f"{key}{n}", "Torvald recall widens"), vector))
        return state

    same_a, same_b, other = story("a", NEAR), story("b", NEAR), story("c", FAR)
    stats = TermStats(docs=200, df={"torvald": 12, "recall": 12, "widen": 12})
    assert should_merge(same_a, same_b, stats)
    assert not should_merge(same_a, other, stats)
    # The vectors are the only thing that differs: with the term off, words decide.
    assert should_merge(same_a, other, stats, Params(semantic_weight=0.0))


def test_removing_an_article_takes_its_vector_out_of_the_story():
    a = with_vector(fingerprint("a", JET), NEAR)
    b = with_vector(fingerprint("b", PLANE), FAR)
    story = StoryState("s")
    story.add(a)
    story.add(b)
    story.remove(b)
    assert np.allclose(story.vector_sum, NEAR)
    assert np.allclose(a.vector, NEAR)  # the article's own vector is never changed in place


def test_a_batch_with_vectors_groups_by_meaning_and_in_any_order():
    titles = {"a": (JET, NEAR), "b": (PLANE, unit(0.9, 0.3, 0.0)), "c": (FROGS, FAR)}
    fps = [
        with_vector(fingerprint_item({"id": key, "title": title}), vector)
        for key, (title, vector) in titles.items()
    ]
    assignment, _dups = cluster_fingerprints(fps)
    assert assignment["a"] == assignment["b"] != assignment["c"]
    assert cluster_fingerprints(list(reversed(fps)))[0] == assignment


@pytest.mark.usefixtures("sentence_model")
def test_group_stories_with_the_real_encoder():
    items = [
        {"id": "a", "title": JET},
        {"id": "b", "title": "Missing Coral Airways plane: search area widens"},
        {"id": "c", "title": FROGS},
    ]
    result = newsdesk.group_stories(items, semantic=True)
    assert result["a"] == result["b"] != result["c"]


@pytest.mark.usefixtures("sentence_model")
def test_two_stories_about_one_company_are_kept_apart():
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
    result = newsdesk.group_stories(items, semantic=True)
    assert len({result[f"r{n}"] for n in range(4)}) == 1
    assert len({result[f"s{n}"] for n in range(4)}) == 1
    assert result["r0"] != result["s0"]


def test_the_optional_tfidf_term_keeps_the_story_sums_in_step():
    from tests.stories.conftest import load_jsonl

    params = Params(lexical_weight=80.0)
    items = load_jsonl("event.jsonl")
    assignment, _dups = cluster_fingerprints([fingerprint_item(i) for i in items], params)
    assert len(set(assignment.values())) == 4  # the same four stories as without the term
    stats = TermStats.from_fingerprints([fingerprint_item(i) for i in items])
    a, b = (replace(fingerprint_item(i), lexical=None) for i in items[:2])
    a, b = replace(a, lexical=stats.tfidf(a.terms)), replace(b, lexical=stats.tfidf(b.terms))
    story = StoryState("s")
    story.add(a)
    story.add(b)
    story.remove(b)
    assert story.lexical_sum == pytest.approx(a.lexical)


@pytest.mark.usefixtures("sentence_model")
def test_the_real_encoder_lifts_quality_on_our_aggregator_style_set():
    from collections import Counter

    from tests.stories.conftest import load_devset

    items, gold = load_devset("devset_wide.tsv")
    scores = []
    for semantic in (False, True):
        pred = newsdesk.group_stories(items, semantic=semantic)
        pred_size, gold_size = Counter(pred.values()), Counter(gold.values())
        both = Counter((pred[i], gold[i]) for i in gold)
        p = sum(both[(pred[i], gold[i])] / pred_size[pred[i]] for i in gold) / len(gold)
        r = sum(both[(pred[i], gold[i])] / gold_size[gold[i]] for i in gold) / len(gold)
        scores.append(2 * p * r / (p + r))
    assert scores[1] >= 0.75 and scores[1] > scores[0] + 0.03, scores
