"""Following, unfollowing and muting: from what a user typed to the thing the indexes know.

"Okafor", "Dr Amara Okafor" and "Amara Okafor" are one person: entity follows
resolve through the understanding stage's aliases to a canonical entity id, so
every alias counts. An author is one journalist identity across outlets: the
same name (compared the way the author index stores it) on any outlet's byline.
A saved search is stored with the user and followed by its id.

Authors, people, organisations, places and topics share one identity rule
(``follow_targets.resolve_named``). A name nothing stored names yet is
followed all the same, kept as ``name:<normalised name>`` until an article
names it (``store.follow_names`` binds it then): a reader may follow someone
before they are in the news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection

from newsdesk.errors import FollowError, NotFoundError
from newsdesk.follow.models import FOLLOW_KINDS, MUTE_KINDS, Follow, Mute, Target
from newsdesk.follow.query import Query, parse_query
from newsdesk.store import follow_names, follow_targets
from newsdesk.store import follows as store
from newsdesk.store.follow_targets import NAMED_KINDS


def _check_kind(kind: str, allowed: tuple[str, ...], verb: str) -> str:
    kind = kind.strip().lower()
    if kind not in allowed:
        raise FollowError(f"cannot {verb} {kind!r}", hint="choose one of " + ", ".join(allowed))
    return kind


def resolve_target(conn: Connection, kind: str, value: str) -> Target:
    """The canonical target for ``kind`` and what the user typed, or NotFoundError.

    A name of a named kind (author, person, organisation, place, topic) that no
    stored article names yet is kept by its normalised name (``name:...``):
    a reader may follow someone before they are in the news, and the follow is
    bound to them when an article names them (``store.follow_names``).
    """
    value = " ".join(value.split())
    if not value:
        raise FollowError(f"no {kind} given", hint=f"write the {kind}'s name after the kind")
    if kind in NAMED_KINDS:
        found = follow_targets.resolve_named(conn, kind, value)
        if found is None:
            return Target(kind, follow_targets.pending_target(kind, value), value)
        return found[0]
    if kind == "outlet":
        return _resolve_outlet(conn, value)
    if kind == "source":
        return _resolve_source(conn, value)
    if kind == "story":
        label = follow_targets.story_label(conn, _as_id("story", value))
        if label is None:
            raise NotFoundError(f"no story with id {value}", hint="see `newsdesk stories list`")
        return Target("story", str(int(value)), label)
    raise FollowError(f"cannot resolve {kind!r}")


_NAMES_VERB = {"author": "credits", "topic": "is about"}


def follow_note(conn: Connection, kind: str, value: str, target: Target) -> str | None:
    """What a reader should know about a follow just made: whom a short name matched, or
    that nothing stored names it yet (new articles will)."""
    typed = " ".join(value.split())
    if follow_targets.is_pending(target.target):
        verb = _NAMES_VERB.get(kind, "names")
        return f"no stored article {verb} {typed!r} yet; new articles that do will match"
    if kind != "author":
        return None
    found = follow_targets.resolve_author(conn, typed)
    if found is not None and found[1].lower() != typed.lower():
        credited = "1 article" if found[2] == 1 else f"{found[2]} articles"
        return f"{typed!r} matched {found[1]} (credited on {credited})"
    return None


def _as_id(kind: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise FollowError(f"{kind} must be given by its id, not {value!r}") from None


def _resolve_outlet(conn: Connection, value: str) -> Target:
    found = follow_targets.find_outlets(conn, value)
    if not found:
        raise NotFoundError(f"no outlet {value!r}", hint="give its domain, e.g. tidewater.example")
    if len(found) > 1:
        raise FollowError(f"{value!r} names {len(found)} outlets", hint="give the outlet's domain")
    return found[0]


def _resolve_source(conn: Connection, value: str) -> Target:
    found = follow_targets.find_source(conn, value)
    if found is None:
        raise NotFoundError(f"no source {value!r}", hint="see `newsdesk sources list`")
    return found


def follow(
    conn: Connection,
    user_id: int,
    kind: str,
    value: str,
    *,
    now: datetime,
    window: timedelta = timedelta(days=7),
) -> Follow:
    """Follow something; articles published in the last ``window`` start out as new.

    ``search`` takes a query, which is checked and saved under its text.
    """
    kind = _check_kind(kind, FOLLOW_KINDS, "follow")
    if kind == "search":
        query = parse_query(value)  # a bad query fails here, not at the next refresh
        text = query.render()
        search_id = store.save_search(conn, user_id, text, text, now=now)
        target = Target("search", str(search_id), text)
    else:
        follow_names.bind_user(conn, user_id, kind)  # a name follow that now resolves: one row
        target = resolve_target(conn, kind, value)
    mark = store.window_start_mark(conn, now - window)
    return store.add_follow(conn, user_id, target, now=now, mark=mark)


def _find_search(conn: Connection, user_id: int, value: str) -> int | None:
    try:
        text = parse_query(value).render()
    except FollowError:
        text = value
    return store.find_saved_search(conn, user_id, [value, text])


def saved_queries(
    conn: Connection, user_id: int, follow_list: Sequence[Follow]
) -> dict[int, Query]:
    """The parsed query of each saved-search follow, by follow id (for the per-follow reads).

    A saved search whose text no longer parses (the language changed under it)
    reaches nothing rather than breaking the user's whole view.
    """
    wanted = {
        f.id: int(f.target)
        for f in follow_list
        if f.kind == "search" and (f.target.isascii() and f.target.isdigit())
    }
    saved = store.saved_searches_by_id(conn, user_id, sorted(set(wanted.values())))
    queries: dict[int, Query] = {}
    for follow_id, search_id in wanted.items():
        found = saved.get(search_id)
        if found is None:
            continue
        try:
            queries[follow_id] = parse_query(found.query)
        except FollowError:
            continue
    return queries


def _targets_of(conn: Connection, user_id: int, kind: str, value: str) -> list[str]:
    """The targets ``value`` may be kept under: what it resolves to, else its pending name.

    The user's pending rows of ``kind`` are bound first, so a name followed before
    the news named it is found under what it resolves to now.
    """
    follow_names.bind_user(conn, user_id, kind)
    target = resolve_target(conn, kind, value).target
    if kind in NAMED_KINDS and not follow_targets.is_pending(target):
        return [target, follow_targets.pending_target(kind, value)]
    return [target]


def unfollow(conn: Connection, user_id: int, kind: str, value: str) -> None:
    kind = _check_kind(kind, FOLLOW_KINDS, "unfollow")
    if kind == "search":
        search_id = _find_search(conn, user_id, value)
        removed = search_id is not None and store.remove_follow(conn, user_id, kind, str(search_id))
    else:
        removed = any(
            [  # a list, not a generator: every row kept under either target goes
                store.remove_follow(conn, user_id, kind, target)
                for target in _targets_of(conn, user_id, kind, value)
            ]
        )
    if not removed:
        raise NotFoundError(f"you do not follow {kind} {value!r}", hint="see `newsdesk following`")


def mute(conn: Connection, user_id: int, kind: str, value: str, *, now: datetime) -> Mute:
    """Mute a topic, person, organisation, place, author, outlet or source: it never appears."""
    kind = _check_kind(kind, MUTE_KINDS, "mute")
    follow_names.bind_user(conn, user_id, kind)
    return store.add_mute(conn, user_id, resolve_target(conn, kind, value), now=now)


def unmute(conn: Connection, user_id: int, kind: str, value: str) -> None:
    kind = _check_kind(kind, MUTE_KINDS, "unmute")
    removed = any(
        [
            store.remove_mute(conn, user_id, kind, target)
            for target in _targets_of(conn, user_id, kind, value)
        ]
    )
    if not removed:
        raise NotFoundError(f"you have not muted {kind} {value!r}")
