"""Names shared by the distributed mode's parts: queues, routes, counters, the broker check.

A leaf of :mod:`newsdesk.jobs` (no Celery import), so ``status``, the metrics
and the scheduler can read the broker without importing the task modules.
"""

from __future__ import annotations

from typing import Any

from newsdesk.config import Settings, get_settings
from newsdesk.errors import ConfigError

#: The queues, by the kind of work on them.
FETCH_QUEUE = "fetch"
FULLTEXT_QUEUE = "fulltext"
ENRICH_QUEUE = "enrich"
STORIES_QUEUE = "stories"
EDITIONS_QUEUE = "editions"
QUEUES = (FETCH_QUEUE, FULLTEXT_QUEUE, ENRICH_QUEUE, STORIES_QUEUE, EDITIONS_QUEUE)

#: Task name -> queue.
ROUTES = {
    "newsdesk.refresh_source": FETCH_QUEUE,
    "newsdesk.fetch_full_text": FULLTEXT_QUEUE,
    "newsdesk.enrich_batch": ENRICH_QUEUE,
    "newsdesk.group_stories": STORIES_QUEUE,
    "newsdesk.editions_round": EDITIONS_QUEUE,
    "newsdesk.send_edition": EDITIONS_QUEUE,
}

#: Redis hash holding the job counters (running, done, failed, retried per kind).
COUNTERS_KEY = "newsdesk:jobs"

#: The advisory lock key of the scheduler (any constant 64-bit number, ours: "newsdesk").
LOCK_KEY = 0x6E6577736465736B


def check_distributed(settings: Settings) -> str:
    """The broker URL, after refusing what cannot work: no broker, or SQLite with one."""
    url = settings.broker_url
    if not url:
        raise ConfigError("no broker: set NEWSDESK_BROKER_URL (redis://… or amqp://…)")
    if not url.startswith(("redis://", "rediss://", "amqp://", "amqps://", "pyamqp://")):
        raise ConfigError(
            f"NEWSDESK_BROKER_URL must be redis:// or amqp://, not {url.split(':')[0]}"
        )
    database = settings.database_url or ""
    if not database.startswith("postgresql"):
        raise ConfigError(
            "a broker needs PostgreSQL: set NEWSDESK_DATABASE_URL=postgresql://… "
            "(SQLite cannot be shared by worker processes)"
        )
    return url


def counters_client(settings: Settings | None = None) -> Any | None:
    """A Redis client for the job counters, or None when the broker is not Redis."""
    settings = settings or get_settings()
    url = settings.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=5)
