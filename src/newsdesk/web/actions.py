"""Write actions shared by the pages and the API: add a source (discovering a site's
feed), OPML import and export, pause and resume. One function per action, so the two
faces cannot behave differently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsdesk.config import Settings
from newsdesk.errors import InputError
from newsdesk.store.db import Database


def _now() -> datetime:
    return datetime.now(UTC)


def add_source(
    db: Database, url: str, *, tags: list[str] | None = None, check: bool = True
) -> dict[str, Any]:
    """Add a feed, or a site whose first feed is discovered; returns the source."""
    from newsdesk.sources.discover import DiscoveredFeed, discover
    from newsdesk.sources.fetch.ssrf import split_host
    from newsdesk.store import sources as repo

    url = url.strip()
    split_host(url)  # scheme and host checked before any fetch
    found = discover(url) if check else [DiscoveredFeed(url)]
    if not found:
        raise InputError(
            f"no feed found at {url}",
            hint="give the feed's own URL (look for an RSS or Atom link on the site)",
        )
    feed = found[0]
    with db.begin() as conn:
        source_id, created = repo.add_source(
            conn,
            feed.url,
            now=_now(),
            title=feed.title,
            site_url=feed.site_url,
            tags=[t[:100] for t in (tags or [])][:20],
        )
        row = repo.get_source(conn, source_id)
    return {"id": row.id, "url": row.url, "title": row.title, "created": created}


def import_opml(db: Database, body: bytes, settings: Settings) -> dict[str, int]:
    from newsdesk.sources.opml import parse_opml
    from newsdesk.store import sources as repo

    if len(body) > settings.max_feed_bytes:
        raise InputError(f"the OPML file is over the {settings.max_feed_bytes:,}-byte limit")
    if not body.strip():
        raise InputError("the OPML file is empty", hint="export it again from your reader")
    feeds = parse_opml(body, origin="upload")
    added = 0
    with db.begin() as conn:
        for feed in feeds:
            _id, created = repo.add_source(
                conn, feed.url, now=_now(), title=feed.title, site_url=feed.site_url, tags=feed.tags
            )
            added += created
    return {"feeds": len(feeds), "added": added}


def export_opml(db: Database) -> bytes:
    from newsdesk.sources.opml import feeds_from_rows, render_opml
    from newsdesk.store import sources as repo

    with db.connect() as conn:
        rows = repo.list_sources(conn)
    return bytes(render_opml(feeds_from_rows(rows), now=_now()))


def set_paused(db: Database, source_id: int, paused: bool) -> None:
    from newsdesk.store import sources as repo

    with db.begin() as conn:
        row = repo.get_source(conn, source_id)
        repo.set_paused(
            conn, row.id, paused, now=_now(), reason="paused on the web" if paused else None
        )
