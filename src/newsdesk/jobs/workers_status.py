"""``newsdesk status``: what the distributed mode is doing, read from the broker and the store.

Queue depths and the oldest waiting job come from the broker (Redis lists, or
a passive declare on RabbitMQ, which gives no ages); the job counters from the
Redis hash the tasks keep (:data:`celery_app.COUNTERS_KEY`); the leader from
PostgreSQL's lock table.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from newsdesk.config import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy import Connection


def queue_depths(settings: Settings | None = None) -> dict[str, int | None]:
    """Jobs waiting per queue; None where the broker cannot be asked."""
    from newsdesk.jobs.queues import QUEUES, counters_client

    settings = settings or get_settings()
    client = counters_client(settings)
    if client is not None:
        return {q: int(client.llen(q)) for q in QUEUES}
    if not settings.broker_url:
        return {q: None for q in QUEUES}
    from kombu.connection import Connection

    depths: dict[str, int | None] = {}
    with Connection(settings.broker_url, connect_timeout=5) as conn:  # type: ignore[no-untyped-call]
        channel = conn.channel()
        for q in QUEUES:
            try:
                depths[q] = int(channel.queue_declare(q, passive=True).message_count)
            except Exception:
                depths[q] = None
                channel = conn.channel()
    return depths


def oldest_wait(settings: Settings | None = None) -> float | None:
    """Seconds the oldest waiting job has waited (Redis broker only)."""
    from newsdesk.jobs.queues import QUEUES, counters_client

    client = counters_client(settings)
    if client is None:
        return None
    oldest: float | None = None
    now = time.time()
    for q in QUEUES:
        raw = client.lindex(q, -1)  # kombu pushes on the left and pops on the right
        if raw is None:
            continue
        try:
            stamp = float(json.loads(raw)["headers"]["enqueued_at"])
        except (KeyError, TypeError, ValueError):
            continue
        oldest = max(oldest or 0.0, now - stamp)
    return oldest


def counters(settings: Settings | None = None) -> dict[str, dict[str, int]]:
    """Jobs running, done, failed and retried, per kind."""
    from newsdesk.jobs.queues import COUNTERS_KEY, counters_client

    client = counters_client(settings)
    if client is None:
        return {}
    result: dict[str, dict[str, int]] = {}
    for field, value in client.hgetall(COUNTERS_KEY).items():
        kind, _, name = field.decode().partition(":")
        result.setdefault(kind, {})[name] = max(int(value), 0)
    return result


def articles_and_editions() -> tuple[int, int]:
    """Articles stored and editions sent, from the store."""
    from newsdesk.store.db import open_database
    from newsdesk.store.jobs_status import articles_and_sent_editions

    with open_database().connect() as conn:
        return articles_and_sent_editions(conn)


def current_leader(conn: Connection, *, key: int | None = None) -> str | None:
    """The application name of the session holding the scheduler lock, if any."""
    from newsdesk.jobs.queues import LOCK_KEY
    from newsdesk.store.leader import lock_holder

    return lock_holder(conn, LOCK_KEY if key is None else key)


def status(settings: Settings | None = None) -> dict[str, Any]:
    """Everything ``newsdesk status`` shows, as one JSON-ready dict."""
    from newsdesk.jobs.queues import check_distributed
    from newsdesk.store.db import open_database

    settings = settings or get_settings()
    check_distributed(settings)
    with open_database(settings).connect() as conn:
        leader = current_leader(conn)
    jobs = counters(settings)
    return {
        "broker": settings.broker_url.split("@")[-1] if settings.broker_url else None,
        "queues": queue_depths(settings),
        "oldest_waiting_seconds": oldest_wait(settings),
        "jobs": jobs,
        "running": sum(k.get("running", 0) for k in jobs.values()),
        "failed": sum(k.get("failed", 0) for k in jobs.values()),
        "retried": sum(k.get("retried", 0) for k in jobs.values()),
        "leader": leader,
    }


def readiness(settings: Settings | None = None) -> dict[str, str]:
    """``/readyz``: "ok" or the error, for the database and (when set) the broker."""
    from newsdesk.store.db import open_database
    from newsdesk.store.jobs_status import ping

    settings = settings or get_settings()
    checks: dict[str, str] = {}
    try:
        with open_database(settings).connect() as conn:
            ping(conn)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.broker_url:
        try:
            queue_depths(settings)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
    return checks
