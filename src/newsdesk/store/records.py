"""Records the store hands to the follow stage: follows, mutes, the things they name, cards.

They live here, below ``follow``, because the store builds them from its rows
and ``follow`` decides with them; keeping them in one lower module is what lets
``follow`` import ``store`` and never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

FollowKind = Literal[
    "author", "person", "org", "place", "topic", "outlet", "source", "story", "search"
]
FOLLOW_KINDS: tuple[str, ...] = (
    "author",
    "person",
    "org",
    "place",
    "topic",
    "outlet",
    "source",
    "story",
    "search",
)
MUTE_KINDS: tuple[str, ...] = ("author", "person", "org", "place", "topic", "outlet", "source")
ENTITY_KINDS: tuple[str, ...] = ("person", "org", "place")
#: A follow or mute of a name no stored article names yet keeps ``name:<normalised name>``
#: as its target until an article names it (``store.follow_names`` binds it then).
PENDING_PREFIX = "name:"


@dataclass(frozen=True, slots=True)
class Target:
    """Something followable, as the indexes know it: ``("person", "42", "Amara Okafor")``."""

    kind: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Follow:
    id: int
    kind: str
    target: str
    label: str
    created_at: datetime
    mark_article_id: int
    checked_at: datetime | None

    @property
    def pending(self) -> bool:
        """Followed by a name no stored article names yet (new articles that do will match)."""
        return self.target.startswith(PENDING_PREFIX)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "target": self.target,
            "pending": self.pending,
            "created_at": self.created_at.isoformat(),
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
        }


@dataclass(frozen=True, slots=True)
class Mute:
    id: int
    kind: str
    target: str
    label: str

    @property
    def pending(self) -> bool:
        """Muted by a name no stored article names yet (new articles that do stay hidden)."""
        return self.target.startswith(PENDING_PREFIX)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "target": self.target,
            "pending": self.pending,
        }


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A user's named query, in the query language's text (parsed by ``follow.query``)."""

    id: int
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """What a list shows of one article: enough to render a line and group by story."""

    id: int
    title: str
    url: str | None
    outlet_id: int | None
    outlet: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    fetched_at: datetime
    story_id: int | None = None

    @property
    def when(self) -> datetime:
        """Publication time, else when we fetched it: what "newest first" sorts on."""
        return self.published_at or self.fetched_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "authors": list(self.authors),
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "story_id": self.story_id,
        }


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What the stories table alone says about a story: enough to pre-rank it for For you."""

    id: int
    headline: str
    importance: float
    outlet_count: int
    last_seen: datetime
