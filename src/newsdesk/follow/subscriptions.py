"""Sources a reader subscribes to: add (discovering a site's feeds), import and export OPML,
pause, resume, remove. One function per use case, each owning its transaction.

Sources are shared by the whole install (the refresh job reads them all), so
these take no user; what a user reads of them is their follows and read state.
Fetching (discovery) and parsing (OPML) are the sources stage's; the rows are
the store's; this module joins the two so no face repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.errors import InputError
from newsdesk.store import sources as repo
from newsdesk.store.db import Database, open_database
from newsdesk.store.sources import SourceRow


def _db(db: Database | None) -> Database:
    return db if db is not None else open_database()


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AddedSource:
    id: int
    url: str
    title: str | None
    created: bool  # False: a source with this URL was already there


@dataclass(frozen=True, slots=True)
class OpmlImport:
    feeds: int
    added: int

    @property
    def already_there(self) -> int:
        return self.feeds - self.added


def add_source(
    url: str,
    *,
    tags: list[str] | None = None,
    title: str | None = None,
    all_feeds: bool = False,
    check: bool = True,
    db: Database | None = None,
    now: datetime | None = None,
) -> list[AddedSource]:
    """Add a feed, or a site whose feeds are discovered (the first, or ``all_feeds``).

    With ``check`` off the URL is added as a feed without fetching it now.
    """
    from newsdesk.sources.discover import DiscoveredFeed, discover
    from newsdesk.sources.fetch.ssrf import split_host

    split_host(url)  # scheme and host checked before anything else
    if not check:
        found = [DiscoveredFeed(url)]
    else:
        found = discover(url)
        if not found:
            raise InputError(
                f"no feed found at {url}",
                hint="give the feed's own URL (look for an RSS or Atom link on the site)",
            )
        if not all_feeds:
            found = found[:1]
    added = []
    with _db(db).begin() as conn:
        for feed in found:
            source_id, created = repo.add_source(
                conn,
                feed.url,
                now=_now(now),
                title=title or feed.title,
                site_url=feed.site_url,
                tags=tags or [],
            )
            added.append(AddedSource(source_id, feed.url, title or feed.title, created))
    return added


def import_opml(
    path: Path, *, max_bytes: int, db: Database | None = None, now: datetime | None = None
) -> OpmlImport:
    """Import subscriptions from an OPML file; folders become tags, known feeds are kept."""
    from newsdesk.sources.opml import parse_opml

    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path} is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", hint="check the path") from exc
    feeds = parse_opml(data, origin=str(path))
    added = 0
    with _db(db).begin() as conn:
        for feed in feeds:
            _id, created = repo.add_source(
                conn,
                feed.url,
                now=_now(now),
                title=feed.title,
                site_url=feed.site_url,
                tags=feed.tags,
            )
            added += created
    return OpmlImport(len(feeds), added)


def export_opml(*, db: Database | None = None, now: datetime | None = None) -> tuple[bytes, int]:
    """Every source as an OPML 2.0 document (tags become folders), and how many there are."""
    from newsdesk.sources.opml import feeds_from_rows, render_opml

    with _db(db).connect() as conn:
        rows = repo.list_sources(conn)
    return render_opml(feeds_from_rows(rows), now=_now(now)), len(rows)


def remove_source(ref: str, *, db: Database | None = None) -> SourceRow:
    """Remove a source (by id or URL) and its feed items; stored articles stay."""
    with _db(db).begin() as conn:
        row = repo.get_source(conn, ref)
        repo.remove_source(conn, row.id)
    return row


def pause_source(
    ref: str, *, reason: str, db: Database | None = None, now: datetime | None = None
) -> SourceRow:
    with _db(db).begin() as conn:
        row = repo.get_source(conn, ref)
        repo.set_paused(conn, row.id, True, now=_now(now), reason=reason)
    return row


def resume_source(
    ref: str, *, db: Database | None = None, now: datetime | None = None
) -> SourceRow:
    with _db(db).begin() as conn:
        row = repo.get_source(conn, ref)
        repo.set_paused(conn, row.id, False, now=_now(now))
    return row


def source_ids(refs: list[str], *, db: Database | None = None) -> list[int]:
    """The ids of the sources named by id or URL (NotFoundError for one that is unknown)."""
    with _db(db).connect() as conn:
        return [repo.get_source(conn, ref).id for ref in refs]
