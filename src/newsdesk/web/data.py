"""Page data: one function per page, each returning the page's JSON form.

The HTML page and its ``/api/v1`` twin render the same dict, so they cannot
drift. These call the follow stage and the store's read functions; when the
service layer's ``views`` package lands, each becomes a call to its view's
``to_dict()``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy import Connection

from newsdesk.config import Settings
from newsdesk.errors import InputError, NotFoundError
from newsdesk.follow.accounts import User
from newsdesk.follow.models import ArticleCard

MAX_PAGE = 100
#: Largest id a request may name: ids are 32-bit integers on PostgreSQL.
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
DEFAULT_PAGE = 30


# --- cursors --------------------------------------------------------------------------------


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


def _cards(conn: Connection, ids: Sequence[int]) -> list[ArticleCard]:
    from newsdesk.store import follows as store

    found = store.article_cards(conn, ids)
    return [found[i] for i in ids if i in found]


def card_dicts(conn: Connection, user: User, cards: Sequence[ArticleCard]) -> list[dict[str, Any]]:
    """Cards as JSON with this user's read and starred state."""
    from newsdesk.store import reading

    state = reading.states(conn, user.id, [c.id for c in cards])
    out = []
    for c in cards:
        read, starred = state.get(c.id, (False, False))
        out.append({**c.to_dict(), "read": read, "starred": starred})
    return out


def _page(conn: Connection, user: User, ids: list[int], limit: int) -> dict[str, Any]:
    more = len(ids) > limit
    ids = ids[:limit]
    return {
        "articles": card_dicts(conn, user, _cards(conn, ids)),
        "next_cursor": encode_cursor(ids[-1]) if more and ids else None,
    }


# --- reading pages --------------------------------------------------------------------------


def for_you(
    conn: Connection, user: User, *, now: datetime, settings: Settings, limit: int = DEFAULT_PAGE
) -> dict[str, Any]:
    from newsdesk.follow.feed import load_feed
    from newsdesk.store import reading

    entries = load_feed(
        conn,
        user.id,
        now=now,
        window=timedelta(hours=settings.feed_window_hours),
        limit=check_limit(limit),
    )
    state = reading.states(conn, user.id, [e.lead.id for e in entries])
    items = []
    for e in entries:
        data = e.to_dict()
        read, starred = state.get(e.lead.id, (False, False))
        data["article"] |= {"read": read, "starred": starred}
        data["outlet_count"] = len({a.outlet_id or a.outlet for a in e.articles})
        items.append(data)
    return {"entries": items}


def following(conn: Connection, user: User, *, now: datetime) -> dict[str, Any]:
    from newsdesk.follow.following import load_following

    return load_following(conn, user.id, now=now).to_dict()


