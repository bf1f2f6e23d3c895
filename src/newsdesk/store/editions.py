"""Queries of the brief stage: edition times, the news of a time window, and the outbox.

The outbox is the exactly-once mechanism, and its two guarantees are both
decided by the database, never by a process's memory:

* **built once**: ``insert_edition`` inserts with ``ON CONFLICT DO NOTHING`` on
  ``(user_id, local_date, slot)``; of two schedulers racing, one row wins and
  both then read that row.
* **sent once**: ``claim`` is one conditional ``UPDATE ... WHERE status IN
  (sendable)``; only the process whose update touched the row sends it.

Everything that reads a user's rows filters on ``user_id``.
"""

from __future__ import annotations

import json
import secrets
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, String, cast, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.errors import NotFoundError
from newsdesk.store.query_ast import Query
from newsdesk.store.read_state import ReadSet, read_sets
from newsdesk.store.read_state import in_ids as id_list
from newsdesk.store.search import query_ids
from newsdesk.store.tables import articles, outlets
from newsdesk.store.tables.accounts import (
    article_authors,
    follows,
    mutes,
    saved_searches,
    users,
)
from newsdesk.store.tables.editions import edition_outbox, edition_settings
from newsdesk.store.tables.stories import stories, story_members
from newsdesk.store.tables.understanding import article_entities, article_topics, topics

DEFAULT_MORNING = "06:30"
DEFAULT_EVENING = "17:30"
OFF = "off"
SLOTS = ("morning", "evening")
#: States from which a sender may claim a row (failed rows only once their retry time came).
SENDABLE = ("built", "failed")


# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    """When one user wants their editions: local "HH:MM" times, or None for off."""

    user_id: int
    email: str
    time_zone: str
    morning: str | None
    evening: str | None

    def time_of(self, slot: str) -> str | None:
        return self.morning if slot == "morning" else self.evening


@dataclass(frozen=True, slots=True)
class WindowArticle:
    """One article that joined a story inside the window, with the keys follows match on."""

    id: int
    story_id: int
    headline: str
    outlet: str | None
    url: str | None
    added_at: datetime
    development: str | None  # the sentence saying what it added to its story, if anything
    keys: frozenset[tuple[str, str]]  # (kind, target) of everything a follow or mute can name


@dataclass(frozen=True, slots=True)
class WindowStory:
    id: int
    key: str
    headline: str
    summary: str
    outlets: tuple[str, ...]
    outlet_count: int
    importance: float
    articles: tuple[WindowArticle, ...]  # those that arrived in the window, newest first


@dataclass(frozen=True, slots=True)
class WindowNews:
    """Everything that happened between ``start`` and ``end``, shared by every reader."""

    start: datetime
    end: datetime
    stories: tuple[WindowStory, ...]  # by importance, highest first


@dataclass(frozen=True, slots=True)
class ReaderRecord:
    """What one reader follows and mutes, as (kind, target, label).

    A saved-search follow's target is the saved search's id; ``searches`` gives
    the query text of each (target, text), since a search is answered by
    running its query over the window, not by a key the articles carry.
    """

    follows: tuple[tuple[str, str, str], ...] = ()
    mutes: tuple[tuple[str, str, str], ...] = ()
    searches: tuple[tuple[str, str], ...] = ()

    def search_text(self, target: str) -> str | None:
        return next((text for t, text in self.searches if t == target), None)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    user_id: int
    local_date: str
    slot: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    built_at: datetime
    sent_at: datetime | None
    claimed_at: datetime | None
    window_start: datetime
    window_end: datetime
    message_id: str
    recipient: str
    subject: str
    text_part: str
    html_part: str
    edition: dict[str, Any] = field(default_factory=dict)
    last_error: str | None = None
    resent: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "local_date": self.local_date,
            "slot": self.slot,
            "status": self.status,
            "attempts": self.attempts,
            "next_attempt_at": _iso(self.next_attempt_at),
            "built_at": _iso(self.built_at),
            "sent_at": _iso(self.sent_at),
            "window_start": _iso(self.window_start),
            "window_end": _iso(self.window_end),
            "message_id": self.message_id,
            "recipient": self.recipient,
            "subject": self.subject,
            "last_error": self.last_error,
            "resent": self.resent,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- users' edition times -----------------------------------------------------------------


