"""Grouping a whole batch at once: ``group_stories(items) -> {item id: story id}``.

The batch runs the same online decisions as ingest (``cluster.decide``), one
article at a time in a fixed order (time, then a hash of id and title), so the
input order never changes the result. What a batch can afford that ingest
cannot: the vocabulary and article count of the whole batch from the start,
re-sweeps that take each article out and place it again now that every story
is complete, and a last pass that merges stories the evidence now joins.
Stories are named after their earliest member, which makes the ids stable too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from newsdesk.errors import InputError
from newsdesk.stories.cluster import (
    Params,
    StoryState,
    TermStats,
    decide,
    is_closed,
    merge_order,
    score_options,
    should_merge,
)
from newsdesk.stories.fingerprint import Fingerprint, fingerprint


def _field(item: Any, name: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def _as_datetime(value: Any, item_id: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise InputError(
        f"item {item_id!r} has an unreadable 'published' value {value!r}",
        hint="use an ISO 8601 date such as 2026-03-01T08:30:00+00:00",
    )


def with_vectors(fps: list[Fingerprint]) -> list[Fingerprint]:
    """The same fingerprints carrying their headlines' sentence vectors."""
    from newsdesk.stories.semantic import embed

    vectors = embed([fp.title for fp in fps])
    return [replace(fp, vector=vector) for fp, vector in zip(fps, vectors, strict=True)]


def fingerprint_item(item: Any) -> Fingerprint:
    """Fingerprint a dict or object with id, title and optional text, published, outlet."""
    item_id = _field(item, "id")
    title = _field(item, "title")
    if item_id is None or str(item_id) == "":
        raise InputError("an item has no 'id'", hint="give every item a unique id")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"item {item_id!r} has no 'title'", hint="every item needs a headline")
    text = _field(item, "text") or ""
    if not isinstance(text, str):
        raise InputError(f"item {item_id!r} has a 'text' that is not a string")
    published = _as_datetime(_field(item, "published"), str(item_id))
    if published is not None and published.tzinfo is None:
        from datetime import UTC

        published = published.replace(tzinfo=UTC)
    outlet = _field(item, "outlet")
    entities = _field(item, "entities")
    return fingerprint(
        str(item_id),
        title,
        text,
        published=published,
        outlet=str(outlet) if outlet else None,
        entities=list(entities) if entities else None,
    )


#: The word model's settings when headlines carry sentence vectors (issue 16): the vectors
#: keep unrelated stories apart, so a story may take words it has not seen a little more
#: readily (beta 0.05 instead of MStream's 0.03). Chosen on the tuning half of the
#: clustering bench together with our own headline sets (it helps both); BENCHMARKS.md
#: has the grid and what each try did on the held-out half.
VECTOR_PARAMS = Params(beta=0.05)

#: The words-only batch (the default install): MStream's alpha, beta 0.05, and names kept
#: apart from event words (a story of one company's bankruptcy does not take another
#: company's, and two stories naming different things do not merge). Names are told by
#: how the batch writes them (capitalised inside sentence-case headlines), not by a word
#: list. Chosen on the tuning half of the clustering bench; kept because the held-out half
#: improved too (BENCHMARKS.md, "Issue 16, third round").
WORD_PARAMS = Params(beta=0.05, name_clash_penalty=2.0, merge_name_floor=0.1)

#: Stories added to the candidates by meaning alone (see ``BatchClusterer.candidates``).
SEMANTIC_CANDIDATES = 8


