"""The robust fallback: feedparser, for documents our fast readers cannot place.

Why keep feedparser at all: it is the reference for tolerance. Its loose
parser reads markup that no XML parser accepts, and it knows rare dialects
(Microsoft CDF, odd roots). It is some 50 times slower than the lxml path, so
it only sees what that path could not recognise as a feed. It is handed the
bytes with their document type declaration already removed, so nothing it
does can expand an entity declared by the feed.
"""

from __future__ import annotations

import calendar
import io
from datetime import UTC, datetime
from typing import Any

from newsdesk.models import Enclosure, FeedInfo, FeedItem
from newsdesk.sources.feeds.text import (
    author_name,
    clean_html,
    entry_key,
    plain_text,
    resolve,
    unique,
)


def _date(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _length(value: Any) -> int | None:
    try:
        size = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return size if size >= 0 else None


def read_with_feedparser(
    data: bytes, url: str | None, *, known_feed: bool = False
) -> tuple[FeedInfo, list[FeedItem], bool, list[str]] | None:
    """Parse with feedparser; None when it found neither a feed format nor any entry.

    ``known_feed`` is set for dialects we recognised ourselves (CDF), which are
    feeds even when feedparser reports no version for them.
    """
    import feedparser

    result = feedparser.parse(
        io.BytesIO(data), response_headers={"content-location": url} if url else None
    )
    entries_raw = result.get("entries") or []
    feed = result.get("feed") or {}
    version = result.get("version") or ""
    if not known_feed and not version and not entries_raw and not feed.get("title"):
        return None
    info = FeedInfo(
        title=plain_text(feed.get("title")),
        link=resolve(feed.get("link"), url),
        description=clean_html(feed.get("subtitle")),
        language=feed.get("language"),
        updated=_date(feed.get("updated_parsed")),
        format=version or ("cdf" if known_feed else "unknown"),
    )
    entries = [_entry(e, url) for e in entries_raw]
    warnings = ["read by the tolerant fallback parser"]
    exc = result.get("bozo_exception")
    if exc is not None:
        warnings.append(f"{type(exc).__name__}: {str(exc)[:160]}")
    return info, entries, bool(result.get("bozo")), warnings


def _entry(entry: Any, url: str | None) -> FeedItem:
    link = resolve(entry.get("link"), url)
    title = plain_text(entry.get("title"))
    published = _date(entry.get("published_parsed"))
    updated = _date(entry.get("updated_parsed"))
    summary = clean_html(entry.get("summary"))
    contents = entry.get("content") or []
    content = clean_html(contents[0].get("value")) if contents else None
    authors = [author_name(a.get("name")) for a in entry.get("authors") or [] if a]
    if not authors and entry.get("author"):
        authors = [author_name(entry.get("author"))]
    categories = [plain_text(t.get("term") or t.get("label")) for t in entry.get("tags") or []]
    enclosures = [
        Enclosure(url=e["href"], type=e.get("type") or None, length=_length(e.get("length")))
        for e in entry.get("enclosures") or []
        if e.get("href")
    ]
    return FeedItem(
        key=entry_key(entry.get("id"), link, title, published or updated, content or summary),
        link=link,
        title=title,
        authors=unique(authors),
        published=published,
        updated=updated,
        summary=summary if summary != content else None,
        content=content,
        enclosures=tuple(enclosures),
        categories=unique(categories),
    )