def _schedule(row: Any) -> Schedule:
    morning = row.morning if row.morning is not None else DEFAULT_MORNING
    evening = row.evening if row.evening is not None else DEFAULT_EVENING
    return Schedule(
        int(row.id),
        row.email,
        row.time_zone or "UTC",
        None if morning == OFF else morning,
        None if evening == OFF else evening,
    )


def _schedule_select() -> Any:
    return select(
        users.c.id,
        users.c.email,
        users.c.time_zone,
        edition_settings.c.morning,
        edition_settings.c.evening,
    ).select_from(users.outerjoin(edition_settings, edition_settings.c.user_id == users.c.id))


def schedules(conn: Connection) -> list[Schedule]:
    """Every user's edition times (defaults where they never set any)."""
    return [_schedule(r) for r in conn.execute(_schedule_select().order_by(users.c.id))]


def schedule_of(conn: Connection, user_id: int) -> Schedule:
    row = conn.execute(_schedule_select().where(users.c.id == user_id)).first()
    if row is None:
        raise NotFoundError(f"no user with id {user_id}")
    return _schedule(row)


def set_edition_times(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    morning: str | None = None,
    evening: str | None = None,
    time_zone: str | None = None,
) -> Schedule:
    """Change a user's edition times ("HH:MM" or "off") and zone; None leaves one as it is."""
    current = schedule_of(conn, user_id)
    if time_zone is not None:
        conn.execute(users.update().where(users.c.id == user_id).values(time_zone=time_zone))
    values = {
        "morning": morning or current.morning or OFF,
        "evening": evening or current.evening or OFF,
        "updated_at": now,
    }
    done = conn.execute(
        edition_settings.update().where(edition_settings.c.user_id == user_id).values(**values)
    )
    if not done.rowcount:
        conn.execute(edition_settings.insert().values(user_id=user_id, **values))
    return schedule_of(conn, user_id)


# --- the news of a window -------------------------------------------------------------------


