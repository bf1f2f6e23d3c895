"""Prometheus metrics of the jobs: latency and failures per job kind, editions sent.

Queue depths and articles stored are read when ``/metrics`` is scraped (see
:func:`collect_gauges`), so a web process that runs no job still reports them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

JOB_LATENCY = Histogram("newsdesk_job_seconds", "Wall seconds one job took, by kind.", ["kind"])
JOB_FAILURES = Counter("newsdesk_job_failures_total", "Jobs that raised, by kind.", ["kind"])
EDITIONS_SENT = Counter("newsdesk_editions_sent_total", "Editions this process sent.")
QUEUE_DEPTH = Gauge("newsdesk_queue_depth", "Jobs waiting in a broker queue.", ["queue"])
ARTICLES_STORED = Gauge("newsdesk_articles_stored", "Articles in the store.")
EDITIONS_SENT_STORED = Gauge("newsdesk_editions_sent_stored", "Editions marked sent in the store.")


def collect_gauges() -> None:
    """Refresh the gauges read from the store and the broker; a missing part is left as is."""
    from newsdesk.jobs.workers_status import articles_and_editions, queue_depths

    try:
        articles, editions = articles_and_editions()
        ARTICLES_STORED.set(articles)
        EDITIONS_SENT_STORED.set(editions)
    except Exception:  # a scrape must answer even while the database is down
        pass
    try:
        for queue, depth in queue_depths().items():
            if depth is not None:
                QUEUE_DEPTH.labels(queue).set(depth)
    except Exception:
        pass