class BatchClusterer:
    """The online pass over a batch, with an inverted index to find candidates fast."""

    def __init__(self, stats: TermStats, params: Params) -> None:
        self.stats = stats
        self.params = params
        self.open: dict[str, StoryState] = {}
        self.closed: list[StoryState] = []
        self.index: dict[str, set[str]] = {}
        self.story_of: dict[str, str] = {}
        self.duplicates: dict[str, str] = {}
        self._next = 0

    def candidates(self, fp: Fingerprint) -> list[StoryState]:
        """Open stories sharing a word with ``fp``, those sharing the rarest words first.

        A story sharing no word can never beat a new story in the word model, so
        nothing is lost by skipping it. With sentence vectors it can (that is their
        point), so the stories nearest in meaning are added.
        """
        shared: dict[str, float] = {}
        for term in fp.terms:
            keys = self.index.get(term)
            if not keys:
                continue
            value = self.stats.idf(term)
            for key in keys:
                shared[key] = shared.get(key, 0.0) + value
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.max_candidates]
        chosen = [key for key, _ in best]
        if fp.vector is not None and self.params.semantic_weight:
            chosen += [key for key in self.nearest(fp) if key not in shared]
        return [self.open[key] for key in chosen]

    def nearest(self, fp: Fingerprint, limit: int = SEMANTIC_CANDIDATES) -> list[str]:
        """Open stories whose mean vector is above the floor for ``fp``, nearest first."""
        scored = []
        for key, story in self.open.items():
            if story.vector_sum is not None and story.size:
                cosine = float(fp.vector @ story.vector_sum) / story.size
                if cosine > self.params.semantic_floor:
                    scored.append((-cosine, key))
        return [key for _, key in sorted(scored)[:limit]]

    def _index(self, story: StoryState, terms: Iterable[str]) -> None:
        for term in terms:
            self.index.setdefault(term, set()).add(story.key)

    def _unindex(self, story: StoryState, terms: Iterable[str]) -> None:
        for term in terms:
            keys = self.index.get(term)
            if keys is not None:
                keys.discard(story.key)
                if not keys:
                    del self.index[term]

    def close_before(self, now: datetime) -> None:
        for key in [k for k, s in self.open.items() if is_closed(s, now, self.params)]:
            story = self.open.pop(key)
            self._unindex(story, story.counts)
            self.closed.append(story)

    def drain_closed(self) -> dict[str, str]:
        """Hand over the closed stories' assignments and forget them (streaming use).

        After this the clusterer holds only open stories, so a stream of any
        length runs in memory bounded by what one window holds.
        """
        done: dict[str, str] = {}
        for story in self.closed:
            for member in story.members:
                done[member] = self.story_of.pop(member, story.key)
                self.duplicates.pop(member, None)
        self.closed = []
        return done

    def place(self, fp: Fingerprint) -> str:
        """Decide for one article, apply the decision, and merge if evidence now says so."""
        decision = decide(fp, self.candidates(fp), self.stats, self.params)
        if decision.story is None:
            story = StoryState(key=f"k{self._next:08d}")
            self._next += 1
            self.open[story.key] = story
        else:
            story = self.open[decision.story]
        story.add(fp)
        self._index(story, fp.terms)
        self.story_of[fp.id] = story.key
        if decision.duplicate_of is not None:
            self.duplicates[fp.id] = decision.duplicate_of
        for key in decision.runners_up:
            other = self.open.get(key)
            if other is not None and should_merge(story, other, self.stats, self.params):
                story = self.merge(story, other)
        return story.key

    def merge(self, a: StoryState, b: StoryState) -> StoryState:
        survivor, absorbed = merge_order(a, b)
        self._unindex(absorbed, absorbed.counts)
        self.open.pop(absorbed.key, None)
        survivor.absorb(absorbed)
        self._index(survivor, absorbed.counts)
        for member in absorbed.members:
            self.story_of[member] = survivor.key
        return survivor

    def stories(self) -> list[StoryState]:
        return [*self.closed, *self.open.values()]


