"""Refreshing sources: fetch every due feed concurrently, store what is new.

Network work runs on one event loop (many feeds in flight, bounded per host
and overall by the :class:`Fetcher`); database work runs on one writer thread,
so SQLite sees a single writer and the loop never blocks on a commit. Each
feed's new entries and their articles are written in one transaction; if that
fails, the entries are retried one by one so one bad entry costs only itself.

A failure is kept on the source (``last_error``, ``consecutive_failures``) and
the run goes on. A source is paused after ``max_consecutive_failures``, or at
once when the publisher says the feed is gone (410) or the SSRF guard refuses
it, with the reason kept for ``sources list``.
"""

from __future__ import annotations

import asyncio
import collections
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from newsdesk.config import Settings, get_settings
from newsdesk.errors import BlockedURLError, FeedError, FetchError, NewsdeskError
from newsdesk.logs import get_logger
from newsdesk.models import FeedInfo, FeedItem
from newsdesk.sources import schedule
from newsdesk.sources.feed_work import FeedWorkers
from newsdesk.sources.fetch import FEED_ACCEPT, Fetcher, FetchResult, HTTPStatusError, run_sync
from newsdesk.sources.fulltext import ItemArticle, article_for_item, needs_full_text
from newsdesk.sources.politeness import HostBackoffError
from newsdesk.sources.refresh_report import RefreshReport, SourceOutcome, Status
from newsdesk.sources.robots import RobotsCache
from newsdesk.sources.writer import GroupWriter
from newsdesk.store import sources as repo

log = get_logger(__name__)

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def interleave_by_host(rows: Sequence[repo.SourceRow]) -> list[repo.SourceRow]:
    """Round-robin over hosts so one big host's queue does not hold everyone else's slots."""
    queues: dict[str, list[repo.SourceRow]] = {}
    for row in rows:
        queues.setdefault(_host(row.url), []).append(row)
    ordered: list[repo.SourceRow] = []
    lists = list(queues.values())
    depth = max((len(q) for q in lists), default=0)
    for i in range(depth):
        ordered.extend(q[i] for q in lists if i < len(q))
    return ordered


