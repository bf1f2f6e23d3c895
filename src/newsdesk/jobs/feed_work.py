"""The CPU work on a fetched feed, done off the event loop: parse, entries, their articles.

Everything here is pure (bytes in, typed records out), so it can run in a
worker process. A big refresh does (2,000 feeds hold about 50,000 entries):
the refresher's process is bound by one interpreter lock shared by the event
loop and the writer thread, and parsing, turning entries into articles and
hashing their text take about a sixth of its CPU, which a worker process
takes to the machine's other core. Small runs (the scheduler's usual round,
the tests) use a thread instead and pay no process start.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from newsdesk.errors import FeedError
from newsdesk.logs import get_logger
from newsdesk.models import Article, FeedInfo, FeedItem

log = get_logger(__name__)

#: Due sources from which a refresh parses in worker processes rather than a thread.
PROCESS_MIN_FEEDS = 100


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    """A parsed feed: its unique entries, the article each makes, and their content hashes."""

    feed: FeedInfo
    entries: list[FeedItem]
    articles: list[Article | None]  # from the entry's own text; None when it has none
    hashes: list[str | None]  # each article's content_hash (costly: computed once, here)
    cpu_seconds: float


def prepare_feed(content: bytes, url: str, content_type: str | None) -> PreparedFeed:
    """Parse ``content`` and make every entry's article (FeedError for an unreadable feed)."""
    from newsdesk.extract.feed_entry import article_from_item
    from newsdesk.sources.feeds.entries import unique_entries
    from newsdesk.sources.feeds.parse import parse_feed

    started = time.thread_time()
    parsed = parse_feed(content, url=url, content_type=content_type)
    entries = unique_entries(parsed.entries)
    articles = [article_from_item(entry, parsed.feed) for entry in entries]
    hashes = [a.content_hash if a is not None else None for a in articles]
    return PreparedFeed(parsed.feed, entries, articles, hashes, time.thread_time() - started)


#: Set by ``serve`` and workers (:func:`use_bounded_parsing`): even a small round parses in a
#: worker process, where the feed parse deadline can really stop a parse.
_always_processes = False


def use_bounded_parsing(on: bool = True) -> None:
    global _always_processes
    _always_processes = on


class FeedWorkers:
    """Runs :func:`prepare_feed` in worker processes (``processes`` > 0) or in a thread."""

    def __init__(
        self, processes: int = 0, *, deadline: float | None = None, memory_mb: int | None = None
    ) -> None:
        self._processes = processes  # started at the first feed that needs parsing
        self._pool: Executor | None = None
        self._deadline = deadline  # seconds one feed's parse may take (None: no limit)
        self._memory_mb = memory_mb  # address space of each worker process

    def _start(self) -> Executor | None:
        if self._processes > 0 and self._pool is None:
            import multiprocessing

            from newsdesk.bounded import worker_init

            # "spawn": the refresher has threads running, which a forked child must not inherit.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self._processes,
                mp_context=context,
                initializer=worker_init,  # dies with the refresh; capped memory
                initargs=(self._memory_mb, os.getpid()),
            )
        return self._pool

    def _kill(self, pool: Executor) -> None:
        """Stop a pool whose worker overran the deadline (its other feeds are retried)."""
        if self._pool is pool:
            self._pool = None
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _overran(self) -> FeedError:
        return FeedError(
            f"parsing the feed took longer than {self._deadline:g} s and was stopped",
            hint="raise NEWSDESK_FEED_PARSE_DEADLINE if this feed is genuine",
        )

    @staticmethod
    def processes_for(feeds: int) -> int:
        """Worker processes worth starting for a run over ``feeds`` sources (0: use a thread)."""
        if feeds < PROCESS_MIN_FEEDS:
            return 1 if _always_processes and feeds else 0
        return max(1, min(4, (os.cpu_count() or 2) - 1))

    async def prepare(self, content: bytes, url: str, content_type: str | None) -> PreparedFeed:
        """The prepared feed; FeedError when it is unreadable or overruns the deadline.

        In worker processes the deadline really stops the parse (the pool is killed
        and restarted; feeds it was parsing for others are parsed again). In a thread
        (small runs) the refresh stops waiting, and the parse ends on its own.
        """
        loop = asyncio.get_running_loop()
        for _attempt in range(2):
            pool = self._start()
            if pool is None:
                break
            work = loop.run_in_executor(pool, prepare_feed, content, url, content_type)
            try:
                return await asyncio.wait_for(work, self._deadline)
            except TimeoutError:
                self._kill(pool)
                raise self._overran() from None
            except BrokenProcessPool as exc:
                if self._pool is pool:  # not killed by a deadline: a worker died
                    log.warning("feed worker process failed", error=str(exc))
                    self._pool = None
                    pool.shutdown(wait=False, cancel_futures=True)
        else:
            log.warning("feed worker processes keep failing, parsing in threads")
            self._processes = 0
        in_thread = asyncio.to_thread(prepare_feed, content, url, content_type)
        try:
            return await asyncio.wait_for(in_thread, self._deadline)
        except TimeoutError:
            raise self._overran() from None

    def close(self) -> None:
        self._processes = 0
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
