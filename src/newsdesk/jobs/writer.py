"""One writer thread for a refresh run, committing ready work in groups.

SQLite takes one writer at a time, and a commit costs the same whether it
carries one feed or fifty; so the refresher hands each feed's writes to this
thread as a job, and the thread runs every job that is waiting in one
transaction (group commit). If that transaction fails, each job of the group
runs again on its own, through its ``alone`` path (which writes entry by
entry), so one bad feed or entry costs only itself.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store.db import Database

log = get_logger(__name__)

#: Most jobs (feeds) committed in one transaction.
MAX_GROUP = 64


@dataclass
class WriteJob:
    apply: Callable[[Any], Any]  # runs inside the group's transaction, given its connection
    alone: Callable[[], Any]  # the same work in its own transaction(s), after a group failed
    step: Any = None  # the same work as plain data, for a writer process (see writer_process)
    heavy: bool = False  # worth starting the writer process for (storing a feed's entries)
    future: Future[Any] = field(default_factory=Future)


class GroupWriter:
    """Runs write jobs on one thread; use ``submit`` from any thread, ``close`` at the end."""

    def __init__(
        self,
        db: Database,
        *,
        max_group: int = MAX_GROUP,
        remote: Callable[[], Any] | None = None,
    ) -> None:
        self.db = db
        self.max_group = max(1, max_group)
        self.cpu_seconds = 0.0  # CPU time of the writer thread, for the benchmark
        #: Makes a RemoteWriter (big runs): from the first group with heavy work on, groups are
        #: written by that child process. A run of 304s never starts it.
        self._make_remote = remote
        self.remote: Any = None
        self.remote_cpu: dict[str, float] = {}
        self._queue: queue.Queue[WriteJob | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="newsdesk-writer", daemon=True)
        self._thread.start()

    def submit(
        self,
        apply: Callable[[Any], Any],
        alone: Callable[[], Any],
        step: Any = None,
        *,
        heavy: bool = False,
    ) -> Future[Any]:
        job = WriteJob(apply, alone, step, heavy)
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self.remote is not None:
            self.remote.close()

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            self.cpu_seconds = time.thread_time()

    def _loop(self) -> None:
        closing = False
        while not closing:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < self.max_group:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    closing = True
                    break
                group.append(job)
            self._write(group)

    def _write(self, group: list[WriteJob]) -> None:
        if self.remote is None and self._make_remote and any(job.heavy for job in group):
            self.remote = self._make_remote()
            self._make_remote = None
        if self.remote is not None and all(job.step is not None for job in group):
            try:
                results, cpu = self.remote.run([job.step for job in group])
            except Exception as exc:  # the writer process is gone: write here from now on
                log.warning("writer process failed, writing in this process", error=str(exc))
                self.remote.close()
                self.remote = None
            else:
                for key, seconds in cpu.items():
                    self.remote_cpu[key] = self.remote_cpu.get(key, 0.0) + seconds
                for job, (ok, value) in zip(group, results, strict=True):
                    if ok:
                        job.future.set_result(value)
                    else:
                        job.future.set_exception(value)
                return
        try:
            with self.db.begin() as conn:
                results = [job.apply(conn) for job in group]
        except Exception as exc:  # rolled back: every job of the group runs again alone
            if len(group) > 1:
                log.info("group write failed, writing feeds one by one", error=str(exc))
            for job in group:
                self._alone(job)
            return
        for job, result in zip(group, results, strict=True):
            job.future.set_result(result)

    @staticmethod
    def _alone(job: WriteJob) -> None:
        try:
            job.future.set_result(job.alone())
        except BaseException as exc:  # handed to the coroutine waiting for this job
            job.future.set_exception(exc)
