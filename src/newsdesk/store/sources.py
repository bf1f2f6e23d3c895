"""Queries on sources and their feed items.

Health bookkeeping (successes, failures, pauses, the next refresh) is written
only here, so ``sources list``, the web app and the refresher agree on what a
source's state means.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from newsdesk.config import get_settings
from newsdesk.errors import InputError, NotFoundError
from newsdesk.models import FeedInfo, FeedItem
from newsdesk.safe_text import clean_line, web_url
from newsdesk.store.tables import feed_items, sources


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One source with its health, as stored."""

    id: int
    url: str
    kind: str
    title: str | None
    site_url: str | None
    tags: tuple[str, ...]
    paused: bool
    pause_reason: str | None
    etag: str | None
    last_modified: str | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    next_refresh_at: datetime | None
    interval_seconds: int | None
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["tags"] = list(self.tags)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.isoformat()
        return data


def _row(row: Any) -> SourceRow:
    return SourceRow(
        id=int(row.id),
        url=row.url,
        kind=row.kind,
        title=row.title,
        site_url=row.site_url,
        tags=tuple(row.tags or ()),
        paused=bool(row.paused),
        pause_reason=row.pause_reason,
        etag=row.etag,
        last_modified=row.last_modified,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=int(row.consecutive_failures or 0),
        next_refresh_at=row.next_refresh_at,
        interval_seconds=row.interval_seconds,
        created_at=row.created_at,
    )


def add_source(
    conn: Connection,
    url: str,
    *,
    now: datetime,
    title: str | None = None,
    site_url: str | None = None,
    tags: Sequence[str] = (),
    kind: str = "feed",
) -> tuple[int, bool]:
    """Insert a source, or find the one with this URL: ``(id, created)``."""
    existing = conn.execute(select(sources.c.id).where(sources.c.url == url)).first()
    if existing is not None:
        return int(existing.id), False
    title = title and (clean_line(title, 500) or None)
    site_url = web_url(site_url)
    tags = [t for t in (clean_line(tag, 100) for tag in tags) if t]
    result = conn.execute(
        sources.insert().values(
            url=url,
            kind=kind,
            title=title,
            site_url=site_url,
            tags=sorted(set(tags)),
            paused=False,
            consecutive_failures=0,
            created_at=now,
            updated_at=now,
        )
    )
    return int(result.inserted_primary_key[0]), True  # type: ignore[index]


def get_source(conn: Connection, ref: str | int) -> SourceRow:
    """A source by id (``12``) or by its exact URL."""
    query = select(sources)
    if isinstance(ref, int) or (str(ref).isascii() and str(ref).isdigit()):
        query = query.where(sources.c.id == int(ref))
    else:
        query = query.where(sources.c.url == ref)
    row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no source {ref!r}", hint="`newsdesk sources list` shows ids and URLs")
    return _row(row)


def list_sources(conn: Connection, *, tag: str | None = None) -> list[SourceRow]:
    rows = [_row(r) for r in conn.execute(select(sources).order_by(sources.c.id))]
    if tag is not None:
        rows = [r for r in rows if tag in r.tags]
    return rows


def item_counts(conn: Connection) -> dict[int, int]:
    """Feed items stored per source id."""
    query = select(feed_items.c.source_id, func.count()).group_by(feed_items.c.source_id)
    return {int(row[0]): int(row[1]) for row in conn.execute(query)}


def remove_source(conn: Connection, source_id: int) -> None:
    """Delete a source and its feed items; its articles stay (unlinked)."""
    conn.execute(delete(feed_items).where(feed_items.c.source_id == source_id))
    result = conn.execute(delete(sources).where(sources.c.id == source_id))
    if result.rowcount == 0:
        raise NotFoundError(f"no source {source_id}")


def set_paused(
    conn: Connection, source_id: int, paused: bool, *, now: datetime, reason: str | None = None
) -> None:
    """Pause (with the reason shown to the user) or resume by hand; resuming clears failures."""
    values: dict[str, Any] = {"paused": paused, "pause_reason": reason if paused else None}
    if not paused:
        values.update(consecutive_failures=0, next_refresh_at=now)
    values["updated_at"] = now
    result = conn.execute(update(sources).where(sources.c.id == source_id).values(**values))
    if result.rowcount == 0:
        raise NotFoundError(f"no source {source_id}")


def due_sources(
    conn: Connection, now: datetime, *, include_not_due: bool = False
) -> list[SourceRow]:
    """Sources to refresh now: not paused, and never refreshed or past their next time."""
    query = select(sources).where(sources.c.paused.is_(False), sources.c.kind == "feed")
    if not include_not_due:
        query = query.where(
            or_(sources.c.next_refresh_at.is_(None), sources.c.next_refresh_at <= now)
        )
    return [_row(r) for r in conn.execute(query.order_by(sources.c.next_refresh_at, sources.c.id))]


