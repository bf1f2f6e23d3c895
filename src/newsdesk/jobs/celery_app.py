"""Distributed mode: the jobs units as Celery tasks, one queue per kind of work.

Switched on by the ``broker_url`` setting (``NEWSDESK_BROKER_URL``). Each task
wraps one idempotent unit of :mod:`newsdesk.jobs` and nothing more, so a job
run twice (a worker killed before it acknowledged) changes nothing: articles
are deduplicated by source and content hash in the store, editions by their
(user, date, slot) outbox key. Tasks are acknowledged late and one at a time
(prefetch 1), so a job whose worker dies goes back to the queue.

Refreshing a feed, fetching an entry's full text, understanding (NLP), story
grouping and editions each get a queue of their own, so fetching never waits
behind NLP, a feed never waits behind a slow third-party page, and grouping (one
grouper at a time, under its lock) never waits behind understanding.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import structlog
from celery import Celery

from newsdesk.config import Settings, get_settings
from newsdesk.errors import ConfigError
from newsdesk.jobs.queues import (
    COUNTERS_KEY,
    EDITIONS_QUEUE,
    ENRICH_QUEUE,
    FETCH_QUEUE,
    FULLTEXT_QUEUE,
    QUEUES,
    ROUTES,
    STORIES_QUEUE,
    check_distributed,
    counters_client,
)
from newsdesk.logs import get_logger

log = get_logger(__name__)

app = Celery("newsdesk")


def configure(settings: Settings | None = None) -> Celery:
    """Point the app at the configured broker, with the delivery guarantees we rely on."""
    settings = settings or get_settings()
    url = check_distributed(settings)
    app.conf.update(
        broker_url=url,
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=FETCH_QUEUE,
        task_routes={name: {"queue": queue} for name, queue in ROUTES.items()},
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        broker_transport_options={"visibility_timeout": settings.job_visibility_timeout},
        # Each task runs in a prefork child that Celery kills at its hard time limit, so a
        # hostile feed or page cannot hold a worker (a thread could not be stopped); a child
        # that grew past the understanding bound is replaced after its task.
        task_annotations=task_limits(settings),
        worker_max_memory_per_child=settings.understand_memory_mb * 1024,
    )
    return app


def task_limits(settings: Settings) -> dict[str, dict[str, float]]:
    """Hard and soft time limits per task, from the deadline settings of its queue."""
    hard = {
        FETCH_QUEUE: settings.source_deadline + 120.0,
        FULLTEXT_QUEUE: settings.fetch_timeout + settings.extract_deadline + 120.0,
        ENRICH_QUEUE: max(600.0, 5 * settings.understand_deadline),
        STORIES_QUEUE: 600.0,
        EDITIONS_QUEUE: 600.0,
    }
    return {
        name: {"time_limit": hard[queue], "soft_time_limit": hard[queue] - 30.0}
        for name, queue in ROUTES.items()
    }


def _count(field: str, amount: int = 1) -> None:
    try:
        client = counters_client()
        if client is not None:
            client.hincrby(COUNTERS_KEY, field, amount)
    except Exception as exc:  # counters are best effort; the job itself must not fail
        log.warning("job counter not updated", field=field, error=str(exc))


@contextmanager
def _job(kind: str, task: Any) -> Iterator[None]:
    """Count and time one job, with its id in every log line it writes."""
    from newsdesk.jobs import metrics

    request = task.request
    job_id = request.id or uuid.uuid4().hex
    redelivered = bool((request.delivery_info or {}).get("redelivered"))
    structlog.contextvars.bind_contextvars(job_id=job_id, job_kind=kind)
    _count(f"{kind}:running")
    if redelivered or request.retries:
        _count(f"{kind}:retried")
    started = time.perf_counter()
    try:
        yield
    except Exception:
        _count(f"{kind}:failed")
        metrics.JOB_FAILURES.labels(kind).inc()
        raise
    else:
        _count(f"{kind}:done")
    finally:
        _count(f"{kind}:running", -1)
        metrics.JOB_LATENCY.labels(kind).observe(time.perf_counter() - started)
        structlog.contextvars.unbind_contextvars("job_id", "job_kind")


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.refresh_source", bind=True
)
def refresh_source_task(self: Any, source_id: int) -> dict[str, Any]:
    """Refresh one source (fetch, extract); queue a full-text job per entry that wants its
    page and an enrich batch for what is new."""
    from newsdesk.jobs.refresh import refresh_source
    from newsdesk.store import sources as repo
    from newsdesk.store.db import open_database

    with _job("refresh", self):
        outcome = refresh_source(source_id, enrich=True, defer_full_text=True)
        new = outcome.new_items
        # Every entry still waiting, this run's and any a lost job left: the job is keyed by
        # the entry, and a second one for the same entry finds it done and changes nothing.
        with open_database().connect() as conn:
            waiting = repo.queued_full_text(conn, source_id)
        for item_id in waiting:
            enqueue("newsdesk.fetch_full_text", item_id, task_id=f"fulltext-{item_id}")
        if new > len(waiting):
            enqueue("newsdesk.enrich_batch")
        log.info("refreshed", source_id=source_id, new=new, full_text=len(waiting))
        return {"source_id": source_id, "new": new, "error": outcome.error}


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.fetch_full_text", bind=True
)
def fetch_full_text_task(self: Any, item_id: int) -> dict[str, Any]:
    """Fetch one entry's page, store its article and queue an enrich batch for it."""
    from newsdesk.jobs.fulltext import fetch_full_text

    with _job("fulltext", self):
        outcome = fetch_full_text(item_id)
        if outcome.article_id is not None:
            enqueue("newsdesk.enrich_batch")
        log.info("full text", item_id=item_id, done=outcome.done, full_text=outcome.full_text)
        return {"item_id": item_id, "done": outcome.done, "full_text": outcome.full_text}


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.enrich_batch", bind=True
)
def enrich_batch_task(self: Any, limit: int | None = None) -> dict[str, int]:
    """Understand a batch of waiting articles and queue a grouping job for what it understood."""
    from newsdesk.jobs.enrichment import BATCH_SIZE, enrich_batch

    with _job("enrich", self):
        settings = get_settings()
        report = enrich_batch(
            limit or BATCH_SIZE,
            token=str(self.request.id or uuid.uuid4()).replace("-", "")[
                :32
            ],  # the claim column holds 32
            stale_after=timedelta(seconds=2 * settings.job_visibility_timeout),
            group_later=True,
        )
        if report.enriched:
            enqueue("newsdesk.group_stories")
        log.info("enriched", enriched=report.enriched, failed=report.failed)
        return {"enriched": report.enriched, "failed": report.failed}


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.group_stories", bind=True
)
def group_stories_task(self: Any, limit: int | None = None) -> dict[str, int]:
    """Place understood articles into stories, one grouper at a time (the grouping lock)."""
    from newsdesk.jobs.grouping import GROUP_BATCH, group_batch

    with _job("stories", self):
        report = group_batch(limit or GROUP_BATCH)
        if report.grouped == (limit or GROUP_BATCH):
            enqueue("newsdesk.group_stories")  # a full batch: more may be waiting
        log.info("grouped", grouped=report.grouped)
        return {"grouped": report.grouped}


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.editions_round", bind=True
)
def editions_round_task(self: Any) -> dict[str, int]:
    """Build every edition due now and send everything sendable (safe in parallel)."""
    from newsdesk.jobs import metrics
    from newsdesk.jobs.editions import due_editions

    with _job("editions", self):
        report = due_editions()
        sent = report.count("sent")
        metrics.EDITIONS_SENT.inc(sent)
        return {"built": report.built, "sent": sent}


