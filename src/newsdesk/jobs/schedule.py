"""When to refresh a source next: pure functions of its history and ``now``.

A source that publishes ten times a day is looked at often; one that posts
monthly is left alone for a day. The interval sits between the
``min_refresh_interval`` and ``max_refresh_interval`` settings, and a little
jitter spreads sources added together (an OPML import) so they do not all
fall due in the same second. Failing sources back off exponentially, and a
server's ``Retry-After`` is never undercut.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

#: How far back publishing history counts towards the rate.
HISTORY_WINDOW = timedelta(days=14)
#: Refreshes wished for per published item: 2 means "look twice as often as they publish".
CHECKS_PER_ITEM = 2.0
#: Jitter as a fraction of the interval, both ways.
JITTER_FRACTION = 0.1


def clamp(seconds: float, lower: int, upper: int) -> int:
    upper = max(upper, lower)
    return int(min(max(seconds, lower), upper))


def adaptive_interval(
    publish_times: Sequence[datetime], *, now: datetime, min_seconds: int, max_seconds: int
) -> int:
    """Seconds until the next refresh, from how often the source published lately.

    With fewer than two items in the window there is no rate to speak of: a
    source that published once in two weeks (or never) gets the longest
    interval, halved if it published at all recently.
    """
    window_start = now - HISTORY_WINDOW
    recent = sorted(t for t in publish_times if window_start <= t <= now)
    if len(recent) < 2:
        guess = max_seconds / 2 if recent else max_seconds
        return clamp(guess, min_seconds, max_seconds)
    # The rate over the span the items cover (not the whole window): a source
    # that started publishing yesterday is judged by yesterday.
    # n items mark n - 1 gaps; measuring up to ``now`` slows a source that went quiet.
    span = max((now - recent[0]).total_seconds(), 3600.0)
    per_second = (len(recent) - 1) / span
    return clamp(1.0 / (per_second * CHECKS_PER_ITEM), min_seconds, max_seconds)


def failure_backoff(
    failures: int,
    *,
    min_seconds: int,
    max_seconds: int,
    retry_after: float | None = None,
) -> int:
    """Seconds to wait after ``failures`` failed refreshes in a row (1 = the first failure)."""
    exponent = min(max(failures - 1, 0), 30)
    wait = float(min_seconds) * (2**exponent)
    seconds = clamp(wait, min_seconds, max_seconds)
    if retry_after is not None:
        seconds = max(seconds, int(retry_after + 0.999))
    return seconds


def jittered(seconds: int, unit_random: float, *, lower: int, upper: int) -> int:
    """``seconds`` moved by up to ±JITTER_FRACTION, kept within ``[lower, upper]``.

    ``unit_random`` in [0, 1) comes from the caller, so this stays a pure function.
    """
    offset = (unit_random * 2.0 - 1.0) * JITTER_FRACTION * seconds
    return clamp(seconds + offset, max(lower, 1), upper)


def next_refresh(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds)
