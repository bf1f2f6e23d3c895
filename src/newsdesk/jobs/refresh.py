"""Refreshing sources: fetch every due feed concurrently, store what is new.

Network work runs on one event loop (many feeds in flight, bounded per host
and overall by the :class:`Fetcher`); database work runs on one writer thread,
so SQLite sees a single writer and the loop never blocks on a commit. The
write steps themselves are in :mod:`newsdesk.jobs.refresh_writes`. A big
run (``feed_work.PROCESS_MIN_FEEDS`` sources or more) parses in a worker
process and writes in another, since the loop and the writes would otherwise
take turns on one core under the interpreter lock. New articles are queued
for the enrichers (:mod:`newsdesk.jobs.enrichment`), never enriched here.

A failure is kept on the source (``last_error``, ``consecutive_failures``) and
the run goes on. A source is paused after ``max_consecutive_failures``, or at
once when the publisher says the feed is gone (410) or the SSRF guard refuses
it, with the reason kept for ``sources list``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from newsdesk.config import Settings, get_settings
from newsdesk.errors import FeedError, FetchError, NewsdeskError
from newsdesk.extract.feed_entry import article_from_item
from newsdesk.jobs.feed_work import FeedWorkers
from newsdesk.jobs.fulltext import QUEUED, ItemArticle, article_for_item, needs_full_text
from newsdesk.jobs.refresh_report import RefreshReport, SourceOutcome
from newsdesk.jobs.refresh_writes import FeedWrite, RefreshWrites
from newsdesk.jobs.writer import GroupWriter
from newsdesk.logs import get_logger
from newsdesk.models import FeedInfo, FeedItem
from newsdesk.sources.fetch.client import FEED_ACCEPT, Fetcher, run_sync
from newsdesk.sources.fetch.robots import RobotsCache
from newsdesk.store import sources as repo

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store.db import Database

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


class Refresher(RefreshWrites):
    """One refresh run over a set of sources."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        now: Callable[[], datetime] = _now,
        enrich: bool = True,
        on_done: Callable[[SourceOutcome], None] | None = None,
        defer_full_text: bool = False,
    ) -> None:
        super().__init__(db, settings, enrich=enrich)
        self.now = now
        #: Workers: pages are fetched by full-text jobs of their own (the entries are stored
        #: marked ``queued``), so a refresh never waits on a third-party page.
        self.defer_full_text = defer_full_text
        self.on_done = on_done
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-read")
        self._writer: GroupWriter | None = None
        self._workers: FeedWorkers | None = None

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

    async def run(self, rows: Sequence[repo.SourceRow]) -> RefreshReport:
        report = RefreshReport()
        cpu_start = time.process_time()
        in_flight = asyncio.Semaphore(max(4, self.settings.fetch_concurrency * 2))
        processes = FeedWorkers.processes_for(len(rows))
        self._writer = GroupWriter(self.db, remote=self._remote_writer if processes else None)
        self._workers = FeedWorkers(
            processes,
            deadline=self.settings.feed_parse_deadline,
            memory_mb=self.settings.feed_parse_memory_mb,
        )
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
        """Read the feed and its pages within the source's deadline, then write.

        The deadline covers the reading only: a write, once handed to the writer, is
        never abandoned half-way. Pages still loading near the deadline are given
        up (their entries keep their own text) so that what was read is stored.
        """
        deadline = self.settings.source_deadline
        soft = time.monotonic() + deadline * 0.9
        try:
            read = await asyncio.wait_for(self._read_source(row, fetcher, robots, soft), deadline)
        except TimeoutError:
            raise FeedError(
                f"refreshing this source took longer than {deadline:g} s and was stopped",
                hint="a slow server; raise NEWSDESK_SOURCE_DEADLINE if it is genuine",
            ) from None
        if isinstance(read, FeedWrite):
            return await self._write("_apply_refresh", job=read)
        return await self._write("_apply_unchanged", row=row, result=read, now=self.now())

    async def _read_source(
        self, row: repo.SourceRow, fetcher: Fetcher, robots: RobotsCache, soft_deadline: float
    ) -> FeedWrite | Any:
        """The write job for a changed feed, or the fetch result of an unchanged one."""
        result = await fetcher.get(
            row.url,
            max_bytes=self.settings.max_feed_bytes,
            accept=FEED_ACCEPT,
            etag=row.etag,
            last_modified=row.last_modified,
        )
        if result.not_modified:
            return result
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
        if self.defer_full_text:
            pages = self._queued_full_texts(want_full, feed)
        else:
            pages = await self._full_texts(want_full, feed, fetcher, robots, soft_deadline)
        made: list[ItemArticle] = []
        hashes: list[str | None] = []
        for e in new:
            page = pages.get(e.key)
            made.append(page if page is not None else ItemArticle(own[e.key][0], None))
            hashes.append(None if page is not None else own[e.key][1])
        kept = replace(result, content=b"")  # the writer needs the headers, not the body
        return FeedWrite(row, kept, feed, new, made, hashes, changed, self.now())

    def _queued_full_texts(self, want: list[FeedItem], feed: FeedInfo) -> dict[str, ItemArticle]:
        """No page now: the entries within the cap are stored ``queued`` for full-text jobs."""
        cap = self.settings.max_full_text_fetches
        pages = {e.key: ItemArticle(None, QUEUED) for e in want[:cap]}
        for e in want[cap:]:
            pages[e.key] = ItemArticle(
                article_from_item(e, feed),
                "skipped",
                f"more than {cap} pages to fetch from this feed in one refresh "
                "(NEWSDESK_MAX_FULL_TEXT_FETCHES)",
            )
        return pages

    async def _full_texts(
        self,
        want: list[FeedItem],
        feed: FeedInfo,
        fetcher: Fetcher,
        robots: RobotsCache,
        soft_deadline: float,
    ) -> dict[str, ItemArticle]:
        """Pages for at most ``max_full_text_fetches`` entries, those done by the deadline.

        Why a cap: a 16 MiB feed can list 100,000 links to third-party hosts, and
        40 links to a page answering a byte a second held a refresh for minutes.
        The entries past the cap, and those whose page is still loading at the
        deadline, are stored with their own text and the reason.
        """
        cap = self.settings.max_full_text_fetches
        chosen, over = want[:cap], want[cap:]
        pages = {
            e.key: ItemArticle(
                article_from_item(e, feed),
                "skipped",
                f"more than {cap} pages to fetch from this feed in one refresh "
                "(NEWSDESK_MAX_FULL_TEXT_FETCHES)",
            )
            for e in over
        }
        if not chosen:
            return pages
        tasks = [
            asyncio.ensure_future(article_for_item(e, feed, fetcher=fetcher, robots=robots))
            for e in chosen
        ]
        budget = max(0.0, soft_deadline - time.monotonic())
        done, late = await asyncio.wait(tasks, timeout=budget)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)
        for entry, task in zip(chosen, tasks, strict=True):
            if task in done:
                pages[entry.key] = task.result()
            else:
                pages[entry.key] = ItemArticle(
                    article_from_item(entry, feed),
                    "failed",
                    "the page was still loading when the source's refresh deadline came "
                    "(NEWSDESK_SOURCE_DEADLINE)",
                )
        return pages

    def _remote_writer(self) -> Any:
        """A writer process for a big run, or None when it cannot start (then: the thread)."""
        from newsdesk.jobs.writer_process import RemoteWriter

        url_parts = self.db.engine.url
        in_memory = url_parts.database in (None, "", ":memory:")
        if url_parts.get_backend_name() == "sqlite" and in_memory:
            return None  # a memory database exists in this process only
        try:
            url = url_parts.render_as_string(hide_password=False)
            return RemoteWriter(url, self.settings, enrich=self._enrich_mode == "later")
        except (OSError, ValueError) as exc:
            log.warning("no writer process, writing in this process", error=str(exc))
            return None

    def _known(self, source_id: int, keys: list[str]) -> dict[str, repo.KnownItem]:
        with self.db.connect() as conn:
            return repo.known_items(conn, source_id, keys)