def load_window(conn: Connection, start: datetime, end: datetime) -> WindowNews:
    """The stories that took articles in ``(start, end]``, with what follows and mutes match.

    A fixed number of statements whatever the number of readers: the window is
    read once and every reader's edition is chosen from it in memory.
    """
    dialect = conn.dialect.name
    member_rows = list(
        conn.execute(
            select(
                story_members.c.article_id,
                story_members.c.story_id,
                story_members.c.headline,
                story_members.c.outlet,
                story_members.c.added_at,
                # Only the sentence: decoding every member's JSON costs more than the rest.
                story_members.c.development["sentence"].as_string().label("development"),
                story_members.c.duplicate_of,
                articles.c.url,
                articles.c.canonical_url,
                articles.c.outlet_id,
                articles.c.source_id,
                outlets.c.name.label("outlet_name"),
            )
            .select_from(
                story_members.join(articles, articles.c.id == story_members.c.article_id).outerjoin(
                    outlets, outlets.c.id == articles.c.outlet_id
                )
            )
            .where(story_members.c.added_at > start, story_members.c.added_at <= end)
        )
    )
    if not member_rows:
        return WindowNews(start, end, ())
    ids = [int(r.article_id) for r in member_rows]
    keys: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    # One statement per kind of key, over the window's members (not one per chunk of ids).
    in_window = (
        select(story_members.c.article_id)
        .where(story_members.c.added_at > start, story_members.c.added_at <= end)
        .scalar_subquery()
    )
    for r in conn.execute(
        select(article_authors.c.article_id, article_authors.c.author_key).where(
            article_authors.c.article_id.in_(in_window)
        )
    ):
        keys[int(r.article_id)].add(("author", str(r.author_key)))
    for r in conn.execute(
        select(article_entities.c.article_id, article_entities.c.entity_id).where(
            article_entities.c.article_id.in_(in_window)
        )
    ):
        keys[int(r.article_id)].add(("entity", str(r.entity_id)))
    for r in conn.execute(
        select(article_topics.c.article_id, topics.c.key)
        .join(topics, topics.c.id == article_topics.c.topic_id)
        .where(article_topics.c.article_id.in_(in_window))
    ):
        keys[int(r.article_id)].add(("topic", str(r.key)))
    by_story: dict[int, list[WindowArticle]] = {}
    for r in member_rows:
        article_id = int(r.article_id)
        found = keys[article_id]
        found.add(("story", str(r.story_id)))
        if r.outlet_id is not None:
            found.add(("outlet", str(r.outlet_id)))
        if r.source_id is not None:
            found.add(("source", str(r.source_id)))
        by_story.setdefault(int(r.story_id), []).append(
            WindowArticle(
                id=article_id,
                story_id=int(r.story_id),
                headline=r.headline,
                outlet=r.outlet_name or r.outlet,
                url=r.canonical_url or r.url,
                added_at=r.added_at,
                development=r.development or None,
                keys=frozenset(found),
            )
        )
    found_stories: list[WindowStory] = []
    story_ids = sorted(by_story)
    for s in conn.execute(
        select(
            stories.c.id,
            stories.c.key,
            stories.c.headline,
            stories.c.summary,
            stories.c.outlets,
            stories.c.outlet_count,
            stories.c.importance,
        ).where(id_list(stories.c.id, dialect, story_ids), stories.c.status != "merged")
    ):
        members = sorted(by_story[int(s.id)], key=lambda a: (a.added_at, a.id), reverse=True)
        found_stories.append(
            WindowStory(
                id=int(s.id),
                key=s.key,
                headline=s.headline,
                summary=s.summary or "",
                outlets=tuple(str(o) for o in (s.outlets or ()) if o),
                outlet_count=int(s.outlet_count or 0),
                importance=float(s.importance or 0.0),
                articles=tuple(members),
            )
        )
    found_stories.sort(key=lambda s: (-s.importance, -s.outlet_count, s.id))
    return WindowNews(start, end, tuple(found_stories))


def readers(conn: Connection, user_ids: Sequence[int]) -> dict[int, ReaderRecord]:
    """Follows, mutes and saved-search texts of any number of users in three statements.

    A search follow's saved search is joined on the follow's own user, so a
    follow can only ever name its owner's search.
    """
    if not user_ids:
        return {}
    found: dict[int, tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]] = {
        u: ([], []) for u in user_ids
    }
    texts: dict[int, list[tuple[str, str]]] = {}
    dialect = conn.dialect.name
    ids = list(user_ids)
    for r in conn.execute(
        select(follows.c.user_id, follows.c.kind, follows.c.target, follows.c.label)
        .where(id_list(follows.c.user_id, dialect, ids))
        .order_by(follows.c.user_id, follows.c.id)
    ):
        found[int(r.user_id)][0].append((r.kind, r.target, r.label))
    for r in conn.execute(
        select(mutes.c.user_id, mutes.c.kind, mutes.c.target, mutes.c.label).where(
            id_list(mutes.c.user_id, dialect, ids)
        )
    ):
        found[int(r.user_id)][1].append((r.kind, r.target, r.label))
    for r in conn.execute(
        select(follows.c.user_id, follows.c.target, saved_searches.c.query)
        .select_from(
            follows.join(
                saved_searches,
                (saved_searches.c.user_id == follows.c.user_id)
                & (cast(saved_searches.c.id, String) == follows.c.target),
            )
        )
        .where(id_list(follows.c.user_id, dialect, ids), follows.c.kind == "search")
    ):
        texts.setdefault(int(r.user_id), []).append((str(r.target), str(r.query)))
    return {
        u: ReaderRecord(tuple(f), tuple(m), tuple(texts.get(u, ()))) for u, (f, m) in found.items()
    }


