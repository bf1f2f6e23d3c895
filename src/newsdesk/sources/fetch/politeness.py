"""Politeness towards the hosts newsdesk fetches from.

At most ``per_host_concurrency`` requests in flight to one host, a pause of
``per_host_delay`` seconds between the starts of two requests to it, and, when
a host answers 429 or 503 with ``Retry-After``, no further request to it in
this run until that time has passed: the remaining feeds on that host are
deferred, not failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newsdesk.errors import FetchError

#: Longest Retry-After honoured; a longer one is read as this long.
MAX_RETRY_AFTER = 24 * 3600.0


class HostBackoffError(FetchError):
    """Not sent: the host asked us (Retry-After) to stay away a while longer."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), bounded."""
    if not value:
        return None
    value = value.strip()
    seconds: float | None
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float()
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class HostLimiter:
    """Per-host concurrency, polite spacing between requests to one host, and host backoff."""

    def __init__(self, per_host: int, delay: float, total: int) -> None:
        self._per_host = max(1, per_host)
        self._delay = max(0.0, delay)
        self._total = asyncio.Semaphore(max(1, total))
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._blocked_until: dict[str, float] = {}

    def back_off(self, host: str, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self._blocked_until[host] = max(until, self._blocked_until.get(host, 0.0))

    def _check_backoff(self, host: str) -> None:
        until = self._blocked_until.get(host)
        if until is None:
            return
        left = until - asyncio.get_running_loop().time()
        if left > 0:
            raise HostBackoffError(
                f"{host} asked to be left alone for another {left:.0f}s (Retry-After); not sent",
                retry_after=left,
            )

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        self._check_backoff(host)
        sem = self._slots.setdefault(host, asyncio.Semaphore(self._per_host))
        async with sem:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self._delay
            if start > now:
                await asyncio.sleep(start - now)
            self._check_backoff(host)
            async with self._total:
                yield