async def refresh_async(
    db: Database,
    settings: Settings | None = None,
    *,
    source_ids: Sequence[int] | None = None,
    force: bool = False,
    enrich: bool = True,
    now: Callable[[], datetime] = _now,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[SourceOutcome], None] | None = None,
    defer_full_text: bool = False,
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
    refresher = Refresher(
        db, settings, now=now, enrich=enrich, on_done=on_done, defer_full_text=defer_full_text
    )
    return await refresher.run(rows)


def refresh(
    db: Database,
    settings: Settings | None = None,
    **kwargs: Any,
) -> RefreshReport:
    """Synchronous :func:`refresh_async` for the CLI and tests."""
    report: RefreshReport = run_sync(refresh_async(db, settings, **kwargs))
    return report


def refresh_source(
    source_id: int,
    *,
    db: Database | None = None,
    settings: Settings | None = None,
    enrich: bool = True,
    defer_full_text: bool = False,
) -> SourceOutcome:
    """The job unit: refresh source ``source_id`` now, due or not; its outcome.

    Idempotent: entries already stored are recognised by their keys, an
    unchanged feed answers 304 to the validators kept from the last run, so a
    second run stores nothing new. New articles are queued for the enrichers
    (:func:`newsdesk.jobs.enrichment.enrich_batch`) unless ``enrich`` is False.
    An unknown id is a NotFoundError. ``defer_full_text`` (workers): entries that want
    their page are stored ``queued`` for :func:`newsdesk.jobs.fulltext.fetch_full_text`.
    """
    from newsdesk.store.db import open_database

    settings = settings or get_settings()
    report = refresh(
        db or open_database(settings),
        settings,
        source_ids=[source_id],
        enrich=enrich,
        defer_full_text=defer_full_text,
    )
    return report.outcomes[0]


def refresh_due(
    *, db: Database | None = None, settings: Settings | None = None, enrich: bool = True
) -> RefreshReport:
    """The job unit: refresh every source that is due now (what one scheduler round does)."""
    from newsdesk.store.db import open_database

    settings = settings or get_settings()
    return refresh(db or open_database(settings), settings, enrich=enrich)
