"""For you: recent stories ranked by what the user follows, importance, recency and diversity.

``rank_feed`` is pure: candidates in, ordered entries out, each with the
reasons it is there ("you follow Mali", "6 outlets covered it"). One event
appears once (one entry per story), no two entries in a row lead with the
same outlet when another choice exists, and muted stories never appear:
mutes are applied before ranking and cannot be outscored. ``load_feed`` is
the I/O edge that gathers the candidates from the store.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from newsdesk.follow.models import ArticleCard

FOLLOW_WEIGHT = 3.0
IMPORTANCE_WEIGHT = 1.5
RECENCY_WEIGHT = 1.0
RECENCY_HALF_LIFE = timedelta(hours=12)
DEFAULT_ENTRIES = 30


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """One event the feed could show: a story (or a lone article) and why it might matter."""

    story_id: int | None
    headline: str
    importance: float
    outlet_count: int
    articles: tuple[ArticleCard, ...]  # recent, mute-filtered, newest first
    matched: tuple[str, ...] = ()  # labels of the user's follows that reach it
    muted: bool = False  # a muted topic, person, organisation or place is in it


@dataclass(frozen=True, slots=True)
class FeedEntry:
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


def rank_feed(
    candidates: Sequence[StoryCandidate], *, now: datetime, limit: int = DEFAULT_ENTRIES
) -> tuple[FeedEntry, ...]:
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
    entries: list[FeedEntry] = []
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
            FeedEntry(
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


def load_feed(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    window: timedelta,
    limit: int = DEFAULT_ENTRIES,
) -> tuple[FeedEntry, ...]:
    """The user's For-you feed from the store (candidates gathered by ``store.feed``)."""
    from newsdesk.store import follow_feed as store_feed
    from newsdesk.store import follows as store

    follow_list = store.list_follows(conn, user_id)
    candidates = store_feed.feed_candidates(
        conn, user_id, now=now, window=window, keep=max(2 * limit, 20), follow_list=follow_list
    )
    ranked = rank_feed(candidates, now=now, limit=limit)
    # Candidates carry light cards (from the stories table); show full ones.
    shown = [a.id for e in ranked for a in e.articles]
    known = {a.id: e.story_id for e in ranked for a in e.articles if e.story_id is not None}
    full = store.article_cards(conn, shown, stories=known)
    reaching = store_feed.follows_reaching(conn, follow_list, shown, stories=known)
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
