"""Atom feeds out: a user's Following, one story, one saved search, their editions.

A feed reader cannot sign in, so each feed URL carries a private token
(``?token=``): a feed token made on the Settings page (it opens feeds only) or an
API token. Revoking the token closes every feed URL that carries it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsdesk.web import data
from newsdesk.web.auth import feed_user, now
from newsdesk.web.data import IdPath
from newsdesk.web.problems import WebError

router = APIRouter(prefix="/feeds", include_in_schema=False)
Token = Annotated[str, Query(max_length=200)]
ATOM = "application/atom+xml; charset=utf-8"


def _iso(value: str | datetime | None) -> str:
    if value is None:
        return datetime.now(UTC).isoformat()
    return value if isinstance(value, str) else value.isoformat()


def render_atom(base: str, feed_id: str, title: str, entries: list[dict[str, Any]]) -> bytes:
    """An Atom 1.0 document; every text escaped."""
    updated = max((_iso(e.get("published_at")) for e in entries), default=_iso(None))
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{escape(base + feed_id)}</id>",
        f"<title>{escape(title)}</title>",
        f"<updated>{escape(updated)}</updated>",
        "<generator>newsdesk</generator>",
    ]
    for e in entries:
        link = f"{base}/articles/{e['id']}"
        authors = (
            "".join(f"<author><name>{escape(a)}</name></author>" for a in e.get("authors") or [])
            or "<author><name>" + escape(e.get("outlet") or "newsdesk") + "</name></author>"
        )
        parts += [
            "<entry>",
            f"<id>{escape(link)}</id>",
            f"<title>{escape(e.get('title') or '')}</title>",
            f'<link rel="alternate" href="{escape(e.get("url") or link, {chr(34): "&quot;"})}"/>',
            f"<updated>{escape(_iso(e.get('published_at')))}</updated>",
            authors,
            f"<summary>{escape(e.get('outlet') or '')}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def _atom(request: Request, feed_id: str, title: str, entries: list[dict[str, Any]]) -> Response:
    base = request.app.state.settings.base_url.rstrip("/")
    return Response(
        render_atom(base, feed_id, title, entries),
        media_type=ATOM,
        headers={"Cache-Control": "private, max-age=60"},
    )


@router.get("/following.atom")
def following_feed(request: Request, token: Token = "") -> Response:
    user = feed_user(request, token)
    page = data.following(request.app.state.db, user, now=now())
    entries = [e["article"] for e in page["entries"]]
    return _atom(request, "/feeds/following", f"Following — {user.display_name}", entries)


@router.get("/stories/{key}.atom")
def story_feed(request: Request, key: str, token: Token = "") -> Response:
    user = feed_user(request, token)
    page = data.story(request.app.state.db, user, key)
    entries = [
        {
            "id": m["article_id"],
            "title": m["headline"],
            "url": m["url"],
            "outlet": m["outlet"],
            "published_at": m["published"],
        }
        for m in page["members"]
    ]
    return _atom(request, f"/feeds/stories/{page['key']}", page["headline"], entries)


@router.get("/searches/{search_id}.atom")
def search_feed(request: Request, search_id: IdPath, token: Token = "") -> Response:
    from newsdesk.errors import NotFoundError
    from newsdesk.store import follows as store

    user = feed_user(request, token)
    with request.app.state.db.connect() as conn:
        try:
            name, query = store.get_saved_search(conn, user.id, search_id)
        except NotFoundError:
            raise WebError(404, "no such feed") from None
    page = data.search(request.app.state.db, user, query, now=now(), limit=50)
    return _atom(request, f"/feeds/searches/{search_id}", f"Search: {name}", page["items"])


@router.get("/editions.atom")
def editions_feed(request: Request, token: Token = "") -> Response:
    """The user's Morning and Evening Updates as a feed (the brief renders it)."""
    from newsdesk.jobs.editions import edition_feed

    user = feed_user(request, token)
    return Response(
        edition_feed(user.email).encode("utf-8"),
        media_type=ATOM,
        headers={"Cache-Control": "private, max-age=60"},
    )