@app.task(  # type: ignore[untyped-decorator]
    name="newsdesk.send_edition", bind=True
)
def send_edition_task(self: Any, user_id: int, local_date: str, slot: str) -> str:
    """Build and send one edition, keyed by (user, date, slot): sent at most once."""
    from newsdesk.jobs import metrics
    from newsdesk.jobs.editions import send_edition

    with _job("edition", self):
        delivery = send_edition(user_id, local_date, slot)
        if delivery.outcome == "sent":
            metrics.EDITIONS_SENT.inc()
        return delivery.outcome


def enqueue(name: str, *args: Any, task_id: str | None = None, **kwargs: Any) -> str:
    """Send task ``name`` to its queue, stamped with the time it was queued (for status).

    ``task_id`` names the job after what it is about (``fulltext-<entry id>``), so its
    logs and a duplicate of it are recognisable; the job itself is idempotent.
    """
    result = app.send_task(
        name,
        args=args,
        kwargs=kwargs,
        queue=ROUTES[name],
        task_id=task_id,
        headers={"enqueued_at": time.time()},
    )
    return str(result.id)


def run_worker(queues: list[str], concurrency: int, settings: Settings | None = None) -> None:
    """Run a Celery worker on ``queues`` until it is stopped (the ``newsdesk worker`` command)."""
    unknown = [q for q in queues if q not in QUEUES]
    if unknown:
        raise ConfigError(f"unknown queue {unknown[0]!r}: choose from {', '.join(QUEUES)}")
    configure(settings)
    argv = [
        "worker",
        f"--queues={','.join(queues)}",
        f"--concurrency={concurrency}",
        "--pool=prefork",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
        f"--hostname=newsdesk-{uuid.uuid4().hex[:8]}@%h",
    ]
    app.worker_main(argv)


__all__ = [
    "COUNTERS_KEY",
    "EDITIONS_QUEUE",
    "ENRICH_QUEUE",
    "FETCH_QUEUE",
    "FULLTEXT_QUEUE",
    "QUEUES",
    "STORIES_QUEUE",
    "check_distributed",
    "counters_client",
]
