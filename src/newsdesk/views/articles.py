"""Articles as the faces show them: one article with everything newsdesk understood, and
the newest-first article list with its page cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.models import Article
from newsdesk.store.db import Database, open_database
from newsdesk.views.cursor import BadCursorError, decode_cursor, encode_cursor

LIST_CURSOR = "articles"


@dataclass(frozen=True, slots=True)
class ArticleListItem:
    """One line of the article list."""

    id: int
    article: Article
    fetched: datetime

    @property
    def when(self) -> datetime:
        return self.article.published or self.fetched

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": self.id,
            "title": a.title,
            "outlet": a.outlet,
            "authors": list(a.authors),
            "published": a.published.isoformat() if a.published else None,
            "url": a.canonical_url or a.url,
            "fetched": self.fetched.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ArticleList:
    """A page of stored articles, newest first; ``next_cursor`` continues it (None: the end)."""

    items: tuple[ArticleListItem, ...]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "next_cursor": self.next_cursor}


@dataclass(frozen=True, slots=True)
class StoryRef:
    """The story an article belongs to, and the outlets that covered it."""

    key: str
    headline: str
    outlets: tuple[str, ...]
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "headline": self.headline,
            "outlets": list(self.outlets),
            "articles": self.articles,
        }


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One stored article: its body and credits, what newsdesk understood of it, its story.

    ``understanding`` is None until the article is enriched. ``read`` is None
    and ``starred`` False where no user is asked about (or no read state is kept).
    """

    id: int
    article: Article
    fetched: datetime
    understanding: dict[str, Any] | None
    story: StoryRef | None
    read: bool | None = None
    starred: bool = False

    def to_dict(self) -> dict[str, Any]:
        known = self.understanding or {}
        return {
            **self.article.to_dict(),
            "id": self.id,
            "fetched": self.fetched.isoformat(),
            "summary": known.get("summary"),
            "entities": known.get("entities", []),
            "topics": known.get("topics", []),
            "quotes": known.get("quotes", []),
            "figures": known.get("figures", []),
            "understood": self.understanding is not None,
            "story": self.story.to_dict() if self.story else None,
            "read": self.read,
            "starred": self.starred,
        }


def article(
    article_id: int, *, email: str | None = None, db: Database | None = None
) -> ArticleView:
    """One stored article with its understanding and story (NotFoundError when absent).

    With ``email``, the article as that user sees it: their read and starred
    state, and "no such article" when none of their follows reaches it.
    """
    from newsdesk.store import articles as repo
    from newsdesk.store import stories as story_repo
    from newsdesk.store.understanding import load_understanding

    read: bool | None = None
    starred = False
    with (db or open_database()).connect() as conn:
        if email is not None:
            from datetime import UTC, datetime

            from newsdesk.follow import read_state

            user = read_state.user_id(conn, email)
            read, starred = read_state.article_state(conn, user, article_id, now=datetime.now(UTC))
        aid, stored, fetched = repo.get_article(conn, article_id)
        understanding = load_understanding(conn, aid)
        row = story_repo.story_of_article(conn, aid)
    story = None
    if row is not None:
        story = StoryRef(
            key=str(row.key),
            headline=str(row.headline),
            outlets=tuple(str(o) for o in (row.outlets or ())),
            articles=int(row.size or 0),
        )
    return ArticleView(aid, stored, fetched, understanding, story, read, starred)


def article_list(
    *,
    limit: int = 50,
    outlet: str | None = None,
    cursor: str | None = None,
    db: Database | None = None,
) -> ArticleList:
    """A page of stored articles, newest first (published, else fetched)."""
    from newsdesk.store import articles as repo

    after = None
    if cursor:
        when, last_id = decode_cursor(LIST_CURSOR, cursor, (str, int))
        try:
            after = (datetime.fromisoformat(str(when)), int(last_id))
        except ValueError:
            raise BadCursorError(f"not a page cursor of this list: {cursor[:40]!r}") from None
    with (db or open_database()).connect() as conn:
        rows = repo.list_articles(conn, limit=limit + 1, outlet=outlet, after=after)
    items = tuple(ArticleListItem(aid, a, fetched) for aid, a, fetched in rows[:limit])
    next_cursor = None
    if len(rows) > limit and items:
        last = items[-1]
        next_cursor = encode_cursor(LIST_CURSOR, [last.when.isoformat(), last.id])
    return ArticleList(items, next_cursor)
