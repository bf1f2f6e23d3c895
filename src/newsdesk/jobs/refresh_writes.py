"""The write steps of a refresh: what one feed's outcome changes in the store.

Kept apart from the fetching side (:mod:`newsdesk.jobs.refresh`) because
they run wherever the writer runs: on the refresher's writer thread, or, for
a big run, in a writer process (:mod:`newsdesk.jobs.writer_process`),
which calls them by name with plain-data arguments. Each feed's new entries
and their articles are written in one transaction; if that fails, the
entries are retried one by one so one bad entry costs only itself.
"""

from __future__ import annotations

import collections
import random
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from newsdesk.config import Settings
from newsdesk.errors import BlockedURLError, NewsdeskError
from newsdesk.jobs import schedule
from newsdesk.jobs.fulltext import QUEUED, ItemArticle
from newsdesk.jobs.refresh_report import SourceOutcome, Status
from newsdesk.logs import get_logger
from newsdesk.models import FeedInfo, FeedItem
from newsdesk.sources.fetch.client import FetchResult, HTTPStatusError
from newsdesk.sources.fetch.politeness import HostBackoffError
from newsdesk.store import sources as repo

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy import Connection

    from newsdesk.store.db import Database

log = get_logger(__name__)

#: The write steps a writer (thread or process) runs by name.
WRITE_STEPS = frozenset({"_apply_refresh", "_apply_unchanged", "_apply_failure"})


@dataclass(frozen=True, slots=True)
class FeedWrite:
    """Everything one feed's refresh writes, handed to the writer (plain data, picklable)."""

    row: repo.SourceRow
    result: FetchResult
    feed: FeedInfo
    new: list[FeedItem]
    made: list[ItemArticle]
    hashes: list[str | None]  # content hash of each made article, when already computed
    changed: list[tuple[int, FeedItem]]
    now: datetime


class RefreshWrites:
    """The write steps: the base of :class:`~newsdesk.jobs.refresh.Refresher`, and on their own
    what a writer process runs."""

    def __init__(self, db: Database, settings: Settings, *, enrich: bool = True) -> None:
        self.db = db
        self.settings = settings
        # Articles are queued for the enrichers, never enriched while a refresh writes them:
        # storing must not wait on NLP (see newsdesk.jobs.enrichment, which works the queue).
        self._enrich_mode: Literal["later"] | bool = "later" if enrich else False
        self._random = random.Random()
        self._cpu: dict[str, float] = collections.defaultdict(float)

    def apply_step(self, conn: Connection, name: str, kwargs: dict[str, Any]) -> SourceOutcome:
        """One write step in ``conn``'s (the group's) transaction."""
        if name not in WRITE_STEPS:
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

    def _schedule(
        self, conn: Connection, row: repo.SourceRow, now: datetime
    ) -> tuple[datetime, int]:
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
        self, conn: Connection, *, row: repo.SourceRow, result: FetchResult, now: datetime
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

    def _moved(self, conn: Connection, row: repo.SourceRow, result: FetchResult) -> str | None:
        target = self._moved_to(row, result)
        if target is None or repo.url_taken(conn, target, other_than=row.id):
            return None
        log.info("source moved permanently", source_id=row.id, old=row.url, new=target)
        return target

    @staticmethod
    def _moved_to(row: repo.SourceRow, result: FetchResult) -> str | None:
        target = result.permanent_url
        return target if target and target != row.url else None

    def _apply_refresh(self, conn: Connection, *, job: FeedWrite) -> SourceOutcome:
        """All of one feed's new and edited entries, then its health, in ``conn``'s transaction."""
        rows = self._item_rows(conn, job)
        repo.insert_items(conn, rows)
        for item_id, entry in job.changed:
            repo.update_item(conn, item_id, entry, now=job.now)
        return self._finish_refresh(conn, job, len(rows))

    def _feed_alone(self, job: FeedWrite) -> SourceOutcome:
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

    def _alone(self, job: FeedWrite) -> SourceOutcome:
        """After a failed group: one transaction per entry, so only a bad one is lost."""
        stored = 0
        for entry, item_article in zip(job.new, job.made, strict=True):
            stored += self._store_alone(job.row.id, entry, item_article, job.now)
        for item_id, entry in job.changed:
            with self.db.begin() as conn:
                repo.update_item(conn, item_id, entry, now=job.now)
        with self.db.begin() as conn:
            return self._finish_refresh(conn, job, stored)

    def _finish_refresh(self, conn: Connection, job: FeedWrite, stored: int) -> SourceOutcome:
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

    def _item_rows(self, conn: Connection, job: FeedWrite) -> list[dict[str, Any]]:
        """Store the feed's new articles in one batch (through the pipeline); the entries' rows."""
        from newsdesk.jobs.pipeline import store_articles

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
            elif error is None and made.full_text != QUEUED:
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
        self, conn: Connection, source_id: int, entry: FeedItem, made: ItemArticle, now: datetime
    ) -> dict[str, Any]:
        """Store the entry's article (through the pipeline) and return the entry's row."""
        from newsdesk.jobs.pipeline import store_article

        article_id = None
        error = made.error
        if made.article is not None:
            started = time.thread_time()
            outcome = store_article(
                conn, made.article, now=now, source_id=source_id, enrich=self._enrich_mode
            )
            self._cpu["store_article"] += time.thread_time() - started
            article_id = outcome.article_id
        elif error is None and made.full_text != QUEUED:
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
        self, conn: Connection, source_id: int, entry: FeedItem, made: ItemArticle, now: datetime
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
        self, conn: Connection, *, row: repo.SourceRow, exc: NewsdeskError, now: datetime
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
