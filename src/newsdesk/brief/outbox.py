"""Building editions into the outbox and delivering them from it, exactly once.

Life of one edition, named (user, local date, slot):

1. **built**: chosen, rendered and inserted in one transaction; the unique
   name means a second builder (another scheduler, a restart) inserts nothing.
2. **sending**: a sender claims the row with one conditional UPDATE; only
   one process can win it. A sender that dies here has not started DATA, so
   once its claim is older than ``edition_claim_timeout`` (``STALE_CLAIM`` by
   default) another sender may take it. The old sender, if it was only slow,
   finds its claim gone at the point of no return and stops before DATA.
3. **data**: written (and committed) right before the SMTP DATA command. From
   here on, a failure without an answer from the server is ambiguous.
4. **sent** on the server's 250; **failed** on a certain failure, with
   ``next_attempt_at`` backing off (retried until ``MAX_ATTEMPTS``, then left
   failed); **unknown** on an ambiguous one.

The choice for ambiguity: **at most once over at least once**. A server that
takes the message and drops the connection before its reply has most likely
queued it; sending again would very likely make two. So ``unknown`` is never
resent automatically; ``newsdesk edition ... --resend`` is the admin's way to
send it again, with the same Message-ID so a client can fold duplicates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from newsdesk.brief.mail import compose, message_id
from newsdesk.brief.models import Edition
from newsdesk.brief.render import RenderedEdition, render_edition
from newsdesk.brief.schedule import (
    DueEdition,
    candidate_dates,
    due_editions,
    local_date_of,
    slot_instant,
    window_for,
)
from newsdesk.brief.select import (
    EditionRequest,
    WindowIndex,
    index_window,
    select_edition,
    slice_window,
    with_search_matches,
)
from newsdesk.brief.smtp import MailError, SmtpConfig, send_message
from newsdesk.brief.unsubscribe import unsubscribe_url
from newsdesk.config import session_secret
from newsdesk.errors import BriefError, FollowError, InputError
from newsdesk.follow.query import parse_query
from newsdesk.store import editions as store
from newsdesk.store.db import Database
from newsdesk.store.editions import WindowNews
from newsdesk.store.query_ast import Query

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from newsdesk.config import Settings

STALE_CLAIM = timedelta(minutes=15)
#: "Developing" looks at the stories the reader read in this long before the window.
READ_LOOKBACK = timedelta(days=7)
MAX_ATTEMPTS = 10
BUILD_BATCH = 500
#: Builds of at least this many editions are split over processes (see ``build_processes``).
PARALLEL_FROM = 2000
MAX_PROCESSES = 8


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        tls=settings.smtp_tls,
        timeout=settings.smtp_timeout,
    )


def claim_timeout(settings: Settings) -> timedelta:
    """How old a ``sending`` (or ``data``) claim must be before its sender counts as dead."""
    return timedelta(seconds=settings.edition_claim_timeout)


def check_slot(slot: str) -> str:
    if slot not in store.SLOTS:
        raise InputError(f"unknown edition {slot!r}", hint="choose morning or evening")
    return slot


@dataclass(frozen=True, slots=True)
class Built:
    edition: Edition
    rendered: RenderedEdition
    values: dict[str, object]


WindowCache = dict[tuple[datetime, datetime], WindowIndex]


#: The key under which a window cache keeps one read spanning all the windows a build needs.
_SPAN = (datetime.min.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC))


Searches = dict[str, Query]


def saved_search_queries(readers: Iterable[store.ReaderRecord]) -> Searches:
    """The parsed query of every saved search these readers follow, by its text (parsed once
    however many follow it); a text that no longer parses reaches nothing, as in Following."""
    found: Searches = {}
    for reader in readers:
        for _, text in reader.searches:
            if text not in found:
                try:
                    found[text] = parse_query(text)
                except FollowError:
                    continue
    return found


def _load(conn: Connection, start: datetime, end: datetime, searches: Searches) -> WindowNews:
    """The window's news, with the articles each followed saved search finds marked as such."""
    news = store.load_window(conn, start, end)
    if searches and news.stories:
        ids = [a.id for st in news.stories for a in st.articles]
        matches = store.search_matches(conn, searches, min(ids), max(ids), now=end)
        news = with_search_matches(news, matches)
    return news


def _news(
    conn: Connection, start: datetime, end: datetime, cache: WindowCache, searches: Searches
) -> WindowIndex:
    """The indexed news of one window: sliced from the build's one spanning read if it has
    one, else read by itself."""
    key = (start, end)
    if key not in cache:
        span = cache.get(_SPAN)
        if span is not None and span.news.start <= start and end <= span.news.end:
            cache[key] = index_window(slice_window(span.news, start, end))
        else:
            cache[key] = index_window(_load(conn, start, end, searches))
    return cache[key]


