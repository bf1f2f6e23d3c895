"""Page data: one function per page, each returning the page's JSON form.

The HTML page and its ``/api/v1`` twin render the same dict, so they cannot
drift. Each starts from the service layer's view (``newsdesk.views``, its
``to_dict()``) and adds what a signed-in reader sees on top of it: their read
and starred state, whether they follow what the page names, and the article
list pages of the web's read state.
"""

from __future__ import annotations

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


# --- checks ------------------------------------------------------------------------------


def check_follow_value(kind: str, value: str) -> None:
    """Ids the store compares as integers must fit one (PostgreSQL's are 32-bit)."""
    text = value.strip()
    if (text.isascii() and text.isdigit()) and int(text) > MAX_ID:
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


def _starred(db: Database, user: User, ids: Sequence[int]) -> set[int]:
    from newsdesk.store.read_state import starred_ids

    if not ids:
        return set()
    with db.connect() as conn:
        return starred_ids(conn, user.id, list(ids))


def _with_state(db: Database, user: User, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cards with this user's ``starred`` mark."""
    starred = _starred(db, user, [int(i["id"]) for i in items])
    return [{**i, "starred": int(i["id"]) in starred} for i in items]


def article_state(db: Database, user: User, article_id: int) -> tuple[bool, bool] | None:
    """(read, starred) of a stored article for the user, else None: a reader keeps state on
    any article they open, followed or not."""
    from datetime import UTC

    from newsdesk.errors import NotFoundError
    from newsdesk.follow import read_state

    with db.connect() as conn:
        try:
            return read_state.article_state(conn, user.id, article_id, now=datetime.now(UTC))
        except NotFoundError:
            return None


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
    starred = _starred(db, user, [e["article"]["id"] for e in page["entries"]])
    for e in page["entries"]:
        e["article"]["starred"] = e["article"]["id"] in starred
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
    """The reader's articles (what their follows reach) newest first, with read and starred."""
    from newsdesk.views.read_state import user_articles

    if cursor is not None and len(cursor) > 200:
        raise InputError("cursor is too long", hint="pass back the next_cursor you were given")
    page = user_articles(
        user.email,
        unread=unread,
        starred=starred,
        source_id=source_id,
        tag=tag,
        limit=check_limit(limit),
        cursor=cursor or None,
        db=db,
    )
    return dict(page.to_dict())


def unread(
    db: Database,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    source_id: int | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    """Unread counts (in all, per source, per tag, per follow) and the newest unread page,
    of one source or one tag (a folder of sources) when asked."""
    from newsdesk.views.read_state import unread_counts

    tag = (tag.strip() or None) if tag is not None else None
    counts = unread_counts(user.email, db=db).to_dict()
    page = article_list(
        db, user, cursor=cursor, limit=limit, unread=True, source_id=source_id, tag=tag
    )
    return {"counts": counts, "source_id": source_id, "tag": tag, **page}


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
    state = article_state(db, user, view.id)
    data["read"], data["starred"] = state if state is not None else (None, False)
    data["state_kept"] = state is not None
    return data


def _story_key(key: str) -> str:
    if len(key) > 40 or ((key.isascii() and key.isdigit()) and int(key) > MAX_ID):
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


# --- read state writes (the follow stage's use cases) ---------------------------------------


def mark_read(db: Database, user: User, ids: Sequence[int], read: bool) -> int:
    """Mark stored articles read or unread for the user ("no such article" for an unknown id)."""
    from newsdesk.follow.read_state import MarkTarget, mark_articles

    result = mark_articles(user.email, MarkTarget("ids", ids=tuple(ids)), read=read, db=db)
    return int(result.changed or 0)


def mark_story_read(db: Database, user: User, key: str) -> int:
    from newsdesk.follow.read_state import MarkTarget, mark_articles

    result = mark_articles(user.email, MarkTarget("story", story=_story_key(key)), read=True, db=db)
    return int(result.changed or 0)


def set_starred(db: Database, user: User, article_id: int, starred: bool) -> None:
    from newsdesk.follow.read_state import star_articles

    star_articles(user.email, [article_id], starred=starred, db=db)
