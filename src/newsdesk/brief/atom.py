"""Each user's Atom feed of their editions: a render function the web app mounts.

The entry id is the edition's Message-ID, so a feed reader and a mail client
name one edition the same way; the content is the archived HTML part.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from newsdesk.store.editions import OutboxEntry

ATOM = "http://www.w3.org/2005/Atom"


def _tag(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = text
    return element


def render_editions_feed(
    email: str, entries: Sequence[OutboxEntry], *, base_url: str, now: datetime
) -> str:
    """Atom XML of ``entries`` (newest first), for ``email``'s own feed page."""
    base = base_url.rstrip("/")
    feed = ET.Element("feed", {"xmlns": ATOM})
    _tag(feed, "id", f"{base}/editions/feed/{email}")
    _tag(feed, "title", f"newsdesk editions for {email}")
    updated = max((e.sent_at or e.built_at for e in entries), default=now)
    _tag(feed, "updated", updated.isoformat())
    _tag(feed, "link", href=f"{base}/editions", rel="alternate")
    author = _tag(feed, "author")
    _tag(author, "name", "newsdesk")
    for entry in entries:
        item = _tag(feed, "entry")
        _tag(item, "id", "urn:newsdesk:edition:" + entry.message_id.strip("<>"))
        _tag(item, "title", entry.subject)
        _tag(item, "updated", (entry.sent_at or entry.built_at).isoformat())
        _tag(item, "published", entry.window_end.isoformat())
        _tag(item, "link", href=f"{base}/editions/{entry.local_date}/{entry.slot}", rel="alternate")
        _tag(item, "summary", entry.text_part[:1000], type="text")
        _tag(item, "content", entry.html_part, type="html")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