def _read_span(
    conn: Connection,
    windows: set[tuple[datetime, datetime]],
    cache: WindowCache,
    searches: Searches,
) -> None:
    """Read once what several windows cover together (a whole day of editions), to slice."""
    if len(windows) > 1 and _SPAN not in cache:
        start = min(w[0] for w in windows)
        end = max(w[1] for w in windows)
        news = _load(conn, start, end, searches)
        cache[_SPAN] = WindowIndex(news, {}, {}, {}, None)


def _build_one(
    conn: Connection,
    schedule: store.Schedule,
    local_date: str,
    slot: str,
    at: datetime,
    *,
    previous_end: datetime | None,
    reader: store.ReaderRecord,
    settings: Settings,
    now: datetime,
    cache: WindowCache,
    secret: str,
    read: tuple[store.ReadArticles, set[str]] | None,
    searches: Searches,
) -> Built:
    start, end = window_for(at, previous_end)
    index = _news(conn, start, end, cache, searches)
    if read is None and index.article_range is not None:
        low, high = index.article_range
        found = store.read_states(conn, [schedule.user_id], low, high, since=start - READ_LOOKBACK)
        read = found[schedule.user_id]
    read_set, read_keys = read if read is not None else (store.ReadArticles(), set())
    read_ids = None if read_set.nothing_read else read_set
    request = EditionRequest(
        user_id=schedule.user_id,
        slot=slot,
        local_date=local_date,
        time_zone=schedule.time_zone,
        base_url=settings.base_url,
        top_n=settings.edition_top_stories,
    )
    edition = select_edition(
        index, reader, request, read_article_ids=read_ids, read_story_keys=read_keys
    )
    link = unsubscribe_url(settings.base_url, schedule.user_id, secret)
    rendered = render_edition(
        edition, email=schedule.email, base_url=settings.base_url, unsubscribe_url=link
    )
    values: dict[str, object] = {
        "user_id": schedule.user_id,
        "local_date": local_date,
        "slot": slot,
        "built_at": now,
        "window_start": start,
        "window_end": end,
        "message_id": message_id(schedule.user_id, local_date, slot, settings.mail_from),
        "recipient": schedule.email,
        "subject": rendered.subject,
        "parts": store.pack_parts(rendered.text, rendered.html, edition.to_json()),
    }
    return Built(edition, rendered, values)


def _instant(schedule: store.Schedule, local_date: str, slot: str) -> datetime:
    default = store.DEFAULT_MORNING if slot == "morning" else store.DEFAULT_EVENING
    hhmm = schedule.time_of(slot) or default
    return slot_instant(date.fromisoformat(local_date), hhmm, schedule.time_zone)


def default_local_date(db: Database, user_id: int, *, now: datetime) -> str:
    with db.connect() as conn:
        schedule = store.schedule_of(conn, user_id)
    return local_date_of(now, schedule.time_zone).isoformat()


def preview(
    db: Database, user_id: int, local_date: str, slot: str, *, now: datetime, settings: Settings
) -> Built:
    """The edition as it would be built now, stored nowhere (an archived one is not rebuilt)."""
    check_slot(slot)
    with db.connect() as conn:
        schedule = store.schedule_of(conn, user_id)
        at = _instant(schedule, local_date, slot)
        previous = store.last_window_ends(conn, at - store_window_floor())
        reader = store.readers(conn, [user_id])[user_id]
        return _build_one(
            conn,
            schedule,
            local_date,
            slot,
            at,
            previous_end=_before(previous.get(user_id), at),
            reader=reader,
            settings=settings,
            now=now,
            cache={},
            secret=session_secret(settings),
            read=None,
            searches=saved_search_queries([reader]),
        )


def store_window_floor() -> timedelta:
    return timedelta(days=3)


def _before(value: datetime | None, at: datetime) -> datetime | None:
    return value if value is not None and value < at else None


def build(
    db: Database,
    user_id: int,
    local_date: str,
    slot: str,
    *,
    now: datetime,
    settings: Settings,
) -> store.OutboxEntry:
    """Build one named edition into the outbox unless it exists; return the stored row."""
    check_slot(slot)
    with db.connect() as conn:
        existing = store.get_edition(conn, user_id, local_date, slot)
    if existing is not None:
        return existing
    with db.connect() as conn:
        schedule = store.schedule_of(conn, user_id)
    due = DueEdition(user_id, local_date, slot, _instant(schedule, local_date, slot))
    build_many(db, [due], now=now, settings=settings)
    with db.connect() as conn:
        entry = store.get_edition(conn, user_id, local_date, slot)
    if entry is None:  # pragma: no cover - the insert above or a racing builder made it
        raise BriefError(f"edition {local_date} {slot} of user {user_id} was not built")
    return entry