def search_matches(
    conn: Connection, queries: Mapping[str, Query], low: int, high: int, *, now: datetime
) -> dict[str, set[int]]:
    """Per saved search (by its text), the ids in ``[low, high]`` its query finds.

    One statement per distinct query, whatever the number of readers who follow
    it: the same SQL (``store.search.query_ids``) that answers a search follow
    in Following and For you, bounded to the window's article ids.
    """
    dialect = conn.dialect.name
    found: dict[str, set[int]] = {}
    for text, query in queries.items():
        sub = query_ids(dialect, query, now=now, after_id=low - 1).subquery()
        rows = conn.execute(select(sub.c.id).where(sub.c.id <= high))
        found[text] = {int(r[0]) for r in rows}
    return found


#: What a reader has read, by read state's one rule (``store.read_state``).
ReadArticles = ReadSet


def read_states(
    conn: Connection,
    user_ids: Sequence[int],
    low: int,
    high: int,
    *,
    since: datetime,
) -> dict[int, tuple[ReadSet, set[str]]]:
    """For many users at once: what each has read among article ids ``[low, high]`` (read
    state's own rule, :func:`newsdesk.store.read_state.read_sets`), and the keys of the
    stories each opened an article of since ``since``.

    Three statements for any number of users, not three per user: a day of
    editions asks this for every reader.

    Only articles marked read one by one (or as their story) make a story
    "opened": "mark everything read" is catching up, not having read a story.
    """
    from newsdesk.store.tables.read_state import article_reads

    found = read_sets(conn, user_ids, low, high)
    keys: dict[int, set[str]] = {}
    if user_ids:
        for r in conn.execute(
            select(article_reads.c.user_id, stories.c.key)
            .distinct()
            .select_from(
                article_reads.join(
                    story_members, story_members.c.article_id == article_reads.c.article_id
                ).join(stories, stories.c.id == story_members.c.story_id)
            )
            .where(
                id_list(article_reads.c.user_id, conn.dialect.name, user_ids),
                article_reads.c.is_read.is_(True),
                article_reads.c.marked_at >= since,
            )
        ):
            keys.setdefault(int(r[0]), set()).add(str(r[1]))
    return {u: (found[u], keys.get(u, set())) for u in user_ids}


# --- the outbox -----------------------------------------------------------------------------


#: The archive format: this prefix, then zlib over a header line with the byte lengths of the
#: text and HTML parts, the two parts, and the edition's JSON. Rows written before it are zlib
#: over one JSON object (a zlib stream starts with 0x78, never with this prefix).
_FRAMED = b"ND2"


def pack_parts(text: str, html: str, edition_json: str) -> bytes:
    """The archived parts as stored: zlib (level 1: fast, ~5x smaller) over the parts, framed
    by their lengths.

    ``edition_json`` is the edition's JSON text, already written (the brief
    writes it from pieces it shares between readers). The text and HTML go in
    as they are: escaping 20 kB of HTML into a JSON string cost more than
    compressing it.
    """
    text_bytes, html_bytes = text.encode("utf-8"), html.encode("utf-8")
    head = f"{len(text_bytes)} {len(html_bytes)}\n".encode("ascii")
    body = b"".join((head, text_bytes, html_bytes, edition_json.encode("utf-8")))
    return _FRAMED + zlib.compress(body, 1)


def unpack_parts(blob: bytes) -> dict[str, Any]:
    """``{"text", "html", "edition"}`` from either archive format."""
    if not blob.startswith(_FRAMED):
        found: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
        return found
    body = zlib.decompress(blob[len(_FRAMED) :])
    head, _, rest = body.partition(b"\n")
    text_size, html_size = (int(n) for n in head.split(b" "))
    return {
        "text": rest[:text_size].decode("utf-8"),
        "html": rest[text_size : text_size + html_size].decode("utf-8"),
        "edition": json.loads(rest[text_size + html_size :].decode("utf-8")),
    }


