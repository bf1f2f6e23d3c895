"""Following: per follow, what is new since the last check, and one combined newest-first list.

``combine`` is pure: it takes each follow's new articles and folds the
articles of one event (one story) into one entry, "Harbour strike ends —
Tidewater Post, and 4 more outlets", newest first. ``load_following`` is the
I/O edge that gathers the data; ``mark_following_checked`` moves the marks.
A view remembers the newest article id it could have shown, and checking moves
the marks exactly there, so what arrives while the user reads stays new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from newsdesk.follow.follows import saved_queries
from newsdesk.follow.models import ArticleCard, FollowNews
from newsdesk.store import cards as store_cards
from newsdesk.store import follow_reads
from newsdesk.store import follows as store

DEFAULT_ENTRIES = 50


@dataclass(frozen=True, slots=True)
class FollowingEntry:
    """One event in the combined view: its newest article leads, the others are folded in."""

    lead: ArticleCard
    others: tuple[ArticleCard, ...]
    follows: tuple[str, ...]  # labels of the follows that brought these articles
    story_id: int | None

    @property
    def more_outlets(self) -> int:
        lead_outlet = self.lead.outlet_id if self.lead.outlet_id is not None else self.lead.outlet
        seen = {a.outlet_id if a.outlet_id is not None else a.outlet for a in self.others} - {
            lead_outlet
        }
        return len(seen)

    @property
    def line(self) -> str:
        text = self.lead.title
        if self.lead.outlet:
            text += f" — {self.lead.outlet}"
        if self.more_outlets:
            plural = "outlet" if self.more_outlets == 1 else "outlets"
            text += f", and {self.more_outlets} more {plural}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "line": self.line,
            "article": self.lead.to_dict(),
            "more_outlets": self.more_outlets,
            "other_articles": [a.to_dict() for a in self.others],
            "follows": list(self.follows),
        }


@dataclass(frozen=True, slots=True)
class FollowingView:
    follows: tuple[FollowNews, ...]
    entries: tuple[FollowingEntry, ...]
    upto_article_id: int  # checking this view moves the marks here

    @property
    def total_new(self) -> int:
        return sum(n.new_count for n in self.follows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "upto_article_id": self.upto_article_id,
            "total_new": self.total_new,
            "follows": [
                {
                    **n.follow.to_dict(),
                    "new_count": n.new_count,
                    "new_count_capped": n.capped,
                    "articles": [a.to_dict() for a in n.articles],
                }
                for n in self.follows
            ],
            "entries": [e.to_dict() for e in self.entries],
        }


def combine(
    news: Sequence[FollowNews], *, limit: int = DEFAULT_ENTRIES
) -> tuple[FollowingEntry, ...]:
    """Fold the follows' new articles into one list: one entry per event, newest first."""
    cards: dict[int, ArticleCard] = {}
    labels: dict[int, list[str]] = {}
    for item in news:
        for card in item.articles:
            cards[card.id] = card
            names = labels.setdefault(card.id, [])
            if item.follow.label not in names:
                names.append(item.follow.label)
    groups: dict[tuple[str, int], list[ArticleCard]] = {}
    for card in cards.values():
        key = ("story", card.story_id) if card.story_id is not None else ("article", card.id)
        groups.setdefault(key, []).append(card)
    entries = []
    for members in groups.values():
        members.sort(key=lambda a: (a.when, a.id), reverse=True)
        follow_labels: list[str] = []
        for card in members:
            follow_labels += [n for n in labels[card.id] if n not in follow_labels]
        entries.append(
            FollowingEntry(
                members[0], tuple(members[1:]), tuple(follow_labels), members[0].story_id
            )
        )
    entries.sort(key=lambda e: (e.lead.when, e.lead.id), reverse=True)
    return tuple(entries[:limit])


def load_following(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    per_follow: int = 10,
    limit: int = DEFAULT_ENTRIES,
) -> FollowingView:
    """Gather the user's Following view: counts and newest articles per follow, combined.

    Every read is an index range scan above a follow's mark, bounded by a
    LIMIT (a page per follow; counts stop at ``COUNT_CAP``).
    """
    follow_list = store.list_follows(conn, user_id)
    upto = store.max_article_id(conn)
    if not follow_list:
        return FollowingView((), (), upto)
    mute_list = store.list_mutes(conn, user_id)
    found = follow_reads.new_since_marks(
        conn,
        follow_list,
        now=now,
        searches=saved_queries(conn, user_id, follow_list),
        mute_list=mute_list,
        per_follow=per_follow,
    )
    cards = store_cards.article_cards(
        conn, {i for _, ids in found.values() for i in ids if i <= upto}
    )
    counts = {fid: n for fid, (n, _) in found.items()}
    ids = {fid: page for fid, (_, page) in found.items()}
    news = tuple(
        FollowNews(
            follow=f,
            new_count=counts.get(f.id, 0),
            capped=counts.get(f.id, 0) >= follow_reads.COUNT_CAP,
            articles=tuple(cards[i] for i in ids.get(f.id, []) if i in cards),
        )
        for f in follow_list
    )
    return FollowingView(news, combine(news, limit=limit), upto)


def mark_following_checked(
    conn: Connection,
    user_id: int,
    *,
    upto_article_id: int,
    now: datetime,
    follow_ids: Sequence[int] | None = None,
) -> int:
    """Check the user's follows (all, or some) up to the newest article their view showed."""
    return store.mark_checked(
        conn, user_id, upto_article_id=upto_article_id, now=now, follow_ids=follow_ids
    )
