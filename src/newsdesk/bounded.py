"""Calls that can really be stopped: a child process under a deadline and a memory bound.

Why: a thread cannot be stopped from outside, so a hostile page that keeps
trafilatura or spaCy busy for minutes holds a thread of ``serve`` for minutes.
:class:`BoundedCall` runs the heavy step in a child process whose address space
is capped (``RLIMIT_AS``); when the deadline passes the child is killed and
replaced, and the caller gets one clear error of the stage's own type, so the
batch goes on with the next input.

:func:`die_with_parent` is what every worker process newsdesk starts calls
first: on Linux the kernel sends it SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``), and a watchdog thread checks the parent id as well
(the signal is tied to the parent *thread*, and other systems lack it), so a
``kill -9`` of ``refresh`` or ``serve`` leaves no worker holding the database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from newsdesk.errors import NewsdeskError

__all__ = ["BoundedCall", "die_with_parent", "worker_init"]

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent(parent: int | None = None) -> None:
    """Exit when the parent process dies (kernel signal on Linux, plus a watchdog thread)."""
    parent = parent or os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(_WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def worker_init(memory_mb: int | None = None, parent: int | None = None) -> None:
    """Initializer of a worker process: die with the parent, cap the address space."""
    die_with_parent(parent)
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class BoundedCall:
    """Run picklable functions in one reusable child process, each under a deadline.

    ``setting`` names the settings (``extract`` -> ``NEWSDESK_EXTRACT_DEADLINE`` and
    ``NEWSDESK_EXTRACT_MEMORY_MB``) in the error, so the message says what to raise.
    """

    def __init__(
        self,
        *,
        what: str,
        deadline: float,
        memory_mb: int,
        error: type[NewsdeskError],
        setting: str,
        initializer: Callable[..., None] | None = None,
    ) -> None:
        self.what = what
        self.deadline = deadline
        self.memory_mb = memory_mb
        self.error = error
        self.setting = setting.upper()
        self._initializer = initializer
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            # "spawn": callers have threads running, which a forked child must not inherit
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_child,
                initargs=(self.memory_mb, os.getpid(), self._initializer),
            )
        return self._pool

    def _kill(self) -> None:
        """Kill the child at once (a shutdown would wait for the runaway call)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = dict(getattr(pool, "_processes", None) or {})
        for process in processes.values():
            with contextlib.suppress(Exception):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            with contextlib.suppress(Exception):
                process.join(timeout=5)

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the child; raises ``error`` past the deadline or the memory bound."""
        with self._lock:  # one call at a time: the child is one process
            future: Future[T] = self._start().submit(fn, *args)
            try:
                return future.result(timeout=self.deadline)
            except FutureTimeout:
                self._kill()
                raise self.error(
                    f"{self.what} took longer than {self.deadline:g} s and was stopped",
                    hint=f"raise NEWSDESK_{self.setting}_DEADLINE if this input is genuine",
                ) from None
            except MemoryError:
                self._kill()  # a fresh child: the old one may hold fragments of the failure
                raise self.error(
                    f"{self.what} needed more than {self.memory_mb} MB and was stopped",
                    hint=f"raise NEWSDESK_{self.setting}_MEMORY_MB if this input is genuine",
                ) from None
            except BrokenProcessPool:
                self._kill()
                raise self.error(
                    f"{self.what} ended its process (out of memory past "
                    f"{self.memory_mb} MB, or a crash)",
                    hint=f"raise NEWSDESK_{self.setting}_MEMORY_MB if this input is genuine",
                ) from None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _init_child(
    memory_mb: int, parent: int, initializer: Callable[..., None] | None = None
) -> None:
    worker_init(memory_mb, parent)
    if initializer is not None:
        initializer()