class Refresher:
    """One refresh run over a set of sources."""

    def __init__(
        self,
        db: Any,
        settings: Settings,
        *,
        now: Callable[[], datetime] = _now,
        enrich: bool = True,
        on_done: Callable[[SourceOutcome], None] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.now = now
        # Articles are queued for the enrichers, never enriched while a refresh writes them:
        # storing must not wait on NLP (see newsdesk.enrichment, which works the queue).
        self._enrich_mode: Literal["later"] | bool = "later" if enrich else False
        self.on_done = on_done
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-read")
        self._writer: GroupWriter | None = None
        self._workers: FeedWorkers | None = None
        self._random = random.Random()
        self._cpu: dict[str, float] = collections.defaultdict(float)

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reader, fn, *args)

    async def _write(self, name: str, **kwargs: Any) -> SourceOutcome:
        """Run write step ``name`` (a method taking a connection) on the writer, grouped.

        Steps are named, with plain-data arguments, so that a writer process can run them.
        """
        assert self._writer is not None
        future = self._writer.submit(
            partial(self.apply_step, name=name, kwargs=kwargs),
            partial(self.run_alone, name, kwargs),
            (name, kwargs),
            heavy=name == "_apply_refresh",
        )
        outcome: SourceOutcome = await asyncio.wrap_future(future)
        return outcome

    def apply_step(self, conn: Any, name: str, kwargs: dict[str, Any]) -> SourceOutcome:
        """One write step in ``conn``'s (the group's) transaction."""
        if name not in _STEPS:
            raise ValueError(f"not a write step: {name}")
        outcome: SourceOutcome = getattr(self, name)(conn, **kwargs)
        return outcome

    def run_alone(self, name: str, kwargs: dict[str, Any]) -> SourceOutcome:
        """One write step after its group failed: in its own transaction(s)."""
        if name == "_apply_refresh":
            return self._feed_alone(kwargs["job"])
        with self.db.begin() as conn:
            return self.apply_step(conn, name, kwargs)

    def take_cpu(self, key: str) -> float:
        """CPU seconds counted under ``key`` since the last call (for a writer process)."""
        return self._cpu.pop(key, 0.0)

    async def run(self, rows: Sequence[repo.SourceRow]) -> RefreshReport:
        report = RefreshReport()
        cpu_start = time.process_time()
        in_flight = asyncio.Semaphore(max(4, self.settings.fetch_concurrency * 2))
        processes = FeedWorkers.processes_for(len(rows))
        self._writer = GroupWriter(self.db, remote=self._remote_writer if processes else None)
        self._workers = FeedWorkers(processes)
        try:
            async with Fetcher(self.settings) as fetcher:
                robots = RobotsCache(fetcher)

                async def one(row: repo.SourceRow) -> None:
                    async with in_flight:
                        outcome = await self._refresh_one(row, fetcher, robots)
                    report.outcomes.append(outcome)
                    if self.on_done is not None:
                        self.on_done(outcome)

                await asyncio.gather(*(one(row) for row in interleave_by_host(rows)))
        finally:
            self._writer.close()
            self._workers.close()
            self._reader.shutdown(wait=True)
        self._cpu["writer_thread"] = self._writer.cpu_seconds
        for key, seconds in self._writer.remote_cpu.items():
            self._cpu[f"writer_process_{key}"] = seconds
        self._cpu["process"] = time.process_time() - cpu_start
        report.cpu_seconds = dict(self._cpu)
        return report

    async def _refresh_one(
        self, row: repo.SourceRow, fetcher: Fetcher, robots: RobotsCache
    ) -> SourceOutcome:
        try:
            return await self._refresh_or_raise(row, fetcher, robots)
        except (FetchError, FeedError) as exc:
            return await self._write("_apply_failure", row=row, exc=exc, now=self.now())
        except NewsdeskError as exc:  # e.g. the store refused a write: keep it on the source
            log.warning("refresh failed", source_url=row.url, error=str(exc))
            return await self._write("_apply_failure", row=row, exc=exc, now=self.now())
        except (asyncio.CancelledError, KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:
            # A bug met on one feed (a parser crash on hostile input): logged with its traceback
            # and kept on the source, so one feed cannot stop a scheduled run for all the others.
            log.exception("unexpected error refreshing a source", source_url=row.url)
            error = NewsdeskError(
                f"internal error while refreshing: {type(exc).__name__}: {exc}",
                hint="this is a bug in newsdesk; please report it with the feed",
            )
            return await self._write("_apply_failure", row=row, exc=error, now=self.now())

    async def _refresh_or_raise(
        self, row: repo.SourceRow, fetcher: Fetcher, robots: RobotsCache
    ) -> SourceOutcome:
        result = await fetcher.get(
            row.url,
            max_bytes=self.settings.max_feed_bytes,
            accept=FEED_ACCEPT,
            etag=row.etag,
            last_modified=row.last_modified,
        )
        if result.not_modified:
            now = self.now()
            return await self._write("_apply_unchanged", row=row, result=result, now=now)
        assert self._workers is not None
        prepared = await self._workers.prepare(
            result.content, result.final_url, result.content_type
        )
        self._cpu["parse"] += prepared.cpu_seconds
        entries = prepared.entries
        made_from = zip(entries, prepared.articles, prepared.hashes, strict=True)
        own = {e.key: (article, digest) for e, article, digest in made_from}
        known = await self._read(self._known, row.id, [e.key for e in entries])
        new = [e for e in entries if e.key not in known]
        changed = [
            (known[e.key].id, e)
            for e in entries
            if e.key in known and known[e.key].content_hash != repo.item_fingerprint(e)
        ]
        feed = prepared.feed
        want_full = [e for e in new if self.settings.fetch_full_text and needs_full_text(e)]
        fetched = await asyncio.gather(
            *(article_for_item(e, feed, fetcher=fetcher, robots=robots) for e in want_full)
        )
        pages = dict(zip((e.key for e in want_full), fetched, strict=True))
        made: list[ItemArticle] = []
        hashes: list[str | None] = []
        for e in new:
            page = pages.get(e.key)
            made.append(page if page is not None else ItemArticle(own[e.key][0], None))
            hashes.append(None if page is not None else own[e.key][1])
        kept = replace(result, content=b"")  # the writer needs the headers, not the body
        job = _FeedWrite(row, kept, feed, new, made, hashes, changed, self.now())
        return await self._write("_apply_refresh", job=job)

    def _remote_writer(self) -> Any:
        """A writer process for a big run, or None when it cannot start (then: the thread)."""
        from newsdesk.sources.writer_process import RemoteWriter

        url_parts = self.db.engine.url
        if url_parts.get_backend_name() == "sqlite" and url_parts.database in (
            None,
            "",
            ":memory:",
        ):
            return None  # a memory database exists in this process only
        try:
            url = url_parts.render_as_string(hide_password=False)
            return RemoteWriter(url, self.settings, enrich=self._enrich_mode == "later")
        except (OSError, ValueError) as exc:
            log.warning("no writer process, writing in this process", error=str(exc))
            return None

    # --- writer thread ----------------------------------------------------

    def _known(self, source_id: int, keys: list[str]) -> dict[str, repo.KnownItem]:
        with self.db.connect() as conn:
            return repo.known_items(conn, source_id, keys)

    def _schedule(self, conn: Any, row: repo.SourceRow, now: datetime) -> tuple[datetime, int]:
        times = repo.recent_item_times(conn, row.id)
        base = schedule.adaptive_interval(
            times,
            now=now,
            min_seconds=self.settings.min_refresh_interval,
            max_seconds=self.settings.max_refresh_interval,
        )
        seconds = schedule.jittered(
            base,
            self._random.random(),
            lower=self.settings.min_refresh_interval,
            upper=self.settings.max_refresh_interval,
        )
        return schedule.next_refresh(now, seconds), base

    def _apply_unchanged(
        self, conn: Any, *, row: repo.SourceRow, result: FetchResult, now: datetime
    ) -> SourceOutcome:
        next_at, interval = self._schedule(conn, row, now)
        repo.record_success(
            conn,
            row.id,
            now=now,
            etag=result.etag or row.etag,
            last_modified=result.last_modified or row.last_modified,
            next_refresh_at=next_at,
            interval_seconds=interval,
            new_url=self._moved(conn, row, result),
        )
        return SourceOutcome(row.id, row.url, "unchanged", moved_to=self._moved_to(row, result))

    def _moved(self, conn: Any, row: repo.SourceRow, result: FetchResult) -> str | None:
        target = self._moved_to(row, result)
        if target is None or repo.url_taken(conn, target, other_than=row.id):
            return None
        log.info("source moved permanently", source_id=row.id, old=row.url, new=target)
        return target

    @staticmethod
    def _moved_to(row: repo.SourceRow, result: FetchResult) -> str | None:
        target = result.permanent_url
        return target if target and target != row.url else None

    def _apply_refresh(self, conn: Any, *, job: _FeedWrite) -> SourceOutcome:
        """All of one feed's new and edited entries, then its health, in ``conn``'s transaction."""
        rows = self._item_rows(conn, job)
        repo.insert_items(conn, rows)
        for item_id, entry in job.changed:
            repo.update_item(conn, item_id, entry, now=job.now)
        return self._finish_refresh(conn, job, len(rows))

    def _feed_alone(self, job: _FeedWrite) -> SourceOutcome:
        """After a failed group: this feed in its own transaction, else entry by entry."""
        try:
            with self.db.begin() as conn:
                return self._apply_refresh(conn, job=job)
        except (NewsdeskError, SQLAlchemyError) as exc:
            log.info(
                "feed write failed, writing entries one by one",
                source_url=job.row.url,
                error=str(exc),
            )
            return self._alone(job)

    def _alone(self, job: _FeedWrite) -> SourceOutcome:
        """After a failed group: one transaction per entry, so only a bad one is lost."""
        stored = 0
        for entry, item_article in zip(job.new, job.made, strict=True):
            stored += self._store_alone(job.row.id, entry, item_article, job.now)
        for item_id, entry in job.changed:
            with self.db.begin() as conn:
                repo.update_item(conn, item_id, entry, now=job.now)
        with self.db.begin() as conn:
            return self._finish_refresh(conn, job, stored)

    def _finish_refresh(self, conn: Any, job: _FeedWrite, stored: int) -> SourceOutcome:
        row, result = job.row, job.result
        next_at, interval = self._schedule(conn, row, job.now)
        repo.record_success(
            conn,
            row.id,
            now=job.now,
            etag=result.etag,
            last_modified=result.last_modified,
            next_refresh_at=next_at,
            interval_seconds=interval,
            new_url=self._moved(conn, row, result),
            title=job.feed.title,
            site_url=job.feed.link,
        )
        status: Status = "new" if stored or job.changed else "unchanged"
        return SourceOutcome(
            row.id,
            row.url,
            status,
            new_items=stored,
            updated_items=len(job.changed),
            moved_to=self._moved_to(row, result),
        )

    def _item_rows(self, conn: Any, job: _FeedWrite) -> list[dict[str, Any]]:
        """Store the feed's new articles in one batch (through the pipeline); the entries' rows."""
        from newsdesk.pipeline import store_articles

        source_id = job.row.id
        to_store = [(m.article, h) for m, h in zip(job.made, job.hashes, strict=True) if m.article]
        started = time.thread_time()
        outcomes = iter(
            store_articles(
                conn,
                [a for a, _ in to_store],
                now=job.now,
                source_id=source_id,
                enrich=self._enrich_mode,
                hashes=[h for _, h in to_store],
            )
        )
        self._cpu["store_article"] += time.thread_time() - started
        rows = []
        for entry, made in zip(job.new, job.made, strict=True):
            article_id = None
            error = made.error
            if made.article is not None:
                article_id = next(outcomes).article_id
            elif error is None:
                error = "the entry carries no text to make an article from"
            rows.append(
                repo.item_row(
                    source_id,
                    entry,
                    now=job.now,
                    article_id=article_id,
                    full_text=made.full_text,
                    article_error=error,
                )
            )
        return rows

    def _item_row(
        self, conn: Any, source_id: int, entry: FeedItem, made: ItemArticle, now: datetime
    ) -> dict[str, Any]:
        """Store the entry's article (through the pipeline) and return the entry's row."""
        from newsdesk.pipeline import store_article

        article_id = None
        error = made.error
        if made.article is not None:
            started = time.thread_time()
            outcome = store_article(
                conn, made.article, now=now, source_id=source_id, enrich=self._enrich_mode
            )
            self._cpu["store_article"] += time.thread_time() - started
            article_id = outcome.article_id
        elif error is None:
            error = "the entry carries no text to make an article from"
        return repo.item_row(
            source_id,
            entry,
            now=now,
            article_id=article_id,
            full_text=made.full_text,
            article_error=error,
        )

    def _store_item(
        self, conn: Any, source_id: int, entry: FeedItem, made: ItemArticle, now: datetime
    ) -> int:
        repo.insert_items(conn, [self._item_row(conn, source_id, entry, made, now)])
        return 1

    def _store_alone(
        self, source_id: int, entry: FeedItem, made: ItemArticle, now: datetime
    ) -> int:
        try:
            with self.db.begin() as conn:
                return self._store_item(conn, source_id, entry, made, now)
        except IntegrityError:
            return 0  # stored meanwhile (another refresh of the same source): not a duplicate
        except (NewsdeskError, SQLAlchemyError) as exc:
            # The article could not be stored: keep the entry itself, with the reason.
            log.warning("article not stored", link=entry.link, error=str(exc))
            try:
                with self.db.begin() as conn:
                    repo.insert_item(
                        conn, source_id, entry, now=now, article_id=None, article_error=str(exc)
                    )
                return 1
            except IntegrityError:
                return 0

    def _apply_failure(
        self, conn: Any, *, row: repo.SourceRow, exc: NewsdeskError, now: datetime
    ) -> SourceOutcome:
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(exc, HostBackoffError):
            # Not sent at all: another feed on this host was told to wait. Not a failure.
            wait = int(exc.retry_after + 1)
            repo.record_deferred(
                conn, row.id, now=now, next_refresh_at=schedule.next_refresh(now, wait)
            )
            return SourceOutcome(row.id, row.url, "deferred", error=str(exc))
        pause_now = None
        if isinstance(exc, HTTPStatusError) and exc.gone:
            pause_now = f"the publisher removed this feed: {exc}; remove the source or resume it"
        elif isinstance(exc, BlockedURLError):
            pause_now = f"refused by the SSRF guard: {exc}"
        failures = row.consecutive_failures + 1
        wait = schedule.failure_backoff(
            failures,
            min_seconds=self.settings.min_refresh_interval,
            max_seconds=self.settings.max_refresh_interval,
            retry_after=retry_after,
        )
        _count, paused = repo.record_failure(
            conn,
            row.id,
            now=now,
            error=str(exc),
            next_refresh_at=schedule.next_refresh(now, wait),
            max_failures=self.settings.max_consecutive_failures,
            pause_now=pause_now,
        )
        log.info("refresh failed", source_url=row.url, error=str(exc), paused=paused)
        return SourceOutcome(row.id, row.url, "failed", error=str(exc), paused=paused)


#: The write steps a writer (thread or process) runs by name.
_STEPS = frozenset({"_apply_refresh", "_apply_unchanged", "_apply_failure"})


@dataclass(frozen=True, slots=True)
class _FeedWrite:
    """Everything one feed's refresh writes, handed to the writer thread."""

    row: repo.SourceRow
    result: FetchResult
    feed: FeedInfo
    new: list[FeedItem]
    made: list[ItemArticle]
    hashes: list[str | None]  # content hash of each made article, when already computed
    changed: list[tuple[int, FeedItem]]
    now: datetime


async def refresh_async(
    db: Any,
    settings: Settings | None = None,
    *,
    source_ids: Sequence[int] | None = None,
    force: bool = False,
    enrich: bool = True,
    now: Callable[[], datetime] = _now,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[SourceOutcome], None] | None = None,
) -> RefreshReport:
    """Refresh the due sources (or the named ones, or all with ``force``)."""
    settings = settings or get_settings()
    with db.connect() as conn:
        if source_ids:
            rows = [repo.get_source(conn, sid) for sid in source_ids]
        else:
            rows = repo.due_sources(conn, now(), include_not_due=force)
    if on_start is not None:
        on_start(len(rows))
    refresher = Refresher(db, settings, now=now, enrich=enrich, on_done=on_done)
    return await refresher.run(rows)


def refresh(
    db: Any,
    settings: Settings | None = None,
    **kwargs: Any,
) -> RefreshReport:
    """Synchronous :func:`refresh_async` for the CLI and tests."""
    report: RefreshReport = run_sync(refresh_async(db, settings, **kwargs))
    return report
