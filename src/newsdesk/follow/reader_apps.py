"""What reader apps (Google Reader and Fever APIs) ask, decided on store reads.

The apps name things their own way: a stream id (``feed/URL``,
``user/-/label/NAME``, ``user/-/state/com.google/reading-list``), an item id
long or short, a folder. This module turns those into the user's follows, read
state and sources, and back. A subscription is the user's follow of a source;
unsubscribing also removes the source when no one else follows it. Folders and
titles an app sets are the user's own (``source_labels``): sources are shared,
one user's folders are not another's.

Follows of other kinds (a person, a topic, a saved search...) are labels named
``Follow: <label>``, so an app lists them beside folders and streams their articles.
Labels an app puts on single items (``edit-tag`` with ``user/-/label/NAME``) are
the user's too (``item_labels``): a label's stream holds the sources filed in the
folder of that name and the items labelled so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection

from newsdesk.errors import InputError, NotFoundError
from newsdesk.follow import read_state as rs
from newsdesk.follow.accounts import fever_key_hash
from newsdesk.follow.models import Follow
from newsdesk.store import read_state as read_store
from newsdesk.store import reader_apps as store
from newsdesk.store.accounts import User
from newsdesk.store.read_state import Reach
from newsdesk.store.reader_apps import ItemRow, StreamQuery, Subscription

FOLLOW_LABEL = "Follow: "
READING_LIST = "user/-/state/com.google/reading-list"
STARRED = "user/-/state/com.google/starred"
READ = "user/-/state/com.google/read"
KEPT_UNREAD = "user/-/state/com.google/kept-unread"
LABEL = "user/-/label/"
LONG_ID = "tag:google.com,2005:reader/item/"
#: The most items one page of a stream holds, whatever ``n`` asks.
MAX_PAGE = 1000
_HEX16 = re.compile(r"[0-9a-fA-F]{1,16}")
#: ``user/-/label/NAME``; some apps put the user id where the ``-`` is.
_LABEL_ID = re.compile(r"user/[^/]{1,40}/label/(.*)", re.DOTALL)
#: The longest folder or label name kept.
MAX_LABEL = 100


# --- credentials --------------------------------------------------------------------------------


def fever_user(conn: Connection, api_key: str) -> User | None:
    if not api_key or len(api_key) > 100:
        return None
    return store.fever_key_user(conn, fever_key_hash(api_key))


# --- item ids -----------------------------------------------------------------------------------


def long_id(article_id: int) -> str:
    return f"{LONG_ID}{article_id:016x}"


def parse_item_id(text: str) -> int:
    """An item id as the apps send it: long (``tag:...item/<hex>``), bare hex of 16, or decimal."""
    value = text.strip()
    if value.startswith(LONG_ID):
        digits = value[len(LONG_ID) :]
        if _HEX16.fullmatch(digits):
            number = int(digits, 16)
            if 0 < number < 2**63:
                return number
    elif (value.isascii() and value.isdigit()) and len(value) < 19:
        if int(value) > 0:
            return int(value)
    elif len(value) == 16 and _HEX16.fullmatch(value):
        return int(value, 16)
    raise InputError(f"{text[:80]!r} is not an item id")


# --- labels and folders -------------------------------------------------------------------------


def label_name(tag: str) -> str | None:
    """The NAME of a ``user/-/label/NAME`` tag (None for states and anything else)."""
    found = _LABEL_ID.fullmatch(tag)
    return None if found is None else found.group(1)


def item_label(tag: str) -> str:
    """A label an app may put on an item: not empty, not too long, not a follow's name."""
    name = (label_name(tag) or "").strip()
    if not name or len(name) > MAX_LABEL:
        raise InputError(f"a label is user/-/label/NAME with 1 to {MAX_LABEL} characters")
    if name.startswith(FOLLOW_LABEL):
        raise InputError(
            f"labels named {FOLLOW_LABEL!r}... stream your follows and are not put on items",
            hint="follow or unfollow in newsdesk itself",
        )
    return name


def follow_labels(follows: Sequence[Follow]) -> dict[str, Follow]:
    """Label name -> the follow it streams (every follow that is not a source)."""
    return {FOLLOW_LABEL + f.label: f for f in follows if f.kind != "source"}