def article_list(
    conn: Connection,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    starred: bool = False,
    unread: bool = False,
    source_id: int | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    from newsdesk.store import reading

    limit = check_limit(limit)
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
    return _page(conn, user, ids, limit)


def unread(
    conn: Connection,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    source_id: int | None = None,
    tag: str | None = None,
) -> dict[str, Any]:
    from newsdesk.store import reading

    per_source = reading.unread_counts(conn, user.id)
    tags: dict[str, int] = {}
    for s in per_source:
        for t in s["tags"]:
            tags[t] = tags.get(t, 0) + s["unread"]
    page = article_list(
        conn, user, cursor=cursor, limit=limit, unread=True, source_id=source_id, tag=tag
    )
    return {
        "total_unread": sum(s["unread"] for s in per_source),
        "sources": per_source,
        "tags": [{"tag": t, "unread": n} for t, n in sorted(tags.items())],
        "source_id": source_id,
        "tag": tag,
        **page,
    }


def article(conn: Connection, user: User, article_id: int) -> dict[str, Any]:
    """The reader view: clean text, credits, understanding, story and its coverage, state."""
    from newsdesk.store import articles as repo
    from newsdesk.store import follows as follow_store
    from newsdesk.store import reading
    from newsdesk.store import stories as story_repo
    from newsdesk.store.understanding import load_understanding

    aid, art, fetched = repo.get_article(conn, article_id)
    understanding = load_understanding(conn, aid) or {}
    story = story_repo.story_of_article(conn, aid)
    coverage: list[dict[str, Any]] = []
    story_data = None
    if story is not None:
        members = story_repo.members(conn, story.id)
        coverage = [
            {
                "article_id": m.article_id,
                "outlet": m.outlet,
                "headline": m.headline,
                "published": m.published_at.isoformat(),
            }
            for m in members
            if m.article_id != aid
        ]
        story_data = {
            "key": story.key,
            "headline": story.headline,
            "outlet_count": story.outlet_count,
        }
    read, starred = reading.states(conn, user.id, [aid]).get(aid, (False, False))
    follows = {(f.kind, f.label.lower()) for f in follow_store.list_follows(conn, user.id)}
    follows |= {(f.kind, f.target) for f in follow_store.list_follows(conn, user.id)}
    credits = [
        {
            "name": c.name,
            "kind": c.kind,
            "role": c.role,
            "place": c.place,
            # Every credited person is followed as an author: a contributor's later
            # bylines are what a reader wants when they press Follow.
            "follow_kind": "author",
            "following": ("author", c.name.lower()) in follows,
        }
        for c in art.credits
        if c.kind != "agency"
    ]
    if not credits:
        credits = [
            {
                "name": name,
                "kind": "author",
                "role": None,
                "place": None,
                "follow_kind": "author",
                "following": ("author", name.lower()) in follows,
            }
            for name in art.authors
        ]
    ents = [
        {
            "id": e["id"],
            "name": e["name"],
            "kind": e["kind"],
            "following": (e["kind"], str(e["id"])) in follows,
        }
        for e in understanding.get("entities", [])
        if e["kind"] in ("person", "org", "place")
    ]
    tops = [
        {
            "key": t["key"],
            "name": t["name"],
            "following": ("topic", t["key"]) in follows,
        }
        for t in understanding.get("topics", [])
    ]
    return {
        "id": aid,
        "title": art.title,
        "outlet": art.outlet,
        "url": art.canonical_url or art.url,
        "published_at": art.published.isoformat() if art.published else None,
        "fetched_at": fetched.isoformat(),
        "language": art.language,
        "paragraphs": list(art.paragraphs),
        "credits": credits,
        "summary": understanding.get("summary") or "",
        "entities": ents,
        "topics": tops,
        "quotes": [
            {
                "quote": q["quote"],
                "speaker": q["speaker"],
                "speaker_entity_id": q["speaker_entity_id"],
            }
            for q in understanding.get("quotes", [])
        ],
        "figures": [
            {"text": f["text"], "unit": f["unit"], "counts": f["counts"]}
            for f in understanding.get("figures", [])
        ],
        "story": story_data,
        "coverage": coverage,
        "read": read,
        "starred": starred,
    }


def story(conn: Connection, user: User, key: str) -> dict[str, Any]:
    from newsdesk.store import stories as repo

    if len(key) > 40 or (key.isdigit() and int(key) > MAX_ID):
        raise NotFoundError(f"no story {key[:40]!r}")
    row = repo.get_story(conn, key)
    members = repo.members(conn, row.id)
    factors = row.factors or {}
    why = [f"{row.outlet_count} outlets covered it"]
    if factors.get("velocity"):
        why.append(f"{factors['velocity']} articles in the last 6 hours")
    return {
        "id": int(row.id),
        "key": row.key,
        "status": row.status,
        "headline": row.headline,
        "summary": row.summary,
        "first_seen": row.first_seen.isoformat(),
        "last_seen": row.last_seen.isoformat(),
        "article_count": row.size,
        "outlet_count": row.outlet_count,
        "outlets": list(row.outlets or []),
        "importance": row.importance,
        "factors": factors,
        "why": why,
        "members": [
            {
                "article_id": m.article_id,
                "published": m.published_at.isoformat(),
                "outlet": m.outlet,
                "headline": m.headline,
                "url": m.canonical_url or m.url,
                "duplicate_of": m.duplicate_of,
            }
            for m in members
        ],
        "timeline": list(row.timeline or []),
    }


def stories_list(conn: Connection, *, limit: int = DEFAULT_PAGE) -> dict[str, Any]:
    from newsdesk.store import stories as repo

    rows = repo.list_stories(conn, limit=check_limit(limit))
    return {
        "stories": [
            {
                "key": r.key,
                "headline": r.headline,
                "outlet_count": r.outlet_count,
                "article_count": r.size,
                "last_seen": r.last_seen.isoformat(),
            }
            for r in rows
        ]
    }


def entity_page(conn: Connection, user: User, kind: str, entity_id: int) -> dict[str, Any]:
    from newsdesk.store import follows as follow_store
    from newsdesk.store import reading

    row = reading.entity(conn, entity_id)
    if row is None or row.kind != kind:
        raise NotFoundError(f"no {kind} with id {entity_id}")
    ids = reading.ids_reaching(conn, kind, str(entity_id), limit=DEFAULT_PAGE)
    following = any(
        f.kind == kind and f.target == str(entity_id)
        for f in follow_store.list_follows(conn, user.id)
    )
    data: dict[str, Any] = {
        "id": int(row.id),
        "kind": kind,
        "name": row.name,
        "following": following,
        "articles": card_dicts(conn, user, _cards(conn, ids)),
    }
    if kind == "person":
        data["quotes"] = reading.quotes_by(conn, entity_id)
    return data


def topic_page(conn: Connection, user: User, key: str) -> dict[str, Any]:
    from newsdesk.store import follows as follow_store
    from newsdesk.store import reading

    row = reading.topic(conn, key[:400])
    if row is None:
        raise NotFoundError(f"no topic {key[:80]!r}")
    ids = reading.ids_reaching(conn, "topic", row.key, limit=DEFAULT_PAGE)
    following = any(
        f.kind == "topic" and f.target == row.key for f in follow_store.list_follows(conn, user.id)
    )
    return {
        "key": row.key,
        "name": row.name,
        "following": following,
        "articles": card_dicts(conn, user, _cards(conn, ids)),
    }


def outlet_page(conn: Connection, user: User, outlet_id: int) -> dict[str, Any]:
    from newsdesk.store import follows as follow_store
    from newsdesk.store import reading

    row = reading.outlet(conn, outlet_id)
    if row is None:
        raise NotFoundError(f"no outlet with id {outlet_id}")
    ids = reading.ids_reaching(conn, "outlet", str(outlet_id), limit=DEFAULT_PAGE)
    following = any(
        f.kind == "outlet" and f.target == str(outlet_id)
        for f in follow_store.list_follows(conn, user.id)
    )
    return {
        "id": int(row.id),
        "name": row.name,
        "domain": row.domain,
        "following": following,
        "articles": card_dicts(conn, user, _cards(conn, ids)),
    }


def search(
    conn: Connection,
    user: User,
    query: str,
    *,
    now: datetime,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
) -> dict[str, Any]:
    from newsdesk.follow.query import parse_query
    from newsdesk.store import follows as store

    limit = check_limit(limit)
    saved = [
        {"id": sid, "name": name, "query": text}
        for sid, name, text in store.list_saved_searches(conn, user.id)
    ]
    if not query.strip():
        return {"query": "", "articles": [], "next_cursor": None, "saved_searches": saved}
    if len(query) > 500:
        raise InputError("query is longer than 500 characters", hint="shorten it")
    parsed = parse_query(query)
    ids = store.search_ids(
        conn,
        parsed,
        now=now,
        mute_list=store.list_mutes(conn, user.id),
        limit=limit + 1,
        before_id=decode_cursor(cursor),
    )
    return {"query": parsed.render(), **_page(conn, user, ids, limit), "saved_searches": saved}


def sources_page(conn: Connection) -> dict[str, Any]:
    from newsdesk.store import sources as repo

    rows = repo.list_sources(conn)
    counts = repo.item_counts(conn)
    return {
        "sources": [
            {
                "id": r.id,
                "url": r.url,
                "title": r.title,
                "tags": list(r.tags),
                "paused": r.paused,
                "pause_reason": r.pause_reason,
                "last_success_at": r.last_success_at.isoformat() if r.last_success_at else None,
                "last_error": r.last_error,
                "last_error_at": r.last_error_at.isoformat() if r.last_error_at else None,
                "consecutive_failures": r.consecutive_failures,
                "items": counts.get(r.id, 0),
            }
            for r in rows
        ]
    }
