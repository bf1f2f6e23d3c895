"""The distributed scheduler: exactly one leader, chosen by a PostgreSQL advisory lock.

Every ``newsdesk scheduler`` process tries ``pg_try_advisory_lock`` on a
connection of its own and keeps that connection open while it leads. The
others retry every few seconds. A leader that dies (even by SIGKILL) loses its
connection, PostgreSQL releases the lock with it, and the next try of a
follower takes over, well within 30 seconds.

The leader only enqueues: due sources as refresh jobs, waiting articles as
enrich batches, and an editions round every half minute. It runs no job
itself, so it stays light and never falls behind the clock.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsdesk.config import Settings, get_settings
from newsdesk.jobs.queues import LOCK_KEY
from newsdesk.logs import get_logger

if TYPE_CHECKING:
    from newsdesk.store.db import Database

log = get_logger(__name__)

#: Seconds between a follower's tries.
RETRY_SECONDS = 3.0
#: Seconds between the leader's rounds.
TICK_SECONDS = 2.0
#: A refresh job queued but not yet run is queued again after this long.
REQUEUE_AFTER = 600.0
#: Enrich batches kept queued at most at once.
MAX_ENRICH_QUEUED = 4
#: Seconds between two editions rounds.
EDITIONS_EVERY = 30.0

APPLICATION_NAME = "newsdesk-scheduler"


class Leadership:
    """The scheduler's advisory lock (:class:`newsdesk.store.leader.AdvisoryLock`), named after
    this process so that ``newsdesk status`` can say who leads."""

    def __init__(self, database_url: str, *, key: int = LOCK_KEY) -> None:
        from newsdesk.store.leader import AdvisoryLock

        self.key = key
        self.name = f"{APPLICATION_NAME}:{socket.gethostname()}:{os.getpid()}"
        self._lock = AdvisoryLock(database_url, key, application_name=self.name)

    @property
    def leading(self) -> bool:
        return self._lock.held

    def try_lead(self) -> bool:
        """Take the lock if free (or keep it); False when another process holds it."""
        return self._lock.try_acquire()

    def release(self) -> None:
        self._lock.release()

    def close(self) -> None:
        self._lock.close()


class Enqueuer:
    """What the leader queues each round, without flooding the broker with repeats."""

    def __init__(self, send: Callable[..., str], *, clock: Callable[[], float] = time.monotonic):
        self.send = send
        self.clock = clock
        #: (source id, its next_refresh_at) -> when it was queued.
        self.queued: dict[tuple[int, Any], float] = {}
        self.last_editions = -EDITIONS_EVERY

    def round(self, db: Database, enrich_queued: int | None) -> dict[str, int]:
        from newsdesk.jobs.enrichment import BATCH_SIZE, waiting
        from newsdesk.store import sources as repo

        now = self.clock()
        with db.connect() as conn:
            due = repo.due_sources(conn, datetime.now(UTC))
        counts = {"refresh": 0, "enrich": 0, "editions": 0}
        live = set()
        for row in due:
            key = (row.id, row.next_refresh_at)
            live.add(key)
            queued_at = self.queued.get(key)
            if queued_at is not None and now - queued_at < REQUEUE_AFTER:
                continue
            self.send("newsdesk.refresh_source", row.id)
            self.queued[key] = now
            counts["refresh"] += 1
        self.queued = {k: v for k, v in self.queued.items() if k in live}
        pending = waiting(db)
        if pending:
            batches = -(-pending // BATCH_SIZE)
            room = MAX_ENRICH_QUEUED - (enrich_queued or 0)
            for _ in range(max(0, min(batches, room))):
                self.send("newsdesk.enrich_batch")
                counts["enrich"] += 1
        if now - self.last_editions >= EDITIONS_EVERY:
            self.send("newsdesk.editions_round")
            self.last_editions = now
            counts["editions"] = 1
        return counts


def run_scheduler(
    stop: threading.Event,
    *,
    settings: Settings | None = None,
    on_change: Callable[[bool], None] | None = None,
) -> None:
    """Lead when the lock is free, follow otherwise, until ``stop`` is set.

    ``on_change`` hears True when this process becomes the leader and False when it stops being one.
    """
    from newsdesk.jobs import celery_app
    from newsdesk.jobs.workers_status import queue_depths
    from newsdesk.store.db import open_database

    settings = settings or get_settings()
    celery_app.configure(settings)
    assert settings.database_url is not None  # checked by configure
    leadership = Leadership(settings.database_url)
    db = open_database(settings)
    enqueuer = Enqueuer(celery_app.enqueue)
    was_leading = False
    try:
        while not stop.is_set():
            try:
                leading = leadership.try_lead()
            except Exception as exc:
                log.warning("scheduler cannot reach the database", error=str(exc))
                leading = False
            if leading != was_leading:
                log.warning("scheduler leadership", leading=leading, name=leadership.name)
                if on_change is not None:
                    on_change(leading)
                was_leading = leading
            if not leading:
                stop.wait(RETRY_SECONDS)
                continue
            try:
                enqueuer.round(db, queue_depths(settings).get(celery_app.ENRICH_QUEUE))
            except Exception as exc:  # a failing round is logged; the next one tries again
                log.warning("scheduler round failed", error=str(exc))
            stop.wait(TICK_SECONDS)
    finally:
        leadership.close()