def build_processes(settings: Settings, editions: int) -> int:
    """How many processes build ``editions``: one per core (or the setting) for a big build,
    one for a small one (starting a process costs more than a few hundred editions)."""
    import multiprocessing

    # A daemon process (a Celery prefork child) may not start processes of its own.
    if editions < PARALLEL_FROM or multiprocessing.current_process().daemon:
        return 1
    wanted = settings.edition_build_processes or (os.cpu_count() or 1)
    return max(1, min(wanted, MAX_PROCESSES, editions // (PARALLEL_FROM // 2)))


def build_many(
    db: Database,
    due: list[DueEdition],
    *,
    now: datetime,
    settings: Settings,
    cache: WindowCache | None = None,
) -> int:
    """Build these editions (oldest first, so each window starts where the last ended).

    Choosing and rendering is pure Python, so one process uses one core: a big
    build (a whole zone's morning, a day in the benchmark) is split by reader
    over :func:`build_processes` processes, each building its readers' editions
    the same way. The outbox's unique key still decides what is built once, so
    a split changes nothing about exactly-once. Returns how many rows went in.
    """
    workers = build_processes(settings, len(due))
    if workers > 1 and cache is None:
        return _build_in_processes(db, due, now=now, settings=settings, workers=workers)
    return _build_here(db, due, now=now, settings=settings, cache=cache)


def _build_in_processes(
    db: Database, due: list[DueEdition], *, now: datetime, settings: Settings, workers: int
) -> int:
    """Each reader's editions go to one process (their windows chain), readers dealt round."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares: list[list[DueEdition]] = [[] for _ in range(workers)]
    for item in due:
        shares[item.user_id % workers].append(item)
    url = db.engine.url.render_as_string(hide_password=False)
    # Spawned, not forked: a fork would share the parent's open connections and threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = [pool.submit(build_share, url, settings, share, now) for share in shares if share]
        return sum(f.result() for f in done)


def build_share(url: str, settings: Settings, due: list[DueEdition], now: datetime) -> int:
    """One process's share of a split build (module level, so a spawned process finds it)."""
    from newsdesk.store.db import open_database

    return _build_here(open_database(settings, url=url), due, now=now, settings=settings)


def _build_here(
    db: Database,
    due: list[DueEdition],
    *,
    now: datetime,
    settings: Settings,
    cache: WindowCache | None = None,
) -> int:
    """Build in this process: every reader's follows, mutes and read state in a few
    statements, the windows' news read once as one span; inserts in batches."""
    if not due:
        return 0
    cache = {} if cache is None else cache
    ordered = sorted(due, key=lambda d: (d.at, d.user_id, d.slot))
    user_ids = sorted({d.user_id for d in ordered})
    floor = ordered[0].at - store_window_floor()
    with db.connect() as conn:
        by_user = {s.user_id: s for s in store.schedules(conn) if s.user_id in set(user_ids)}
        readers = store.readers(conn, user_ids)
        last_end = store.last_window_ends(conn, floor)
    searches = saved_search_queries(readers.values())
    windows = {window_for(d.at, _before(last_end.get(d.user_id), d.at)) for d in ordered}
    # A reader's later edition in this build starts where the earlier one ends, inside the
    # span of these windows: one read of the span serves them all.
    reads: dict[int, tuple[store.ReadArticles, set[str]]] = {}
    with db.connect() as conn:
        _read_span(conn, windows, cache, searches)
        # What every reader has read, over all the windows' articles, in a few statements.
        span = cache.get(_SPAN)
        if span is not None:
            ids = [a.id for st in span.news.stories for a in st.articles]
            article_range = (min(ids), max(ids)) if ids else None
        else:
            (only,) = windows
            article_range = _news(conn, only[0], only[1], cache, searches).article_range
        if article_range is not None:
            since = min(w[0] for w in windows) - READ_LOOKBACK
            reads = store.read_states(conn, user_ids, *article_range, since=since)
    inserted = 0
    secret = session_secret(settings)
    for start in range(0, len(ordered), BUILD_BATCH):
        batch = ordered[start : start + BUILD_BATCH]
        rows: list[dict[str, object]] = []
        with db.connect() as conn:  # built first, then written: no transaction held meanwhile
            for item in batch:
                schedule = by_user.get(item.user_id)
                if schedule is None:
                    continue
                built = _build_one(
                    conn,
                    schedule,
                    item.local_date,
                    item.slot,
                    item.at,
                    previous_end=_before(last_end.get(item.user_id), item.at),
                    reader=readers.get(item.user_id, store.ReaderRecord()),
                    settings=settings,
                    now=now,
                    cache=cache,
                    secret=secret,
                    read=reads.get(item.user_id, (store.ReadArticles(), set())),
                    searches=searches,
                )
                rows.append(built.values)
                last_end[item.user_id] = item.at
        with db.begin() as conn:
            inserted += store.insert_editions(conn, rows)
    return inserted


class ClaimLostError(BriefError):
    """Our claim on an edition was taken over before DATA: the other sender sends it."""

    stage = "mail"


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one delivery attempt did: sent, failed (retry at), unknown, or skipped (not ours)."""

    entry_id: int
    outcome: str
    error: str | None = None
    error_kind: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id,
            "outcome": self.outcome,
            "error": self.error,
            "error_kind": self.error_kind,
        }


def deliver(
    db: Database,
    entry_id: int,
    *,
    now: datetime,
    settings: Settings,
    resend: bool = False,
    retry_now: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> Delivery:
    """Claim one outbox row and send it; never sends a row another sender holds or has sent."""
    with db.begin() as conn:
        if resend:
            token = store.claim_for_resend(conn, entry_id, now=now)
        else:
            token = store.claim(
                conn,
                entry_id,
                now=now,
                stale_before=now - claim_timeout(settings),
                any_failed=retry_now,
            )
    if token is None:
        return Delivery(entry_id, "skipped")
    with db.connect() as conn:
        entry = store.get_edition_by_id(conn, entry_id)
    link = unsubscribe_url(settings.base_url, entry.user_id, session_secret(settings))
    message = compose(
        mail_from=settings.mail_from,
        to=entry.recipient,
        subject=entry.subject,
        text=entry.text_part,
        html=entry.html_part,
        message_id=entry.message_id,
        unsubscribe_url=link,
        date=entry.built_at,
    )

    def point_of_no_return() -> None:
        with db.begin() as conn:
            if not store.set_status(conn, entry_id, token, "data"):
                # Another sender took this row over (our claim went stale while we were slow):
                # it sends the edition, so we stop here, before the server has anything.
                raise ClaimLostError(f"edition {entry_id} was claimed by another sender")

    try:
        send_message(message, smtp_config(settings), before_data=point_of_no_return)
    except ClaimLostError:
        return Delivery(entry_id, "skipped")
    except MailError as exc:
        after = clock() if clock else now
        with db.begin() as conn:
            if exc.ambiguous:
                store.set_status(
                    conn, entry_id, token, "unknown", last_error=str(exc), next_attempt_at=None
                )
                return Delivery(entry_id, "unknown", str(exc), exc.kind)
            retry_at = None
            if exc.retry and entry.attempts < MAX_ATTEMPTS:
                retry_at = after + store.retry_delay(entry.attempts)
            store.set_status(
                conn, entry_id, token, "failed", last_error=str(exc), next_attempt_at=retry_at
            )
        return Delivery(entry_id, "failed", str(exc), exc.kind)
    sent_at = clock() if clock else now
    with db.begin() as conn:
        store.set_status(
            conn, entry_id, token, "sent", sent_at=sent_at, last_error=None, next_attempt_at=None
        )
    return Delivery(entry_id, "sent")


@dataclass(slots=True)
class RoundReport:
    """One scheduler round: editions built, and each delivery's outcome."""

    built: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.deliveries if d.outcome == outcome)

    def to_dict(self) -> dict[str, object]:
        return {
            "built": self.built,
            "sent": self.count("sent"),
            "failed": self.count("failed"),
            "unknown": self.count("unknown"),
            "deliveries": [d.to_dict() for d in self.deliveries],
        }


def run_round(db: Database, *, now: datetime, settings: Settings) -> RoundReport:
    """Build the editions due at ``now`` and send everything sendable. Safe to run anywhere,
    any number of times, in any number of processes at once."""
    report = RoundReport()
    with db.connect() as conn:
        schedules = store.schedules(conn)
        built = store.existing_keys(conn, candidate_dates(now))
    report.built = build_many(db, due_editions(now, schedules, built), now=now, settings=settings)
    with db.begin() as conn:
        store.abandon_stale_data(conn, stale_before=now - claim_timeout(settings), now=now)
    with db.connect() as conn:
        ids = store.sendable_ids(conn, now=now, stale_before=now - claim_timeout(settings))
    report.deliveries.extend(deliver_many(db, ids, now=now, settings=settings))
    return report


def deliver_many(
    db: Database, ids: list[int], *, now: datetime, settings: Settings
) -> list[Delivery]:
    """Deliver these rows, ``edition_send_concurrency`` at a time.

    Safe in parallel for the same reason two schedulers are: each row is
    claimed by one conditional update, so no two senders ever hold one row.
    Mail servers answer slowly (tens to hundreds of milliseconds a message),
    so a few senders at once multiply the rate.
    """
    workers = max(1, settings.edition_send_concurrency)
    if workers == 1 or len(ids) <= 1:
        return [deliver(db, entry_id, now=now, settings=settings) for entry_id in ids]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="edition-send") as pool:
        return list(pool.map(lambda i: deliver(db, i, now=now, settings=settings), ids))