def next_due_at(conn: Connection) -> datetime | None:
    """When the earliest unpaused source falls due (None: nothing to refresh)."""
    query = select(func.min(sources.c.next_refresh_at)).where(sources.c.paused.is_(False))
    value = conn.execute(query).scalar()
    if value is None:
        return None
    from newsdesk.store.types import UTCDateTime

    return UTCDateTime().process_result_value(value, conn.dialect)


def record_success(
    conn: Connection,
    source_id: int,
    *,
    now: datetime,
    etag: str | None,
    last_modified: str | None,
    next_refresh_at: datetime,
    interval_seconds: int,
    new_url: str | None = None,
    title: str | None = None,
    site_url: str | None = None,
) -> None:
    values: dict[str, Any] = {
        "etag": etag,
        "last_modified": last_modified,
        "last_success_at": now,
        "consecutive_failures": 0,
        "last_error": None,
        "last_error_at": None,
        "next_refresh_at": next_refresh_at,
        "interval_seconds": interval_seconds,
        "updated_at": now,
    }
    if new_url:
        values["url"] = new_url
    current = conn.execute(
        select(sources.c.title, sources.c.site_url).where(sources.c.id == source_id)
    ).first()
    if current is not None:
        title = title and clean_line(title, 500)
        if title and not current.title:
            values["title"] = title
        site_url = web_url(site_url)
        if site_url and not current.site_url:
            values["site_url"] = site_url[:2048]
    conn.execute(update(sources).where(sources.c.id == source_id).values(**values))


def record_failure(
    conn: Connection,
    source_id: int,
    *,
    now: datetime,
    error: str,
    next_refresh_at: datetime,
    max_failures: int,
    pause_now: str | None = None,
) -> tuple[int, bool]:
    """Count a failed refresh; pause after ``max_failures`` in a row (or at once with a reason).

    Returns ``(consecutive_failures, paused)``.
    """
    row = conn.execute(
        select(sources.c.consecutive_failures).where(sources.c.id == source_id)
    ).first()
    failures = int(row.consecutive_failures or 0) + 1 if row is not None else 1
    values: dict[str, Any] = {
        "consecutive_failures": failures,
        "last_error": error,
        "last_error_at": now,
        "next_refresh_at": next_refresh_at,
        "updated_at": now,
    }
    reason = pause_now
    if reason is None and failures >= max_failures:
        reason = f"paused after {failures} failed refreshes in a row; last error: {error}"
    if reason is not None:
        values.update(paused=True, pause_reason=reason)
    conn.execute(update(sources).where(sources.c.id == source_id).values(**values))
    return failures, reason is not None


def record_deferred(
    conn: Connection, source_id: int, *, now: datetime, next_refresh_at: datetime
) -> None:
    """Not tried this time (its host asked for a pause): only the next time moves."""
    conn.execute(
        update(sources)
        .where(sources.c.id == source_id)
        .values(next_refresh_at=next_refresh_at, updated_at=now)
    )


def url_taken(conn: Connection, url: str, *, other_than: int) -> bool:
    query = select(sources.c.id).where(and_(sources.c.url == url, sources.c.id != other_than))
    return conn.execute(query).first() is not None