def _entry(row: Any) -> OutboxEntry:
    parts = unpack_parts(bytes(row.parts))
    return OutboxEntry(
        id=int(row.id),
        user_id=int(row.user_id),
        local_date=row.local_date,
        slot=row.slot,
        status=row.status,
        attempts=int(row.attempts),
        next_attempt_at=row.next_attempt_at,
        built_at=row.built_at,
        sent_at=row.sent_at,
        claimed_at=row.claimed_at,
        window_start=row.window_start,
        window_end=row.window_end,
        message_id=row.message_id,
        recipient=row.recipient,
        subject=row.subject,
        text_part=parts["text"],
        html_part=parts["html"],
        edition=dict(parts["edition"] or {}),
        last_error=row.last_error,
        resent=int(row.resent or 0),
    )


def get_edition(conn: Connection, user_id: int, local_date: str, slot: str) -> OutboxEntry | None:
    row = conn.execute(
        select(edition_outbox).where(
            edition_outbox.c.user_id == user_id,
            edition_outbox.c.local_date == local_date,
            edition_outbox.c.slot == slot,
        )
    ).first()
    return None if row is None else _entry(row)


def get_edition_by_id(conn: Connection, entry_id: int) -> OutboxEntry:
    row = conn.execute(select(edition_outbox).where(edition_outbox.c.id == entry_id)).first()
    if row is None:
        raise NotFoundError(f"no edition with id {entry_id}")
    return _entry(row)


def list_editions(conn: Connection, user_id: int, *, limit: int = 30) -> list[OutboxEntry]:
    """The user's editions, newest first."""
    rows = conn.execute(
        select(edition_outbox)
        .where(edition_outbox.c.user_id == user_id)
        .order_by(edition_outbox.c.window_end.desc(), edition_outbox.c.id.desc())
        .limit(limit)
    )
    return [_entry(r) for r in rows]


def existing_keys(conn: Connection, local_dates: Iterable[str]) -> set[tuple[int, str, str]]:
    """(user_id, local_date, slot) of every edition already built on these dates."""
    rows = conn.execute(
        select(edition_outbox.c.user_id, edition_outbox.c.local_date, edition_outbox.c.slot).where(
            edition_outbox.c.local_date.in_(sorted(set(local_dates)))
        )
    )
    return {(int(r.user_id), r.local_date, r.slot) for r in rows}


def last_window_ends(conn: Connection, since: datetime) -> dict[int, datetime]:
    """Per user, the end of their newest edition window after ``since``."""
    rows = conn.execute(
        select(edition_outbox.c.user_id, func.max(edition_outbox.c.window_end).label("end"))
        .where(edition_outbox.c.window_end > since)
        .group_by(edition_outbox.c.user_id)
    )
    type_ = edition_outbox.c.window_end.type
    result: dict[int, datetime] = {}
    for r in rows:
        value = r.end
        if not isinstance(value, datetime) or value.tzinfo is None:
            value = type_.process_result_value(value, conn.dialect)  # type: ignore[attr-defined]
        result[int(r.user_id)] = value
    return result


