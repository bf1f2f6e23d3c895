"""The refresh writer in a process of its own, for big runs.

A big refresh spends about 60 % of its CPU writing (feed items, articles and
their full-text index, source health); in the refresher's process that work
shares one interpreter lock with the event loop, so the two take turns on one
core. Here the writes run in a child process with its own connection to the
store: the :class:`~newsdesk.jobs.writer.GroupWriter` thread ships each
group of write steps to it and waits, so grouping, ordering and the
one-by-one retry after a failed group stay exactly as in-process. A step is
a RefreshWrites method name and its keyword arguments (all plain data).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.config import Settings
    from newsdesk.jobs.refresh_writes import RefreshWrites

#: (RefreshWrites method name, its keyword arguments)
Step = tuple[str, dict[str, Any]]

_refresher: RefreshWrites | None = None


def _start(url: str, settings: Settings, enrich: bool) -> None:
    """Child process start: logging as the parent's, the store, and the write steps to run."""
    global _refresher
    from newsdesk.bounded import die_with_parent
    from newsdesk.jobs.refresh_writes import RefreshWrites
    from newsdesk.logs import configure_logging

    die_with_parent()  # a kill -9 of the refresh must not leave this process holding the store
    from newsdesk.store.db import open_database

    configure_logging(settings.log_level, json=settings.log_json)
    _refresher = RefreshWrites(open_database(settings, url=url), settings, enrich=enrich)


def run_group(steps: list[Step]) -> tuple[list[tuple[bool, Any]], dict[str, float]]:
    """Run ``steps`` in one transaction, else each alone; (ok, outcome or error) per step."""
    refresher = _refresher
    assert refresher is not None, "the writer process was not started"
    started = time.thread_time()
    results: list[tuple[bool, Any]]
    try:
        with refresher.db.begin() as conn:
            results = [(True, refresher.apply_step(conn, name, kwargs)) for name, kwargs in steps]
    except Exception:  # rolled back: every step runs again alone, so one bad feed costs itself
        results = []
        for name, kwargs in steps:
            try:
                results.append((True, refresher.run_alone(name, kwargs)))
            except Exception as exc:  # handed back to the coroutine waiting for this step
                results.append((False, _portable(exc)))
    cpu = {
        "writer": time.thread_time() - started,
        "store_article": refresher.take_cpu("store_article"),
    }
    return results, cpu


def _portable(exc: Exception) -> Exception:
    """An error that survives the trip to the parent: ours as they are, others as a StoreError.

    (A database driver's error may not unpickle; then the parent would see the whole group
    fail although it was written.)
    """
    from newsdesk.errors import NewsdeskError, StoreError

    if isinstance(exc, NewsdeskError):
        return exc
    return StoreError(f"writing failed: {type(exc).__name__}: {exc}")


class RemoteWriter:
    """A one-process pool running :func:`run_group`; ``run`` blocks until the group is written."""

    def __init__(self, url: str, settings: Settings, *, enrich: bool) -> None:
        import multiprocessing

        # "spawn": the refresher has threads running, which a forked child must not inherit.
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(url, settings, enrich),
        )

    def run(self, steps: list[Step]) -> tuple[list[tuple[bool, Any]], dict[str, float]]:
        return self._pool.submit(run_group, steps).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
