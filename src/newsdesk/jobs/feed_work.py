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


class FeedWorkers:
    """Runs :func:`prepare_feed` in worker processes (``processes`` > 0) or in a thread."""

    def __init__(self, processes: int = 0) -> None:
        self._processes = processes  # started at the first feed that needs parsing
        self._pool: Executor | None = None

    def _start(self) -> Executor | None:
        if self._processes > 0 and self._pool is None:
            import multiprocessing

            # "spawn": the refresher has threads running, which a forked child must not inherit.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self._processes, mp_context=context)
        return self._pool

    @staticmethod
    def processes_for(feeds: int) -> int:
        """Worker processes worth starting for a run over ``feeds`` sources (0: use a thread)."""
        if feeds < PROCESS_MIN_FEEDS:
            return 0
        return max(1, min(4, (os.cpu_count() or 2) - 1))

    async def prepare(self, content: bytes, url: str, content_type: str | None) -> PreparedFeed:
        pool = self._start()
        if pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(pool, prepare_feed, content, url, content_type)
            except BrokenProcessPool as exc:  # a worker died: carry on in a thread
                if self._pool is pool:
                    log.warning("feed worker process failed, parsing in threads", error=str(exc))
                    self._processes = 0
                    self._pool = None
                    pool.shutdown(wait=False, cancel_futures=True)
        return await asyncio.to_thread(prepare_feed, content, url, content_type)

    def close(self) -> None:
        self._processes = 0
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
