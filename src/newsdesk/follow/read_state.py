"""Read state per user: mark read and unread, star, list, count; the core every face uses.

A user's articles are the ones their follows reach (a source, an outlet, an
author, a person, an organisation, a place, a topic, a story or a saved
search); a new one is unread for every user it reaches. Marks come in five
forms: articles by id, a story (all its articles), a source, a follow, and
everything, each optionally limited to articles that arrived before a time.
Each form is one statement in ``newsdesk.store.read_state``, whatever the
number of articles it covers.

A user sees and changes only their own state. Lists and counts hold what the
user's follows reach; marks and stars by id take any stored article, because a
reader opens articles beyond their follows (search results, a story's other
coverage, an outlet page) and articles are shared by the install: the state
rows are the user's own, so marking one tells nobody else anything. An id that
names no stored article is "no such article".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection

from newsdesk.errors import FollowError, InputError, NotFoundError
from newsdesk.follow.models import FOLLOW_KINDS, Follow
from newsdesk.store import follows as follow_store
from newsdesk.store import read_state as store
from newsdesk.store.db import Database, open_database
from newsdesk.store.read_state import RawCounts, Reach, Scope, StateRow
from newsdesk.store.search import query_ids

MarkForm = Literal["ids", "story", "source", "follow", "all"]
LIST_LIMIT = 50


@dataclass(frozen=True, slots=True)
class MarkTarget:
    """What one mark is about: exactly one of the five forms."""

    form: MarkForm
    ids: tuple[int, ...] = ()
    story: str | None = None  # a story key or number
    source_id: int | None = None
    follow: tuple[str, str] | None = None  # (kind, value as the user writes it)

    def describe(self) -> str:
        if self.form == "ids":
            plural = "article" if len(self.ids) == 1 else "articles"
            return f"{plural} " + ", ".join(str(i) for i in self.ids)
        if self.form == "story":
            return f"story {self.story}"
        if self.form == "source":
            return f"source {self.source_id}"
        if self.form == "follow":
            assert self.follow is not None
            return f"follow {self.follow[0]} {self.follow[1]}"
        return "everything"


@dataclass(frozen=True, slots=True)
class MarkResult:
    """What a mark did. ``changed`` is None for "everything" read (the floor moves as a whole)."""

    action: Literal["read", "unread"]
    target: str
    changed: int | None
    before: datetime | None = None

    @property
    def noop(self) -> bool:
        return self.changed == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "target": self.target,
            "changed": self.changed,
            "before": self.before.isoformat() if self.before else None,
            "noop": self.noop,
        }


@dataclass(frozen=True, slots=True)
class StarResult:
    action: Literal["star", "unstar"]
    ids: tuple[int, ...]
    changed: int

    @property
    def noop(self) -> bool:
        return self.changed == 0

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "ids": list(self.ids), "changed": self.changed}


# --- the user's follows, as the store reaches them ---------------------------------------------


def reaches(conn: Connection, user_id: int, *, now: datetime) -> tuple[list[Follow], list[Reach]]:
    """The user's follows and what each reaches (a saved search that no longer parses: nothing)."""
    from newsdesk.follow.follows import saved_queries

    found = follow_store.list_follows(conn, user_id)
    queries = saved_queries(conn, user_id, found)
    reach_list = []
    for f in found:
        if f.kind != "search":
            reach_list.append(Reach(f.id, f.kind, f.target))
        elif f.id in queries:
            search = query_ids(conn.dialect.name, queries[f.id], now=now)
            reach_list.append(Reach(f.id, f.kind, f.target, search))
    return found, reach_list


def mutes(conn: Connection, user_id: int) -> list[Reach]:
    """What the user's mutes reach: left out of their lists and counts, as everywhere."""
    return [Reach(-m.id, m.kind, m.target) for m in follow_store.list_mutes(conn, user_id)]


