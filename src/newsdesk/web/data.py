"""Page data: one function per page, each returning the page's JSON form.

The HTML page and its ``/api/v1`` twin render the same dict, so they cannot
drift. Each starts from the service layer's view (``newsdesk.views``, its
``to_dict()``) and adds what a signed-in reader sees on top of it: their read
and starred state, whether they follow what the page names, and the article
list pages of the web's read state.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Path

from newsdesk.config import Settings
from newsdesk.errors import InputError, NotFoundError
from newsdesk.follow.accounts import User
from newsdesk.follow.models import ArticleCard
from newsdesk.store.db import Database

MAX_PAGE = 100
#: Largest id a request may name: ids are 32-bit integers on PostgreSQL.
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
DEFAULT_PAGE = 30


# --- cursors of the web's own lists (starred, unread) --------------------------------------


def encode_cursor(before_id: int) -> str:
    """An opaque cursor: the keyset position, base64url so nobody builds on its shape."""
    return base64.urlsafe_b64encode(f"b:{before_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    if len(cursor) > 64:
        raise InputError("cursor is too long", hint="pass back the next_cursor you were given")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        kind, _, value = raw.partition(":")
        if kind != "b" or not value.isdigit() or int(value) > MAX_ID + 1:
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InputError(
            f"invalid cursor {cursor[:20]!r}", hint="pass back the next_cursor you were given"
        ) from None


def check_follow_value(kind: str, value: str) -> None:
    """Ids the store compares as integers must fit one (PostgreSQL's are 32-bit)."""
    text = value.strip()
    if text.isdigit() and int(text) > MAX_ID:
        raise NotFoundError(f"no {kind.strip().lower()} with id {text[:20]}")


def check_limit(limit: int) -> int:
    if limit < 1 or limit > MAX_PAGE:
        raise InputError(f"limit must be between 1 and {MAX_PAGE}, not {limit}")
    return limit


# --- shared pieces --------------------------------------------------------------------------


def _cards(db: Database, ids: Sequence[int]) -> list[ArticleCard]:
    from newsdesk.store.cards import article_cards

    with db.connect() as conn:
        found = article_cards(conn, ids)
    return [found[i] for i in ids if i in found]


def _states(db: Database, user: User, ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    from newsdesk.store import reading

    with db.connect() as conn:
        return reading.states(conn, user.id, ids)


def _with_state(
    db: Database, user: User, items: list[dict[str, Any]], key: str = "id"
) -> list[dict[str, Any]]:
    """Items with this user's ``read`` and ``starred`` (by the article id under ``key``)."""
    state = _states(db, user, [int(i[key]) for i in items])
    return [
        {
            **i,
            "read": state.get(int(i[key]), (False, False))[0],
            "starred": state.get(int(i[key]), (False, False))[1],
        }
        for i in items
    ]


def _page(db: Database, user: User, ids: list[int], limit: int) -> dict[str, Any]:
    more = len(ids) > limit
    ids = ids[:limit]
    return {
        "articles": _with_state(db, user, [c.to_dict() for c in _cards(db, ids)]),
        "next_cursor": encode_cursor(ids[-1]) if more and ids else None,
    }


def _follows(db: Database, user: User) -> set[tuple[str, str]]:
    """What the user follows, by (kind, target) and by (kind, lower-cased label)."""
    from newsdesk.store import follows as store

    with db.connect() as conn:
        found = store.list_follows(conn, user.id)
    return {(f.kind, f.target) for f in found} | {(f.kind, f.label.lower()) for f in found}


# --- reading pages --------------------------------------------------------------------------


def for_you(
    db: Database, user: User, *, now: datetime, settings: Settings, limit: int = DEFAULT_PAGE
) -> dict[str, Any]:
    from newsdesk.views.for_you import for_you as for_you_view

    page = for_you_view(
        user.email,
        window=timedelta(hours=settings.feed_window_hours),
        limit=check_limit(limit),
        db=db,
        now=now,
    ).to_dict()
    state = _states(db, user, [e["article"]["id"] for e in page["entries"]])
    for e in page["entries"]:
        read, starred = state.get(e["article"]["id"], (False, False))
        e["article"] |= {"read": read, "starred": starred}
        e["outlet_count"] = len({a["outlet"] for a in e["articles"]})
    return dict(page)


def following(db: Database, user: User, *, now: datetime) -> dict[str, Any]:
    from newsdesk.views.following import following as following_view

    return dict(following_view(user.email, db=db, now=now).to_dict())


def article_list(
    db: Database,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    starred: bool = False,
    unread: bool = False,
    source_id: int | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    """The reader's article lists (newest first, by their read state): Starred, Unread."""
    from newsdesk.store import reading

    limit = check_limit(limit)
    with db.connect() as conn:
        ids = reading.article_page(
            conn,
            limit=limit + 1,
            before_id=decode_cursor(cursor),
            user_id=user.id,
            starred=starred,
            unread=unread,
            source_id=source_id,
            tag=tag[:200] if tag else None,
        )
    return _page(db, user, ids, limit)


def unread(
    db: Database,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    source_id: int | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    from newsdesk.store import reading

    with db.connect() as conn:
        per_source = reading.unread_counts(conn, user.id)
    tags: dict[str, int] = {}
    for s in per_source:
        for t in s["tags"]:
            tags[t] = tags.get(t, 0) + s["unread"]
    page = article_list(
        db, user, cursor=cursor, limit=limit, unread=True, source_id=source_id, tag=tag
    )
    return {
        "total_unread": sum(s["unread"] for s in per_source),
        "sources": per_source,
        "tags": [{"tag": t, "unread": n} for t, n in sorted(tags.items())],
        "source_id": source_id,
        "tag": tag,
        **page,
    }


def article(db: Database, user: User, article_id: int) -> dict[str, Any]:
    """The reader view: ``views.article`` with the reader's state, a byline of people to
    follow, what they follow among its names, and the story's other coverage."""
    from newsdesk.views.articles import article as article_view
    from newsdesk.views.stories import story as story_view

    view = article_view(article_id, db=db)
    data: dict[str, Any] = view.to_dict()
    follows = _follows(db, user)
    credited = [c for c in view.article.credits if c.kind != "agency"]
    names = [c.name for c in credited] or list(view.article.authors)
    places = {c.name: c.place for c in credited}
    kinds = {c.name: c.kind for c in credited}
    # Every credited person is followed as an author: a contributor's later bylines are
    # what a reader wants when they press Follow on the seed page's "With a report by".
    data["byline"] = [
        {
            "name": name,
            "kind": kinds.get(name, "author"),
            "place": places.get(name),
            "follow_kind": "author",
            "following": ("author", name.lower()) in follows,
        }
        for name in names
    ]
    data["entities"] = [
        {**e, "following": (e["kind"], str(e["id"])) in follows}
        for e in data["entities"]
        if e["kind"] in ("person", "org", "place")
    ]
    data["topics"] = [{**t, "following": ("topic", t["key"]) in follows} for t in data["topics"]]
    coverage: list[dict[str, Any]] = []
    if view.story is not None:
        members = story_view(view.story.key, db=db).members
        coverage = [m.to_dict() for m in members if m.article_id != view.id]
    data["coverage"] = coverage
    read, starred = _states(db, user, [view.id]).get(view.id, (False, False))
    data["read"], data["starred"] = read, starred
    return data


def _story_key(key: str) -> str:
    if len(key) > 40 or (key.isdigit() and int(key) > MAX_ID):
        raise NotFoundError(f"no story {key[:40]!r}")
    return key


def story(db: Database, user: User, key: str) -> dict[str, Any]:
    from newsdesk.views.stories import story as story_view

    view = story_view(_story_key(key), db=db)
    data: dict[str, Any] = view.to_dict()
    factors = data.get("factors") or {}
    why = [f"{data['outlet_count']} outlets covered it"]
    if factors.get("velocity"):
        why.append(f"{factors['velocity']} articles in the last 6 hours")
    data["id"] = view.story.id
    data["why"] = why
    data["following"] = ("story", str(view.story.id)) in _follows(db, user)
    return data


def stories_list(db: Database, *, limit: int = DEFAULT_PAGE) -> dict[str, Any]:
    from newsdesk.views.stories import story_list as story_list_view

    return dict(story_list_view(limit=check_limit(limit), db=db).to_dict())


def entity_page(db: Database, user: User, kind: str, entity_id: int) -> dict[str, Any]:
    from newsdesk.store import reading

    with db.connect() as conn:
        row = reading.entity(conn, entity_id)
        if row is None or row.kind != kind:
            raise NotFoundError(f"no {kind} with id {entity_id}")
        ids = reading.ids_reaching(conn, kind, str(entity_id), limit=DEFAULT_PAGE)
        quotes = reading.quotes_by(conn, entity_id) if kind == "person" else None
    data: dict[str, Any] = {
        "id": int(row.id),
        "kind": kind,
        "name": row.name,
        "following": (kind, str(entity_id)) in _follows(db, user),
        "articles": _with_state(db, user, [c.to_dict() for c in _cards(db, ids)]),
    }
    if quotes is not None:
        data["quotes"] = quotes
    return data


def topic_page(db: Database, user: User, key: str) -> dict[str, Any]:
    from newsdesk.store import reading

    with db.connect() as conn:
        row = reading.topic(conn, key[:400])
        if row is None:
            raise NotFoundError(f"no topic {key[:80]!r}")
        ids = reading.ids_reaching(conn, "topic", row.key, limit=DEFAULT_PAGE)
    return {
        "key": row.key,
        "name": row.name,
        "following": ("topic", row.key) in _follows(db, user),
        "articles": _with_state(db, user, [c.to_dict() for c in _cards(db, ids)]),
    }


def outlet_page(db: Database, user: User, outlet_id: int) -> dict[str, Any]:
    from newsdesk.store import reading

    with db.connect() as conn:
        row = reading.outlet(conn, outlet_id)
        if row is None:
            raise NotFoundError(f"no outlet with id {outlet_id}")
        ids = reading.ids_reaching(conn, "outlet", str(outlet_id), limit=DEFAULT_PAGE)
    return {
        "id": int(row.id),
        "name": row.name,
        "domain": row.domain,
        "following": ("outlet", str(outlet_id)) in _follows(db, user),
        "articles": _with_state(db, user, [c.to_dict() for c in _cards(db, ids)]),
    }


def search(
    db: Database,
    user: User,
    query: str,
    *,
    now: datetime,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
) -> dict[str, Any]:
    from newsdesk.store import follows as store
    from newsdesk.views.search import search as search_view

    limit = check_limit(limit)
    with db.connect() as conn:
        saved = [
            {"id": sid, "name": name, "query": text}
            for sid, name, text in store.list_saved_searches(conn, user.id)
        ]
    if not query.strip():
        return {"query": "", "items": [], "next_cursor": None, "saved_searches": saved}
    if len(query) > 500:
        raise InputError("query is longer than 500 characters", hint="shorten it")
    if cursor is not None and len(cursor) > 200:
        raise InputError("cursor is too long", hint="pass back the next_cursor you were given")
    found = search_view(
        query, email=user.email, limit=limit, cursor=cursor or None, db=db, now=now
    ).to_dict()
    found["items"] = _with_state(db, user, found["items"])
    return {**found, "saved_searches": saved}


def sources_page(db: Database) -> dict[str, Any]:
    from newsdesk.views.sources import source_list as source_list_view

    return {"sources": [s.to_dict() for s in source_list_view(db=db)]}
