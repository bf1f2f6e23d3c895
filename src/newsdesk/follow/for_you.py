"""For you: recent stories ranked by what the user follows, importance, recency and diversity.

``rank_for_you`` is pure: candidates in, ordered entries out, each with the
reasons it is there ("you follow Mali", "6 outlets covered it"). One event
appears once (one entry per story), no two entries in a row lead with the
same outlet when another choice exists, and muted stories never appear:
mutes are applied before ranking and cannot be outscored. ``gather_candidates``
and ``load_for_you`` are the I/O edge: they read through ``newsdesk.store``
and make the decisions (which stories are worth reading in full, what a mute
removes) here.

"Feed" in newsdesk means an RSS, Atom or JSON feed only; this is For you.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from newsdesk.follow.follows import saved_queries
from newsdesk.store import cards as store_cards
from newsdesk.store import follow_reads, follow_targets
from newsdesk.store import follows as store_follows
from newsdesk.store import for_you as store_for_you
from newsdesk.store.records import ArticleCard, Follow, StorySummary

FOLLOW_WEIGHT = 3.0
IMPORTANCE_WEIGHT = 1.5
RECENCY_WEIGHT = 1.0
RECENCY_HALF_LIFE = timedelta(hours=12)
DEFAULT_ENTRIES = 30
TOP_STORIES = 30  # the most important recent stories are candidates whatever one follows
PER_FOLLOW = 6  # each follow's newest articles that bring their stories in
STORY_LEVEL_MUTES = ("topic", "person", "org", "place")  # these mute the whole story


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """One event For you could show: a story (or a lone article) and why it might matter."""

    story_id: int | None
    headline: str
    importance: float
    outlet_count: int
    articles: tuple[ArticleCard, ...]  # recent, mute-filtered, newest first
    matched: tuple[str, ...] = ()  # labels of the user's follows that reach it
    muted: bool = False  # a muted topic, person, organisation or place is in it


@dataclass(frozen=True, slots=True)
class ForYouEntry:
    story_id: int | None
    headline: str
    lead: ArticleCard
    articles: tuple[ArticleCard, ...]
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "article": self.lead.to_dict(),
            "articles": [a.to_dict() for a in self.articles],
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
        }


def _outlet(card: ArticleCard) -> object:
    return card.outlet_id if card.outlet_id is not None else card.outlet


def score_parts(
    matched: int, importance: float, newest: datetime, *, now: datetime, top_importance: float
) -> float:
    """Follows first, then importance (relative to the best candidate), then recency."""
    follow = min(matched, 3) / 3 * 0.5 + 0.5 if matched else 0.0
    relative = importance / top_importance if top_importance > 0 else 0.0
    age = max((now - newest).total_seconds(), 0.0)
    recency = math.pow(0.5, age / RECENCY_HALF_LIFE.total_seconds())
    return FOLLOW_WEIGHT * follow + IMPORTANCE_WEIGHT * relative + RECENCY_WEIGHT * recency


def score(candidate: StoryCandidate, *, now: datetime, top_importance: float) -> float:
    newest = max(a.when for a in candidate.articles)
    return score_parts(
        len(candidate.matched), candidate.importance, newest, now=now, top_importance=top_importance
    )


def reasons_for(
    candidate: StoryCandidate, *, now: datetime, top_importance: float
) -> tuple[str, ...]:
    reasons = [f"you follow {label}" for label in candidate.matched]
    outlets = max(candidate.outlet_count, len({_outlet(a) for a in candidate.articles}))
    if outlets > 1:
        reasons.append(f"{outlets} outlets covered it")
    if top_importance > 0 and candidate.importance >= 0.8 * top_importance:
        reasons.append("one of the most important stories now")
    newest = max(a.when for a in candidate.articles)
    if now - newest <= timedelta(hours=3):
        reasons.append("new in the last 3 hours")
    if not reasons:
        reasons.append("recent news")
    return tuple(reasons)


def rank_for_you(
    candidates: Sequence[StoryCandidate], *, now: datetime, limit: int = DEFAULT_ENTRIES
) -> tuple[ForYouEntry, ...]:
    """Order candidates for the user: mutes out, one entry per story, no run of one outlet."""
    seen: set[tuple[str, int]] = set()
    usable: list[StoryCandidate] = []
    for c in candidates:
        key = ("story", c.story_id) if c.story_id is not None else ("article", c.articles[0].id)
        if c.muted or not c.articles or key in seen:
            continue
        seen.add(key)
        usable.append(c)
    top = max((c.importance for c in usable), default=0.0)
    scored = sorted(
        ((score(c, now=now, top_importance=top), c) for c in usable),
        key=lambda pair: (pair[0], max(a.when for a in pair[1].articles)),
        reverse=True,
    )
    entries: list[ForYouEntry] = []
    last_outlet: object = None
    while scored and len(entries) < limit:
        # The best story whose lead can come from another outlet than the entry before.
        pick = next(
            (
                i
                for i, (_, c) in enumerate(scored)
                if any(_outlet(a) != last_outlet for a in c.articles)
            ),
            0,
        )
        value, chosen = scored.pop(pick)
        lead = next((a for a in chosen.articles if _outlet(a) != last_outlet), chosen.articles[0])
        entries.append(
            ForYouEntry(
                story_id=chosen.story_id,
                headline=chosen.headline or lead.title,
                lead=lead,
                articles=chosen.articles,
                score=value,
                reasons=reasons_for(chosen, now=now, top_importance=top),
            )
        )
        last_outlet = _outlet(lead)
    return tuple(entries)


def most_promising(
    summaries: dict[int, StorySummary],
    story_of: dict[int, int],
    labels: dict[int, list[str]],
    *,
    now: datetime,
    keep: int,
) -> list[int]:
    """The ``keep`` stories that score best on what the stories table alone says.

    The final score needs each story's articles; reading them for every story a
    follow touches would be most of the work, so stories are first ranked by
    the same formula with the story's last article standing in for its newest.
    Pure: summaries in, story ids out (ascending).
    """
    matched: dict[int, set[str]] = {}
    for article_id, story_id in story_of.items():
        matched.setdefault(story_id, set()).update(labels.get(article_id, ()))
    top = max((s.importance for s in summaries.values()), default=0.0)
    ranked = sorted(
        summaries,
        key=lambda sid: score_parts(
            len(matched.get(sid, ())),
            summaries[sid].importance,
            summaries[sid].last_seen,
            now=now,
            top_importance=top,
        ),
        reverse=True,
    )
    return sorted(ranked[:keep])


def gather_candidates(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    window: timedelta,
    keep: int = 90,
    follow_list: Sequence[Follow] | None = None,
) -> list[StoryCandidate]:
    """Candidate stories for For you: at most ``keep`` stories, plus lone followed articles.

    All reads are bounded: the window, a page of articles per follow, the top
    stories by importance. Mutes are applied here, before ranking: an outlet,
    source or author mute removes those articles; a topic, person,
    organisation or place mute removes the whole story.
    """
    follow_list = list(
        follow_list if follow_list is not None else store_follows.list_follows(conn, user_id)
    )
    mute_list = store_follows.list_mutes(conn, user_id)
    since = now - window
    per_follow = follow_reads.newest_ids(
        conn,
        follow_list,
        floor=0,
        now=now,
        searches=saved_queries(conn, user_id, follow_list),
        per_follow=PER_FOLLOW,  # mutes are applied below, on the candidates only
        only_new=False,
    )
    labels: dict[int, list[str]] = {}
    for follow in follow_list:
        for article_id in per_follow.get(follow.id, []):
            labels.setdefault(article_id, []).append(follow.label)
    story_of = follow_targets.story_of(conn, list(labels))
    top = store_for_you.top_story_ids(conn, since=since, limit=TOP_STORIES)
    story_ids = sorted(set(story_of.values()) | set(top))
    summaries = store_for_you.story_summaries(conn, story_ids, since=since)
    story_ids = most_promising(summaries, story_of, labels, now=now, keep=keep)
    cards, members = store_for_you.story_member_cards(conn, story_ids, since=since)
    lone = [i for i in labels if i not in story_of]
    cards.update(store_cards.article_cards(conn, lone, stories={}))  # lone: in no story
    all_ids = sorted(cards)
    dropped: set[int] = set()  # articles removed by outlet, source and author mutes
    story_muted: set[int] = set()  # articles that mute their whole story
    for mute in mute_list:
        reached = follow_targets.mute_reaches(conn, mute, all_ids)
        (story_muted if mute.kind in STORY_LEVEL_MUTES else dropped).update(reached)
    for article_id in dropped:
        cards.pop(article_id, None)

    def newest_first(ids: list[int]) -> tuple[ArticleCard, ...]:
        found = [cards[i] for i in ids if i in cards and cards[i].when >= since]
        return tuple(sorted(found, key=lambda a: (a.when, a.id), reverse=True))

    def matched(ids: list[int]) -> tuple[str, ...]:
        out: list[str] = []
        for i in ids:
            out += [label for label in labels.get(i, []) if label not in out]
        return tuple(out)

    candidates = []
    for story_id, ids in members.items():
        summary = summaries.get(story_id)
        if summary is None:
            continue
        candidates.append(
            StoryCandidate(
                story_id=story_id,
                headline=summary.headline,
                importance=summary.importance,
                outlet_count=summary.outlet_count,
                articles=newest_first(ids),
                matched=matched(ids),
                muted=any(i in story_muted for i in ids),
            )
        )
    for article_id in lone:
        if not newest_first([article_id]):
            continue  # older than the window
        candidates.append(
            StoryCandidate(
                story_id=None,
                headline="",
                importance=0.0,
                outlet_count=1,
                articles=newest_first([article_id]),
                matched=matched([article_id]),
                muted=article_id in story_muted,
            )
        )
    return candidates


def load_for_you(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    window: timedelta,
    limit: int = DEFAULT_ENTRIES,
) -> tuple[ForYouEntry, ...]:
    """The user's For you from the store: candidates gathered, ranked, shown with full cards."""
    follow_list = store_follows.list_follows(conn, user_id)
    candidates = gather_candidates(
        conn, user_id, now=now, window=window, keep=max(2 * limit, 20), follow_list=follow_list
    )
    ranked = rank_for_you(candidates, now=now, limit=limit)
    # Candidates carry light cards (from the stories table); show full ones.
    shown = [a.id for e in ranked for a in e.articles]
    known = {a.id: e.story_id for e in ranked for a in e.articles if e.story_id is not None}
    full = store_cards.article_cards(conn, shown, stories=known)
    reaching = store_for_you.follows_reaching(conn, follow_list, shown, stories=known)
    return tuple(
        replace(
            e,
            lead=full.get(e.lead.id, e.lead),
            articles=tuple(full.get(a.id, a) for a in e.articles),
            reasons=with_follow_reasons(e.reasons, [reaching.get(a.id, []) for a in e.articles]),
        )
        for e in ranked
    )


def with_follow_reasons(reasons: tuple[str, ...], labels: list[list[str]]) -> tuple[str, ...]:
    """``reasons`` with a "you follow X" for every follow that reaches one of the articles."""
    have = [r for r in reasons if r.startswith("you follow ")]
    extra = []
    for names in labels:
        for name in names:
            reason = f"you follow {name}"
            if reason not in have and reason not in extra:
                extra.append(reason)
    if not extra:
        return reasons
    rest = [r for r in reasons if r not in have and r != "recent news"]
    return (*have, *extra, *rest)