@dataclass(frozen=True, slots=True)
class Overview:
    """The user's subscriptions, follow labels and unread counts (what list calls return)."""

    subscriptions: tuple[Subscription, ...]
    labels: tuple[str, ...]  # folders and item labels, then follow labels, sorted
    item_labels: frozenset[str]  # the labels put on items (not a folder of any subscription)
    unread_sources: dict[int, int]
    unread_labels: dict[str, int]
    unread_total: int
    starred: int


def overview(conn: Connection, user_id: int, *, now: datetime, counts: bool = True) -> Overview:
    subs = store.subscriptions(conn, user_id)
    folder_names = {t for s in subs for t in s.tags}
    on_items = set(store.item_label_names(conn, user_id))
    folders = sorted(folder_names | on_items)
    follows, reach_list = rs.reaches(conn, user_id, now=now)
    named = follow_labels(follows)
    per_source: dict[int, int] = {}
    per_label: dict[str, int] = {}
    total = 0
    if counts:
        mute_list = rs.mutes(conn, user_id)
        by_source = store.unread_per_source(conn, user_id, reach_list, mutes=mute_list)
        per_source = {k: v for k, v in by_source.items() if k is not None and v}
        total = sum(by_source.values())
        # per-follow counts only for the follows shown as labels (not the hundreds of sources)
        labelled = [r for r in reach_list if r.kind != "source"]
        raw = read_store.unread_counts(conn, user_id, labelled, mutes=mute_list)
        for sub in subs:
            for tag in set(sub.tags):
                per_label[tag] = per_label.get(tag, 0) + per_source.get(sub.source_id, 0)
        for name, f in named.items():
            per_label[name] = raw.per_follow.get(f.id, 0)
        # a labelled item counts once under its label, unless its source is filed there already
        filed = {(t, s.source_id) for s in subs for t in s.tags}
        on_item_rows = (
            store.unread_labelled(conn, user_id, reach_list, mutes=mute_list) if on_items else []
        )
        for name, _, source_id in on_item_rows:
            if (name, source_id) not in filed:
                per_label[name] = per_label.get(name, 0) + 1
    return Overview(
        tuple(subs),
        tuple(folders + sorted(named)),
        frozenset(on_items - folder_names),
        per_source,
        per_label,
        total,
        0,
    )


# --- streams ------------------------------------------------------------------------------------


def _stream_scope(
    conn: Connection,
    user_id: int,
    stream_id: str,
    follows: Sequence[Follow],
    reach_list: Sequence[Reach],
    subs: Sequence[Subscription] | None = None,
) -> StreamQuery:
    if stream_id == READING_LIST:
        return StreamQuery()
    if stream_id == STARRED:
        return StreamQuery(starred=True)
    if stream_id == READ:
        return StreamQuery(read=True)
    if stream_id == KEPT_UNREAD:
        return StreamQuery(read=False)
    if stream_id.startswith("feed/"):
        url = stream_id[len("feed/") :]
        for sub in subs if subs is not None else store.subscriptions(conn, user_id):
            if sub.url == url:
                return StreamQuery(source_ids=(sub.source_id,))
        raise NotFoundError(f"you do not subscribe to {url[:200]!r}")
    if stream_id.startswith(LABEL):
        name = stream_id[len(LABEL) :]
        named = follow_labels(follows)
        if name in named:
            reach = next((r for r in reach_list if r.follow_id == named[name].id), None)
            if reach is None:  # a saved search that no longer parses reaches nothing
                return StreamQuery(source_ids=())
            return StreamQuery(reach=reach)
        mine = subs if subs is not None else store.subscriptions(conn, user_id)
        ids = tuple(s.source_id for s in mine if name in s.tags)
        on_items = name in store.item_label_names(conn, user_id)
        if not ids and not on_items:
            raise NotFoundError(f"no label {name[:200]!r}")
        return StreamQuery(source_ids=ids, item_label=name if on_items else None)
    raise NotFoundError(f"no stream {stream_id[:200]!r}")


@dataclass(frozen=True, slots=True)
class StreamPage:
    items: tuple[ItemRow, ...]
    continuation: str | None
    sources: dict[int, Subscription]