def insert_editions(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert built editions, skipping any whose (user, date, slot) exists; how many went in.

    One statement for the batch (``ON CONFLICT DO NOTHING RETURNING id``): the
    unique key, not a read before the write, decides who built an edition.
    """
    if not rows:
        return 0
    full = [{"status": "built", "attempts": 0, "resent": 0, **row} for row in rows]
    dialect = conn.dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(edition_outbox).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(edition_outbox).on_conflict_do_nothing()
    else:  # pragma: no cover - the two engines newsdesk supports are above
        done = 0
        for row in full:
            if get_edition(conn, row["user_id"], row["local_date"], row["slot"]) is None:
                conn.execute(edition_outbox.insert().values(**row))
                done += 1
        return done
    # A returned id per row actually inserted (rowcount is unreliable with RETURNING).
    result = conn.execute(statement.returning(edition_outbox.c.id), full)
    return len(result.all())


def insert_edition(conn: Connection, **values: Any) -> bool:
    """Insert one built edition; False when one with its (user, date, slot) already exists."""
    return insert_editions(conn, [values]) == 1


def claim(
    conn: Connection,
    entry_id: int,
    *,
    now: datetime,
    stale_before: datetime | None = None,
    any_failed: bool = False,
) -> str | None:
    """Take the right to send one edition; returns the claim token, or None if another has it.

    A row is claimable when built, when failed and its retry time has come, or
    when its ``sending`` claim is older than ``stale_before`` (its sender died
    before DATA, so nothing can have been delivered).
    """
    token = secrets.token_hex(16)
    failed = edition_outbox.c.status == "failed"
    if not any_failed:  # the admin may retry now; the scheduler waits for the retry time
        failed = (
            failed
            & edition_outbox.c.next_attempt_at.is_not(None)
            & (edition_outbox.c.next_attempt_at <= now)
        )
    sendable = (edition_outbox.c.status == "built") | failed
    if stale_before is not None:
        sendable = sendable | (
            (edition_outbox.c.status == "sending") & (edition_outbox.c.claimed_at < stale_before)
        )
    done = conn.execute(
        update(edition_outbox)
        .where(edition_outbox.c.id == entry_id, sendable)
        .values(
            status="sending",
            claim=token,
            claimed_at=now,
            attempts=edition_outbox.c.attempts + 1,
        )
    )
    return token if done.rowcount == 1 else None


def claim_for_resend(conn: Connection, entry_id: int, *, now: datetime) -> str | None:
    """The admin's resend: claim any row not being sent right now."""
    token = secrets.token_hex(16)
    done = conn.execute(
        update(edition_outbox)
        .where(edition_outbox.c.id == entry_id, edition_outbox.c.status.not_in(("sending", "data")))
        .values(
            status="sending",
            claim=token,
            claimed_at=now,
            attempts=edition_outbox.c.attempts + 1,
            resent=edition_outbox.c.resent + 1,
        )
    )
    return token if done.rowcount == 1 else None


def set_status(conn: Connection, entry_id: int, token: str, status: str, **values: Any) -> bool:
    """Move a claimed row on (data, sent, failed, unknown); only the claim holder can."""
    done = conn.execute(
        update(edition_outbox)
        .where(edition_outbox.c.id == entry_id, edition_outbox.c.claim == token)
        .values(status=status, **values)
    )
    return done.rowcount == 1


def sendable_ids(conn: Connection, *, now: datetime, stale_before: datetime) -> list[int]:
    """Rows a sender could claim now: built, due for a retry, or abandoned before DATA."""
    rows = conn.execute(
        select(edition_outbox.c.id)
        .where(
            or_(
                edition_outbox.c.status == "built",
                (edition_outbox.c.status == "failed")
                & edition_outbox.c.next_attempt_at.is_not(None)
                & (edition_outbox.c.next_attempt_at <= now),
                (edition_outbox.c.status == "sending")
                & (edition_outbox.c.claimed_at < stale_before),
            )
        )
        .order_by(edition_outbox.c.id)
    )
    return [int(r.id) for r in rows]


def abandon_stale_data(conn: Connection, *, stale_before: datetime, now: datetime) -> int:
    """Rows whose sender died during DATA: the server may have the mail, so mark them unknown."""
    done = conn.execute(
        update(edition_outbox)
        .where(edition_outbox.c.status == "data", edition_outbox.c.claimed_at < stale_before)
        .values(
            status="unknown",
            last_error="the sender stopped during DATA; the server may have the mail",
            next_attempt_at=None,
        )
    )
    return int(done.rowcount)


def retry_delay(attempts: int) -> timedelta:
    """Back off 1, 2, 4 ... minutes after each failed attempt, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))
