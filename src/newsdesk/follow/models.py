"""Records of the follow stage: what a user follows and mutes, and the articles they see.

The records the store builds (follows, mutes, targets, cards) are defined in
``newsdesk.store.records`` and named here too, so the follow stage reads as one
vocabulary; ``FollowNews`` is the follow stage's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk.store.records import (
    ENTITY_KINDS,
    FOLLOW_KINDS,
    MUTE_KINDS,
    ArticleCard,
    Follow,
    FollowKind,
    Mute,
    SavedSearch,
    Target,
)

__all__ = [
    "ENTITY_KINDS",
    "FOLLOW_KINDS",
    "MUTE_KINDS",
    "ArticleCard",
    "Follow",
    "FollowKind",
    "FollowNews",
    "Mute",
    "SavedSearch",
    "Target",
]


@dataclass(frozen=True, slots=True)
class FollowNews:
    """One follow's new articles since its mark, newest first (at most a page of them)."""

    follow: Follow
    new_count: int
    capped: bool  # the count stopped at the cap: "1000+"
    articles: tuple[ArticleCard, ...] = field(default=())