def stream_page(
    conn: Connection,
    user_id: int,
    stream_id: str,
    *,
    now: datetime,
    n: int = 20,
    continuation: str | None = None,
    newer_than: datetime | None = None,
    older_than: datetime | None = None,
    exclude: Sequence[str] = (),
    oldest_first: bool = False,
    content: bool = True,
) -> StreamPage:
    """One page of a stream; the continuation is the last item's id (opaque to the apps)."""
    follows, reach_list = rs.reaches(conn, user_id, now=now)
    subs = store.subscriptions(conn, user_id)
    q = _stream_scope(conn, user_id, stream_id, follows, reach_list, subs)
    if READ in exclude:
        q = replace(q, read=False)
    if n < 1:
        raise InputError("n must be at least 1")
    q = replace(
        q,
        limit=min(n, MAX_PAGE) + 1,
        newer_than=newer_than,
        older_than=older_than,
        oldest_first=oldest_first,
    )
    if continuation:
        if not (continuation.isascii() and continuation.isdigit()) or len(continuation) > 18:
            raise InputError("the continuation is not one this server gave")
        last = int(continuation)
        q = replace(q, after_id=last) if oldest_first else replace(q, before_id=last)
    rows = store.stream(
        conn, user_id, reach_list, q, mutes=rs.mutes(conn, user_id), content=content
    )
    page = rows[: q.limit - 1]
    more = str(page[-1].id) if len(rows) >= q.limit and page else None
    return StreamPage(tuple(page), more, {s.source_id: s for s in subs})


def items(conn: Connection, user_id: int, ids: Sequence[int], *, now: datetime) -> StreamPage:
    _, reach_list = rs.reaches(conn, user_id, now=now)
    rows = store.items_by_ids(conn, user_id, reach_list, ids)
    subs = {s.source_id: s for s in store.subscriptions(conn, user_id)}
    return StreamPage(tuple(rows), None, subs)


def fever_items(conn: Connection, user_id: int, q: StreamQuery, *, now: datetime) -> list[ItemRow]:
    _, reach_list = rs.reaches(conn, user_id, now=now)
    return store.stream(conn, user_id, reach_list, q, mutes=rs.mutes(conn, user_id))


def state_ids(conn: Connection, user_id: int, *, now: datetime, unread: bool) -> list[int]:
    """Fever's unread_item_ids (or saved_item_ids when ``unread`` is False), newest first."""
    _, reach_list = rs.reaches(conn, user_id, now=now)
    q = StreamQuery(read=False, limit=50_000) if unread else StreamQuery(starred=True, limit=50_000)
    rows = store.stream(conn, user_id, reach_list, q, mutes=rs.mutes(conn, user_id), content=False)
    return [r.id for r in rows]


# --- writes -------------------------------------------------------------------------------------


def mark_items(
    conn: Connection,
    user_id: int,
    ids: Sequence[int],
    *,
    read: bool | None = None,
    starred: bool | None = None,
    add_labels: Sequence[str] = (),
    remove_labels: Sequence[str] = (),
    now: datetime,
) -> None:
    """Read/unread, star/unstar and label/unlabel articles the user can see ("no such
    article" otherwise; taking a label off needs only that the user put it there)."""
    if add_labels:
        _, reach_list = rs.reaches(conn, user_id, now=now)
        missing = set(ids) - read_store.visible_ids(conn, user_id, ids, reach_list)
        if missing:
            shown = ", ".join(str(i) for i in sorted(missing)[:10])
            raise NotFoundError(f"no such article: {shown}")
        for name in dict.fromkeys(add_labels):
            store.add_item_label(conn, user_id, ids, name, now=now)
    for name in dict.fromkeys(remove_labels):
        store.remove_item_label(conn, user_id, ids, name)
    if read is not None:
        rs.mark(conn, user_id, rs.MarkTarget("ids", ids=tuple(ids)), read=read, now=now)
    if starred is True:
        rs.star(conn, user_id, ids, now=now)
    elif starred is False:
        rs.unstar(conn, user_id, ids, now=now)


