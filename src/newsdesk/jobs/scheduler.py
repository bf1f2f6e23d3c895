"""The refresh loop behind ``newsdesk serve``: refresh what is due, sleep until the next one.

Each source carries its own ``next_refresh_at`` (set by :mod:`schedule` after
every refresh), so the loop needs no timetable of its own: it asks the store
when the earliest source falls due and sleeps until then, waking at least
every ``MAX_SLEEP`` seconds to notice sources added or resumed meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.jobs.refresh import refresh
from newsdesk.jobs.refresh_report import RefreshReport
from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store.db import Database

log = get_logger(__name__)

MAX_SLEEP = 60.0
MIN_SLEEP = 1.0


def seconds_until(next_due: datetime | None, now: datetime) -> float:
    """How long to sleep before the next round (pure)."""
    if next_due is None:
        return MAX_SLEEP
    return min(max((next_due - now).total_seconds(), MIN_SLEEP), MAX_SLEEP)


def run_refresh_loop(
    db: Database,
    settings: Settings,
    stop: threading.Event,
    *,
    once: bool = False,
    on_report: Callable[[RefreshReport], None] | None = None,
) -> None:
    """Refresh due sources until ``stop`` is set; a failing round is logged, never fatal."""
    from newsdesk.store import sources as repo

    while not stop.is_set():
        try:
            report = refresh(db, settings)
            if report.outcomes:
                log.info("refresh round", **report.to_dict() | {"failures": len(report.failed)})
            if on_report is not None:
                on_report(report)
        except NewsdeskError as exc:
            log.warning("refresh round failed", error=str(exc))
        if once:
            return
        try:
            with db.connect() as conn:
                next_due = repo.next_due_at(conn)
        except NewsdeskError:
            next_due = None
        stop.wait(seconds_until(next_due, datetime.now(UTC)))