def _resweep(fps: list[Fingerprint], clusterer: BatchClusterer, sweeps: int) -> None:
    """Take each article out and decide again, now that every story is complete.

    This is GSDMM's Gibbs sweep with the most probable choice instead of a
    random draw, so it stays deterministic. Wire copies stay with their originals.
    """
    clusterer.closed, clusterer.open = [], {s.key: s for s in clusterer.stories()}
    clusterer.index = {}
    for story in clusterer.open.values():
        clusterer._index(story, story.counts)
    for _ in range(sweeps):
        moved = 0
        for fp in fps:
            if fp.id in clusterer.duplicates:
                continue
            own = clusterer.open[clusterer.story_of[fp.id]]
            own.remove(fp)
            gone = [t for t in fp.terms if t not in own.counts]
            clusterer._unindex(own, gone)
            if own.size == 0:
                del clusterer.open[own.key]
            options = score_options(fp, clusterer.candidates(fp), clusterer.stats, clusterer.params)
            key = options[0][1]
            if key:
                story = clusterer.open[key]
            else:
                story = StoryState(key=own.key if own.size == 0 else f"k{clusterer._next:08d}")
                if own.size:
                    clusterer._next += 1
                clusterer.open[story.key] = story
            story.add(fp)
            clusterer._index(story, fp.terms)
            if story.key != own.key:
                moved += 1
            clusterer.story_of[fp.id] = story.key
        if moved == 0:
            break


def cluster_fingerprints(
    fps: list[Fingerprint], params: Params = Params(), *, sweeps: int = 3
) -> tuple[dict[str, str], dict[str, str]]:
    """(item id -> story key, duplicate id -> original id) for a batch of fingerprints."""
    ordered = sorted(fps, key=lambda fp: fp.sort_key)
    seen: set[str] = set()
    for fp in ordered:
        if fp.id in seen:
            raise InputError(f"item id {fp.id!r} appears twice", hint="ids must be unique")
        seen.add(fp.id)
    stats = TermStats.from_fingerprints(ordered)
    if params.lexical_weight:
        ordered = [replace(fp, lexical=stats.tfidf(fp.terms)) for fp in ordered]
    clusterer = BatchClusterer(stats, params)
    for position, fp in enumerate(ordered):
        if fp.published is not None and position % 128 == 0:
            clusterer.close_before(fp.published)
        clusterer.place(fp)
    if sweeps:
        _resweep(ordered, clusterer, sweeps)
    _merge_converged(clusterer)
    return _stable_names(ordered, clusterer.story_of), clusterer.duplicates


def _merge_converged(clusterer: BatchClusterer) -> None:
    """Merges the online pass missed because neither story was the other's runner-up."""
    alive = {s.key: s for s in clusterer.stories()}
    merged = True
    while merged:
        merged = False
        for a_key in sorted(alive):
            if a_key not in alive:
                continue
            a = alive[a_key]
            partners = {k for t in a.counts for k in clusterer.index.get(t, ())} - {a_key}
            for b_key in sorted(partners):
                if b_key not in alive or a_key not in alive:
                    continue
                b = alive[b_key]
                if should_merge(a, b, clusterer.stats, clusterer.params):
                    survivor, absorbed = merge_order(a, b)
                    clusterer.open = alive
                    clusterer.merge(survivor, absorbed)
                    a = survivor
                    merged = True
                    if survivor.key != a_key:
                        break


def _stable_names(ordered: list[Fingerprint], assignment: dict[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    result: dict[str, str] = {}
    for fp in ordered:
        key = assignment[fp.id]
        if key not in names:
            names[key] = "s" + hashlib.sha1(fp.id.encode()).hexdigest()[:12]
        result[fp.id] = names[key]
    return result


def group_stories(
    items: Iterable[Any], params: Params | None = None, *, semantic: bool = False
) -> dict[str, str]:
    """Group a batch of articles into stories: item id -> story id.

    Items are dicts or objects with ``id`` and ``title``, optionally ``text``,
    ``published`` (datetime or ISO string), ``outlet`` and ``entities``
    (canonical names). The same items in any order give the same grouping, and a
    story's id is derived from its earliest member. Words alone by default (ingest
    speed); ``semantic=True`` also gives headlines sentence vectors (``semantic.py``:
    the packaged MiniLM run in numpy, loaded on first use; the model package is
    installed by hand, see the README), better grouping at tens of headlines/s.
    """
    fps = [fingerprint_item(item) for item in items]
    if semantic:
        fps = with_vectors(fps)
    if params is None:
        params = VECTOR_PARAMS if semantic else WORD_PARAMS
    assignment, _duplicates = cluster_fingerprints(fps, params)
    return assignment