def mark_stream_read(
    conn: Connection, user_id: int, stream_id: str, *, now: datetime, before: datetime | None
) -> None:
    """Everything in a stream (that arrived before ``before``) is read."""
    follows, reach_list = rs.reaches(conn, user_id, now=now)
    q = _stream_scope(conn, user_id, stream_id, follows, reach_list)
    if stream_id == READING_LIST:
        rs.mark(conn, user_id, rs.MarkTarget("all"), read=True, now=now, before=before)
        return
    if q.reach is not None:
        found = next(f for f in follows if f.id == q.reach.follow_id)
        target = rs.MarkTarget("follow", follow=(found.kind, found.target))
        if found.kind == "search":
            target = rs.MarkTarget("follow", follow=("search", found.label))
        rs.mark(conn, user_id, target, read=True, now=now, before=before)
        return
    if q.source_ids is not None:
        for source_id in q.source_ids:
            rs.mark(
                conn,
                user_id,
                rs.MarkTarget("source", source_id=source_id),
                read=True,
                now=now,
                before=before,
            )
        if q.item_label is not None:  # and the items labelled so, from any source
            only_items = replace(q, source_ids=(), read=False, limit=MAX_PAGE * 10)
            rows = store.stream(conn, user_id, reach_list, only_items, content=False)
            if rows:
                rs.mark(
                    conn,
                    user_id,
                    rs.MarkTarget("ids", ids=tuple(r.id for r in rows)),
                    read=True,
                    now=now,
                    before=before,
                )
        return
    ids = [
        r.id
        for r in store.stream(
            conn, user_id, reach_list, replace(q, limit=MAX_PAGE * 10), content=False
        )
    ]
    if ids:
        rs.mark(conn, user_id, rs.MarkTarget("ids", ids=tuple(ids)), read=True, now=now)


def subscribe(
    conn: Connection,
    user_id: int,
    url: str,
    *,
    now: datetime,
    title: str | None = None,
    folder: str | None = None,
) -> Subscription:
    """Follow the source with this feed URL, adding the source when it is new."""
    from newsdesk.follow.follows import follow
    from newsdesk.sources.fetch.ssrf import split_host
    from newsdesk.store import sources as source_store

    url = url.strip()
    split_host(url)  # http(s) and a host that is not ours to reach
    source_id, _ = source_store.add_source(conn, url, now=now, title=title)
    mine = {s.source_id for s in store.subscriptions(conn, user_id)}
    if source_id not in mine:
        follow(conn, user_id, "source", str(source_id), now=now)
    if folder or title:
        edit(conn, user_id, url, title=title, add=[folder] if folder else [])
    return next(s for s in store.subscriptions(conn, user_id) if s.source_id == source_id)


def _mine(conn: Connection, user_id: int, url: str) -> Subscription:
    for sub in store.subscriptions(conn, user_id):
        if sub.url == url:
            return sub
    raise NotFoundError(f"you do not subscribe to {url[:200]!r}")


def unsubscribe(conn: Connection, user_id: int, url: str) -> None:
    """Drop the user's follow; the source too when no one else follows it."""
    from newsdesk.store import follows as follow_store
    from newsdesk.store import sources as source_store

    sub = _mine(conn, user_id, url)
    follow_store.remove_follow(conn, user_id, "source", str(sub.source_id))
    if store.source_followers(conn, sub.source_id) == 0:
        source_store.remove_source(conn, sub.source_id)


def edit(
    conn: Connection,
    user_id: int,
    url: str,
    *,
    title: str | None = None,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> None:
    """The user's own title and folders of one subscription."""
    sub = _mine(conn, user_id, url)
    tags = [t for t in sub.tags if t not in set(remove)]
    tags += [t for t in add if t and t not in tags]
    store.set_source_label(
        conn, user_id, sub.source_id, title=(title or sub.title)[:500], tags=[t[:100] for t in tags]
    )


def rename_folder(conn: Connection, user_id: int, old: str, new: str) -> None:
    """Rename a folder and the label of that name on items (both are the app's one tag)."""
    new = new.strip()[:MAX_LABEL]
    if not new:
        raise InputError("the new name is empty")
    if new.startswith(FOLLOW_LABEL):
        raise InputError(f"labels named {FOLLOW_LABEL!r}... are your follows' names")
    store.rename_item_label(conn, user_id, old, new)
    for sub in store.subscriptions(conn, user_id):
        if old in sub.tags:
            tags = [new if t == old else t for t in sub.tags]
            store.set_source_label(
                conn, user_id, sub.source_id, title=sub.title, tags=list(dict.fromkeys(tags))
            )


def drop_folder(conn: Connection, user_id: int, name: str) -> None:
    """Drop a folder (its sources stay subscribed) and the label of that name on items."""
    store.drop_item_label(conn, user_id, name)
    for sub in store.subscriptions(conn, user_id):
        if name in sub.tags:
            store.set_source_label(
                conn,
                user_id,
                sub.source_id,
                title=sub.title,
                tags=[t for t in sub.tags if t != name],
            )
