"""The ``serve`` supervisor: the refresh scheduler, the enrichment queue, every service.

One process runs them all on a single machine: the refresh loop in the calling
thread and each service in a thread of its own. A face that must run beside
them (the web app) appends its service to :data:`SERVE_SERVICES`; the CLI's
``newsdesk serve`` only calls :func:`serve` and prints what it reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsdesk.config import Settings, get_settings, session_secret

if TYPE_CHECKING:
    from newsdesk.jobs.refresh_report import RefreshReport

#: A service: takes ``(settings, stop_event)`` and returns when ``stop_event`` is set.
Service = Callable[[Settings, threading.Event], None]

#: Services ``serve`` runs beside the refresh scheduler, each in its own thread.
#: Other stages (the web app) append theirs here.
SERVE_SERVICES: list[Service] = []


def serve(
    *,
    once: bool = False,
    scheduler: bool = True,
    on_start: Callable[[int], None] | None = None,
    on_report: Callable[[RefreshReport], None] | None = None,
) -> None:
    """Start the refresh scheduler and every service in SERVE_SERVICES; Ctrl-C stops them all.

    ``once`` runs one scheduling round, enriches what it queued and returns.
    ``scheduler`` False runs the services only (the web app): with several web
    processes, one scheduler (``newsdesk scheduler``) is enough.
    ``on_start`` gets the number of services started beside the scheduler;
    ``on_report`` gets each round's report.

    With a broker set (distributed mode) no job runs here: the workers run
    them, and the scheduler, if asked for, only enqueues them.
    """
    from newsdesk.jobs.scheduler import run_refresh_loop
    from newsdesk.store.db import open_database

    settings = get_settings()
    if settings.broker_url:
        from newsdesk.jobs.celery_app import check_distributed

        check_distributed(settings)
    session_secret(settings)  # the first start makes the web secret, before any face needs it
    db = open_database()
    if settings.broker_url or not scheduler:
        services = [*SERVE_SERVICES]
        if scheduler:
            services.append(distributed_scheduler_service)
        _run_services(settings, services, on_start)
        return
    bound_heavy_steps(settings)
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=service,
            args=(settings, stop),
            name=getattr(service, "__name__", "service"),
            daemon=True,
        )
        # With once the queued articles are enriched after the round instead (below).
        for service in (*SERVE_SERVICES, *(() if once else (enrichment_service,)))
    ]
    for thread in threads:
        thread.start()
    if on_start is not None:
        on_start(len(threads))
    try:
        run_refresh_loop(db, settings, stop, once=once, on_report=on_report)
        if once:
            from newsdesk.jobs.enrichment import enrich_pending

            enrich_pending(db)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        unbound_heavy_steps()


def bound_heavy_steps(settings: Settings) -> None:
    """Feed parsing, extraction and understanding run in child processes that a deadline
    can really stop (a thread cannot be): one hostile input cannot hold ``serve``."""
    from newsdesk.jobs.enrichment import use_bounded_steps
    from newsdesk.jobs.feed_work import use_bounded_parsing
    from newsdesk.jobs.fulltext import use_bounded_extraction

    use_bounded_parsing()
    use_bounded_extraction(settings)
    use_bounded_steps(settings)


def unbound_heavy_steps() -> None:
    """Back to in-process calls when serve ends (its child processes are closed)."""
    from newsdesk.jobs.enrichment import use_bounded_steps
    from newsdesk.jobs.feed_work import use_bounded_parsing
    from newsdesk.jobs.fulltext import use_bounded_extraction

    use_bounded_parsing(False)
    use_bounded_extraction(None)
    use_bounded_steps(None)


def enrichment_service(_settings: Settings, stop: threading.Event) -> None:
    """Enrich, in batches, the articles each refresh round queued (see newsdesk.jobs.enrichment)."""
    from newsdesk.jobs.enrichment import run_enrichment_loop
    from newsdesk.store.db import open_database

    run_enrichment_loop(open_database(), stop)


def _run_services(
    settings: Settings, services: list[Service], on_start: Callable[[int], None] | None
) -> None:
    """Run ``services`` in threads until Ctrl-C."""
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=service,
            args=(settings, stop),
            name=getattr(service, "__name__", "service"),
            daemon=True,
        )
        for service in services
    ]
    for thread in threads:
        thread.start()
    if on_start is not None:
        on_start(len(threads))
    try:
        while any(t.is_alive() for t in threads):
            stop.wait(1.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)


def distributed_scheduler_service(settings: Settings, stop: threading.Event) -> None:
    """Enqueue due jobs for the workers while this process holds the scheduler lock."""
    from newsdesk.jobs.leader import run_scheduler

    run_scheduler(stop, settings=settings)
