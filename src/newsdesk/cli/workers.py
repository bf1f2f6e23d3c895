"""``newsdesk worker``, ``newsdesk scheduler`` and ``newsdesk status``: the distributed mode.

Thin: each command calls one function of ``newsdesk.jobs`` (Celery app,
advisory-lock scheduler, status) and prints what comes back.
"""

from __future__ import annotations

import typer

from newsdesk.cli.common import FORMAT, Format, err, out, print_json


def register(app: typer.Typer) -> None:
    app.command("worker")(worker_cmd)
    app.command("scheduler")(scheduler_cmd)
    app.command("status")(status_cmd)


def worker_cmd(
    queues: str = typer.Option(
        "fetch,fulltext,enrich,stories,editions",
        "--queues",
        "-Q",
        help="Comma-separated queues to take jobs from: fetch, fulltext, enrich, stories, "
        "editions (all by default).",
    ),
    concurrency: int = typer.Option(
        1, "--concurrency", "-c", min=1, max=256, help="Jobs run at once (processes)."
    ),
) -> None:
    """Run jobs from the broker (needs NEWSDESK_BROKER_URL and PostgreSQL)."""
    from newsdesk.jobs.celery_app import run_worker

    run_worker([q.strip() for q in queues.split(",") if q.strip()], concurrency)


def scheduler_cmd() -> None:
    """Enqueue due jobs while this process is the leader (one leader among any number)."""
    import signal
    import threading

    from newsdesk.jobs.leader import run_scheduler

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def announce(leading: bool) -> None:
        err.print("newsdesk scheduler: " + ("leading" if leading else "following"))

    try:
        run_scheduler(stop, on_change=announce)
    except KeyboardInterrupt:
        stop.set()


def status_cmd(fmt: Format = FORMAT) -> None:
    """Queue depths, jobs running/failed/retried, the scheduler leader, the oldest wait."""
    from newsdesk.jobs.workers_status import status

    data = status()
    if fmt is Format.json:
        print_json(data)
        return
    queues = ", ".join(f"{q} {d if d is not None else '?'}" for q, d in data["queues"].items())
    out.print(f"queues: {queues}", highlight=False)
    oldest = data["oldest_waiting_seconds"]
    out.print(
        f"oldest waiting job: {oldest:.1f}s" if oldest is not None else "oldest waiting job: none",
        highlight=False,
    )
    out.print(
        f"jobs: running {data['running']}, failed {data['failed']}, retried {data['retried']}",
        highlight=False,
    )
    out.print(f"leader: {data['leader'] or 'none'}", highlight=False, markup=False)
