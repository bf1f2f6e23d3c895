"""A user's articles with their read and starred state, and their unread counts, as the faces
show them (``newsdesk.follow.read_state`` decides; this names the records and reads them for
a user named by email)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsdesk.follow import read_state as rs
from newsdesk.store.db import Database, open_database
from newsdesk.views.cursor import decode_cursor, encode_cursor

LIST_CURSOR = "user-articles"


@dataclass(frozen=True, slots=True)
class UserArticle:
    """One article in a user's list, with their read and starred state."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    source_id: int | None
    authors: tuple[str, ...]
    published_at: datetime | None
    fetched_at: datetime
    read: bool
    starred: bool

    @property
    def when(self) -> datetime:
        return self.published_at or self.fetched_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "authors": list(self.authors),
            "published": self.published_at.isoformat() if self.published_at else None,
            "url": self.url,
            "fetched": self.fetched_at.isoformat(),
            "source_id": self.source_id,
            "read": self.read,
            "starred": self.starred,
        }


@dataclass(frozen=True, slots=True)
class UserArticleList:
    """A page of a user's articles, newest first; ``next_cursor`` continues it (None: the end)."""

    items: tuple[UserArticle, ...]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "next_cursor": self.next_cursor}


@dataclass(frozen=True, slots=True)
class SourceCount:
    source_id: int | None  # None: articles stored from pages, with no source
    title: str | None
    unread: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.source_id, "title": self.title, "unread": self.unread}


@dataclass(frozen=True, slots=True)
class TagCount:
    tag: str
    unread: int

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "unread": self.unread}


@dataclass(frozen=True, slots=True)
class FollowCount:
    follow_id: int
    kind: str
    label: str
    unread: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.follow_id, "kind": self.kind, "label": self.label, "unread": self.unread}


@dataclass(frozen=True, slots=True)
class UnreadCounts:
    """A user's unread articles: in all, per source, per tag (of its sources) and per follow.

    An article counts once in ``total`` and under its one source, but under
    every follow that reaches it and every tag of its source.
    """

    total: int
    sources: tuple[SourceCount, ...] = ()
    tags: tuple[TagCount, ...] = ()
    follows: tuple[FollowCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "sources": [s.to_dict() for s in self.sources],
            "tags": [t.to_dict() for t in self.tags],
            "follows": [f.to_dict() for f in self.follows],
        }


def summarise(data: rs.CountsData) -> UnreadCounts:
    """Fold per-source counts into tags and order everything for display (pure)."""
    per_source, info = data.raw.per_source, data.sources
    sources = [
        SourceCount(sid, info.get(sid, (None, []))[0] if sid is not None else None, n)
        for sid, n in per_source.items()
        if n
    ]
    sources.sort(key=lambda s: (s.source_id is None, -s.unread, s.source_id or 0))
    tags: dict[str, int] = {}
    for sid, n in per_source.items():
        if sid is None or not n:
            continue
        for tag in dict.fromkeys(info.get(sid, (None, []))[1]):
            tags[tag] = tags.get(tag, 0) + n
    return UnreadCounts(
        total=sum(per_source.values()),
        sources=tuple(sources),
        tags=tuple(TagCount(t, n) for t, n in sorted(tags.items())),
        follows=tuple(
            FollowCount(f.id, f.kind, f.label, data.raw.per_follow.get(f.id, 0))
            for f in data.follows
        ),
    )


def unread_counts(
    email: str, *, db: Database | None = None, now: datetime | None = None
) -> UnreadCounts:
    """The unread counts of the user named by ``email``."""
    with (db or open_database()).connect() as conn:
        data = rs.counts_data(conn, rs.user_id(conn, email), now=now or datetime.now(UTC))
    return summarise(data)


def _items(rows: Sequence[Any]) -> tuple[UserArticle, ...]:
    return tuple(
        UserArticle(
            r.id,
            r.title,
            r.url,
            r.outlet,
            r.source_id,
            r.authors,
            r.published_at,
            r.fetched_at,
            r.read,
            r.starred,
        )
        for r in rows
    )


def user_articles(
    email: str,
    *,
    unread: bool = False,
    starred: bool = False,
    source_id: int | None = None,
    tag: str | None = None,
    limit: int = rs.LIST_LIMIT,
    cursor: str | None = None,
    db: Database | None = None,
    now: datetime | None = None,
) -> UserArticleList:
    """A page of the user's articles (what their follows reach), newest first, with state."""
    before_id = None
    if cursor:
        (last_id,) = decode_cursor(LIST_CURSOR, cursor, (int,))
        before_id = int(last_id)
    with (db or open_database()).connect() as conn:
        rows = rs.list_rows(
            conn,
            rs.user_id(conn, email),
            now=now or datetime.now(UTC),
            unread=unread,
            starred=starred,
            source_id=source_id,
            tag=tag,
            limit=limit + 1,
            before_id=before_id,
        )
    items = _items(rows[:limit])
    next_cursor = encode_cursor(LIST_CURSOR, [items[-1].id]) if len(rows) > limit else None
    return UserArticleList(items, next_cursor)
