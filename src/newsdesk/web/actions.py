"""Write actions of the pages and the API that the follow stage's use cases do not cover
in the web's shape: an uploaded OPML body (the use case reads a file) and the source
answers as JSON. Everything else calls ``newsdesk.follow.subscriptions`` directly."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from newsdesk.config import Settings
from newsdesk.errors import InputError
from newsdesk.store.db import Database


def add_source(
    db: Database, url: str, *, tags: list[str] | None = None, check: bool = True
) -> dict[str, Any]:
    """Add a feed, or a site whose first feed is discovered; returns the source."""
    from newsdesk.follow.subscriptions import add_source as add

    added = add(url.strip(), tags=[t[:100] for t in (tags or [])][:20], check=check, db=db)[0]
    return {"id": added.id, "url": added.url, "title": added.title, "created": added.created}


def import_opml(db: Database, body: bytes, settings: Settings) -> dict[str, int]:
    """Import an uploaded OPML document (the use case reads it from a file)."""
    from newsdesk.follow.subscriptions import import_opml as do_import

    if len(body) > settings.max_feed_bytes:
        raise InputError(f"the OPML file is over the {settings.max_feed_bytes:,}-byte limit")
    if not body.strip():
        raise InputError("the OPML file is empty", hint="export it again from your reader")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.opml"
        path.write_bytes(body)
        done = do_import(path, max_bytes=settings.max_feed_bytes, db=db)
    return {"feeds": done.feeds, "added": done.added}


def export_opml(db: Database) -> bytes:
    from newsdesk.follow.subscriptions import export_opml as do_export

    return do_export(db=db)[0]


def set_paused(db: Database, source_id: int, paused: bool) -> None:
    from newsdesk.follow.subscriptions import pause_source, resume_source

    if paused:
        pause_source(str(source_id), reason="paused on the web", db=db)
    else:
        resume_source(str(source_id), db=db)