def parse_time(text: str, *, now: datetime) -> datetime:
    """``--before``: a date (``2026-11-28``, midnight UTC), a date and time, or an age (``3d``)."""
    from newsdesk.follow.query import parse_since

    try:
        return parse_since(text).resolve(now)
    except FollowError:
        raise InputError(
            f"{text!r} is not a time",
            hint="write 2026-11-28, 2026-11-28T06:00, or an age such as 12h, 3d or 2w",
        ) from None


def _check_ids(ids: Sequence[int]) -> tuple[int, ...]:
    unique = tuple(dict.fromkeys(ids))
    if not unique:
        raise InputError("no article ids given")
    return unique


def _no_such(missing: set[int]) -> NotFoundError:
    shown = ", ".join(str(i) for i in sorted(missing)[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return NotFoundError(
        f"no such article: {shown}{more}",
        hint="ids come from `newsdesk articles list --user EMAIL`",
    )


def _require_stored(conn: Connection, ids: Sequence[int]) -> None:
    missing = set(ids) - store.existing_ids(conn, ids)
    if missing:
        raise _no_such(missing)


def _find_follow(
    conn: Connection, user_id: int, follows: Sequence[Follow], kind: str, value: str
) -> Follow:
    from newsdesk.follow.follows import resolve_target
    from newsdesk.follow.query import parse_query

    kind = kind.strip().lower()
    if kind not in FOLLOW_KINDS:
        raise FollowError(
            f"no follow kind {kind!r}", hint="choose one of " + ", ".join(FOLLOW_KINDS)
        )
    if kind == "search":
        try:
            typed = parse_query(value).render()
        except FollowError:
            typed = value
        search_id = follow_store.find_saved_search(conn, user_id, [value, typed])
        for follow in follows:
            if follow.kind == "search" and follow.target == str(search_id):
                return follow
    for follow in follows:
        if follow.kind == kind and kind != "search" and value in (follow.label, follow.target):
            return follow
    if kind != "search":
        try:
            target = resolve_target(conn, kind, value).target
        except NotFoundError:
            target = None
        for follow in follows:
            if follow.kind == kind and follow.target == target:
                return follow
    raise NotFoundError(f"you do not follow {kind} {value!r}", hint="see `newsdesk following`")


def mark(
    conn: Connection,
    user_id: int,
    target: MarkTarget,
    *,
    read: bool,
    now: datetime,
    before: datetime | None = None,
) -> MarkResult:
    """Mark ``target`` read or unread for the user (one write statement, whatever its size)."""
    follows, reach_list = reaches(conn, user_id, now=now)
    action: Literal["read", "unread"] = "read" if read else "unread"
    if target.form == "all" and read:
        moved = store.mark_all_read(conn, user_id, now=now, before=before)
        return MarkResult(action, target.describe(), None if moved else 0, before)
    scope = _scope(conn, user_id, target, follows, reach_list)
    changed = store.mark(conn, user_id, scope, read=read, now=now, before=before)
    return MarkResult(action, target.describe(), changed, before)


def _scope(
    conn: Connection,
    user_id: int,
    target: MarkTarget,
    follows: Sequence[Follow],
    reach_list: Sequence[Reach],
) -> Scope:
    everyone = tuple(reach_list)
    if target.form == "ids":
        ids = _check_ids(target.ids)
        _require_stored(conn, ids)
        return Scope("ids", everyone, ids=ids)
    if target.form == "story":
        from newsdesk.store.stories import get_story

        assert target.story is not None
        story = get_story(conn, target.story.strip())
        return Scope("story", everyone, story_id=int(story.id))
    if target.form == "source":
        assert target.source_id is not None
        if not store.source_exists(conn, target.source_id):
            raise NotFoundError(f"no source {target.source_id}", hint="see `newsdesk sources list`")
        return Scope("source", everyone, source_id=target.source_id)
    if target.form == "follow":
        assert target.follow is not None
        found = _find_follow(conn, user_id, follows, *target.follow)
        (reach,) = [r for r in reach_list if r.follow_id == found.id]
        return Scope("follow", everyone, reach=reach)
    return Scope("all", everyone)


def star(conn: Connection, user_id: int, ids: Sequence[int], *, now: datetime) -> StarResult:
    """Star stored articles (any the reader can open); an unknown id is "no such article"."""
    wanted = _check_ids(ids)
    _require_stored(conn, wanted)
    return StarResult("star", wanted, store.star(conn, user_id, wanted, now=now))


def unstar(conn: Connection, user_id: int, ids: Sequence[int], *, now: datetime) -> StarResult:
    """Unstar the user's own stars; an unknown id is "no such article"."""
    wanted = _check_ids(ids)
    rest = set(wanted) - store.starred_ids(conn, user_id, wanted)
    if rest:
        _require_stored(conn, sorted(rest))
    return StarResult("unstar", wanted, store.unstar(conn, user_id, wanted))


def list_rows(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    unread: bool = False,
    starred: bool = False,
    source_id: int | None = None,
    tag: str | None = None,
    limit: int = LIST_LIMIT,
    before_id: int | None = None,
) -> list[StateRow]:
    """The user's articles newest first, each with read and starred (mutes left out);
    ``tag``: only those of sources filed under it (the user's own folders first)."""
    _, reach_list = reaches(conn, user_id, now=now)
    source_ids = None if tag is None else store.tagged_sources(conn, user_id, tag)
    if source_ids == []:
        return []
    return store.list_articles(
        conn,
        user_id,
        reach_list,
        mutes=mutes(conn, user_id),
        unread=unread,
        starred=starred,
        source_id=source_id,
        source_ids=source_ids,
        limit=limit,
        before_id=before_id,
    )


def article_state(
    conn: Connection, user_id: int, article_id: int, *, now: datetime
) -> tuple[bool, bool]:
    """(read, starred) of one stored article for the user, else "no such article"."""
    found = store.state_of(conn, user_id, article_id, ())
    if found is None:
        raise _no_such({article_id})
    return found[1], found[2]


@dataclass(frozen=True, slots=True)
class CountsData:
    """What unread counts are made of: the follows, the raw counts, each source's title and tags."""

    follows: tuple[Follow, ...]
    raw: RawCounts
    sources: dict[int, tuple[str | None, list[str]]]


def counts_data(conn: Connection, user_id: int, *, now: datetime) -> CountsData:
    """Unread articles per follow and per source, with the sources' titles and tags."""
    follows, reach_list = reaches(conn, user_id, now=now)
    raw = store.unread_counts(conn, user_id, reach_list, mutes=mutes(conn, user_id))
    info = store.source_tags(conn, [s for s in raw.per_source if s is not None], user_id=user_id)
    return CountsData(tuple(follows), raw, info)


# --- the use cases, each owning its transaction: what a face calls -----------------------------


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def user_id(conn: Connection, email: str) -> int:
    from newsdesk.follow.accounts import get_user_by_email

    return get_user_by_email(conn, email).id


def mark_articles(
    email: str,
    target: MarkTarget,
    *,
    read: bool,
    before: str | None = None,
    db: Database | None = None,
    now: datetime | None = None,
) -> MarkResult:
    """Mark read or unread for the user named by ``email``, in one transaction."""
    moment = _now(now)
    cutoff = parse_time(before, now=moment) if before is not None else None
    with (db or open_database()).begin() as conn:
        return mark(conn, user_id(conn, email), target, read=read, now=moment, before=cutoff)


def star_articles(
    email: str,
    ids: Sequence[int],
    *,
    starred: bool,
    db: Database | None = None,
    now: datetime | None = None,
) -> StarResult:
    """Star or unstar for the user named by ``email``, in one transaction."""
    with (db or open_database()).begin() as conn:
        do = star if starred else unstar
        return do(conn, user_id(conn, email), ids, now=_now(now))