# --- feed items -------------------------------------------------------------


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def item_fingerprint(item: FeedItem) -> str:
    """What makes an entry 'changed': its visible fields, not the order or time we saw it."""
    parts = [
        item.link or "",
        item.title or "",
        item.summary or "",
        item.content or "",
        "|".join(item.authors),
        item.updated.isoformat() if item.updated else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class KnownItem:
    id: int
    content_hash: str
    article_id: int | None


def known_items(conn: Connection, source_id: int, keys: Iterable[str]) -> dict[str, KnownItem]:
    """The stored items of ``source_id`` among ``keys``, by key."""
    by_hash = {key_hash(k): k for k in keys}
    if not by_hash:
        return {}
    found: dict[str, KnownItem] = {}
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        cols = (feed_items.c.id, feed_items.c.key_hash, feed_items.c.content_hash)
        query = select(*cols, feed_items.c.article_id).where(
            feed_items.c.source_id == source_id, feed_items.c.key_hash.in_(chunk)
        )
        for row in conn.execute(query):
            found[by_hash[row.key_hash]] = KnownItem(int(row.id), row.content_hash, row.article_id)
    return found


def _item_values(item: FeedItem) -> dict[str, Any]:
    limit = get_settings().max_title_chars
    link = web_url(item.link)  # only a web link is kept: never javascript: or data:
    return {
        "link": link[:2048] if link else None,
        "title": item.title and clean_line(item.title, limit),
        "authors": [clean_line(a, limit) for a in item.authors],
        "summary": item.summary,
        "content": item.content,
        "categories": list(item.categories),
        "enclosures": [{"url": e.url, "type": e.type, "length": e.length} for e in item.enclosures],
        "published": item.published,
        "updated": item.updated,
        "content_hash": item_fingerprint(item),
    }


def item_row(
    source_id: int,
    item: FeedItem,
    *,
    now: datetime,
    article_id: int | None,
    full_text: str | None = None,
    article_error: str | None = None,
) -> dict[str, Any]:
    """The feed_items row for ``item`` (for :func:`insert_items`)."""
    if not item.key:
        raise InputError("feed item without a key", hint="the parser gives every entry one")
    return {
        "source_id": source_id,
        "key": item.key,
        "key_hash": key_hash(item.key),
        "article_id": article_id,
        "full_text": full_text,
        "article_error": article_error,
        "first_seen_at": now,
        "updated_at": now,
        **_item_values(item),
    }


def insert_items(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many feed items in one statement (rows from :func:`item_row`)."""
    if rows:
        # Parameters passed to execute (not .values()) keep one cached compiled statement.
        conn.execute(feed_items.insert(), list(rows))


def insert_item(
    conn: Connection,
    source_id: int,
    item: FeedItem,
    *,
    now: datetime,
    article_id: int | None,
    full_text: str | None = None,
    article_error: str | None = None,
) -> int:
    row = item_row(
        source_id,
        item,
        now=now,
        article_id=article_id,
        full_text=full_text,
        article_error=article_error,
    )
    result = conn.execute(feed_items.insert(), row)
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update_item(conn: Connection, item_id: int, item: FeedItem, *, now: datetime) -> None:
    """An entry the publisher edited: new fields, same row (never a second one)."""
    conn.execute(
        update(feed_items)
        .where(feed_items.c.id == item_id)
        .values(updated_at=now, **_item_values(item))
    )


def recent_item_times(conn: Connection, source_id: int, *, limit: int = 50) -> list[datetime]:
    """Publication times (else first-seen times) of a source's newest items, for scheduling."""
    when = func.coalesce(feed_items.c.published, feed_items.c.first_seen_at)
    query = (
        select(feed_items.c.published, feed_items.c.first_seen_at)
        .where(feed_items.c.source_id == source_id)
        .order_by(when.desc())
        .limit(limit)
    )
    return [row.published or row.first_seen_at for row in conn.execute(query)]


def source_items(conn: Connection, source_id: int, *, limit: int = 20) -> list[dict[str, Any]]:
    query = (
        select(
            feed_items.c.id,
            feed_items.c.title,
            feed_items.c.link,
            feed_items.c.published,
            feed_items.c.article_id,
            feed_items.c.full_text,
            feed_items.c.article_error,
        )
        .where(feed_items.c.source_id == source_id)
        .order_by(feed_items.c.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


#: ``feed_items.full_text`` of an entry whose page a full-text job is to fetch (workers).
FULL_TEXT_QUEUED = "queued"


def queued_full_text(conn: Connection, source_id: int) -> list[int]:
    """Ids of ``source_id``'s entries still waiting for their full-text job, oldest first."""
    query = (
        select(feed_items.c.id)
        .where(
            feed_items.c.source_id == source_id,
            feed_items.c.full_text == FULL_TEXT_QUEUED,
            feed_items.c.article_id.is_(None),
        )
        .order_by(feed_items.c.id)
    )
    return [int(row.id) for row in conn.execute(query)]


def queued_entry(
    conn: Connection, item_id: int, *, lock: bool = False
) -> tuple[int, FeedItem, FeedInfo] | None:
    """(source id, the entry, what is kept of its feed) while entry ``item_id`` waits for its
    full-text job; None once it has its article (or is gone). ``lock``: hold the row
    (PostgreSQL) until the transaction ends, so one job of two stores the article."""
    query = (
        select(feed_items, sources.c.title.label("feed_title"), sources.c.site_url)
        .join(sources, sources.c.id == feed_items.c.source_id)
        .where(
            feed_items.c.id == item_id,
            feed_items.c.full_text == FULL_TEXT_QUEUED,
            feed_items.c.article_id.is_(None),
        )
    )
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update(of=feed_items)
    row = conn.execute(query).first()
    if row is None:
        return None
    item = FeedItem(
        key=row.key,
        link=row.link,
        title=row.title,
        authors=tuple(row.authors or ()),
        published=row.published,
        updated=row.updated,
        summary=row.summary,
        content=row.content,
        categories=tuple(row.categories or ()),
    )
    return int(row.source_id), item, FeedInfo(title=row.feed_title, link=row.site_url)


def set_entry_article(
    conn: Connection,
    item_id: int,
    *,
    article_id: int | None,
    full_text: str | None,
    error: str | None,
) -> None:
    """What the full-text job made of entry ``item_id``: its article, how, and why not."""
    conn.execute(
        update(feed_items)
        .where(feed_items.c.id == item_id)
        .values(article_id=article_id, full_text=full_text, article_error=error)
    )
