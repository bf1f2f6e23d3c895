"""Stories as the faces show them: the list by importance, and one story with its coverage
and timeline. The JSON fields are the ones ``stories list|show --json`` always printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.store.db import Database, open_database


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, as its coverage list shows it."""

    article_id: int
    published: datetime
    outlet: str | None
    headline: str
    url: str | None
    duplicate_of: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "published": self.published.isoformat(),
            "outlet": self.outlet,
            "headline": self.headline,
            "url": self.url,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(frozen=True, slots=True)
class StoryListItem:
    """A story in the list: headline, coverage, importance and why."""

    id: int
    key: str
    status: str
    headline: str
    summary: str
    first_seen: datetime
    last_seen: datetime
    articles: int
    outlet_count: int
    outlets: list[Any]
    importance: float
    factors: dict[str, Any]
    entities: list[Any]
    topics: list[Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "headline": self.headline,
            "summary": self.summary,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "articles": self.articles,
            "outlet_count": self.outlet_count,
            "outlets": self.outlets,
            "importance": self.importance,
            "factors": self.factors,
            "entities": self.entities,
            "topics": self.topics,
        }


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story: its summary fields, its members in time order, and its timeline."""

    story: StoryListItem
    members: tuple[StoryMember, ...]
    timeline: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.story.to_dict(),
            "members": [m.to_dict() for m in self.members],
            "timeline": self.timeline,
        }


@dataclass(frozen=True, slots=True)
class StoryList:
    items: tuple[StoryListItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"items": [s.to_dict() for s in self.items]}


def _summary(row: Any) -> StoryListItem:
    return StoryListItem(
        id=int(row.id),
        key=row.key,
        status=row.status,
        headline=row.headline,
        summary=row.summary,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        articles=row.size,
        outlet_count=row.outlet_count,
        outlets=row.outlets,
        importance=row.importance,
        factors=row.factors,
        entities=row.entities,
        topics=row.topics,
    )


def story_list(
    *, limit: int = 20, open_only: bool = False, db: Database | None = None
) -> StoryList:
    """Stored stories, most important first (merged ones hidden)."""
    from newsdesk.store import stories as repo

    with (db or open_database()).connect() as conn:
        rows = repo.list_stories(conn, limit=limit, include_closed=not open_only)
    return StoryList(tuple(_summary(r) for r in rows))


def story(key: str, *, db: Database | None = None) -> StoryView:
    """One story by key or number (a merged story resolves to where it went)."""
    from newsdesk.store import stories as repo

    with (db or open_database()).connect() as conn:
        row = repo.get_story(conn, key)
        members = repo.members(conn, row.id)
    return StoryView(
        _summary(row),
        tuple(
            StoryMember(
                article_id=m.article_id,
                published=m.published_at,
                outlet=m.outlet,
                headline=m.headline,
                url=m.canonical_url or m.url,
                duplicate_of=m.duplicate_of,
            )
            for m in members
        ),
        row.timeline,
    )
