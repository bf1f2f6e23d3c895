"""The refresh schedule: pure functions of publishing history and ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from newsdesk.jobs.schedule import adaptive_interval, failure_backoff, jittered
from newsdesk.jobs.scheduler import seconds_until

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MIN, MAX = 15 * 60, 24 * 3600


def every(hours: float, count: int) -> list[datetime]:
    return [NOW - timedelta(hours=hours * i) for i in range(count)]


def test_frequent_publishers_are_refreshed_more_often() -> None:
    hourly = adaptive_interval(every(1, 48), now=NOW, min_seconds=MIN, max_seconds=MAX)
    daily = adaptive_interval(every(24, 10), now=NOW, min_seconds=MIN, max_seconds=MAX)
    assert MIN <= hourly < daily <= MAX
    assert hourly == 30 * 60  # twice per published item


def test_bounds_hold_both_ways() -> None:
    flood = every(0.01, 500)  # a post every 36 seconds
    assert adaptive_interval(flood, now=NOW, min_seconds=MIN, max_seconds=MAX) == MIN
    monthly = [NOW - timedelta(days=30 * i) for i in range(1, 4)]
    assert adaptive_interval(monthly, now=NOW, min_seconds=MIN, max_seconds=MAX) == MAX


def test_no_history_gets_the_longest_interval_and_one_item_half_of_it() -> None:
    assert adaptive_interval([], now=NOW, min_seconds=MIN, max_seconds=MAX) == MAX
    one = adaptive_interval([NOW - timedelta(days=1)], now=NOW, min_seconds=MIN, max_seconds=MAX)
    assert one == MAX // 2


def test_future_dates_do_not_count() -> None:
    future = [NOW + timedelta(days=d) for d in range(1, 30)]
    assert adaptive_interval(future, now=NOW, min_seconds=MIN, max_seconds=MAX) == MAX


def test_failure_backoff_doubles_and_respects_retry_after() -> None:
    waits = [failure_backoff(n, min_seconds=MIN, max_seconds=MAX) for n in range(1, 9)]
    assert waits[:3] == [MIN, 2 * MIN, 4 * MIN]
    assert waits[-2] == 64 * MIN and waits[-1] == MAX
    assert failure_backoff(1, min_seconds=MIN, max_seconds=MAX, retry_after=7200.2) == 7201


@given(st.integers(min_value=1, max_value=10**6), st.floats(min_value=0, max_value=0.999999))
def test_jitter_stays_within_ten_percent_and_the_bounds(seconds: int, r: float) -> None:
    value = jittered(seconds, r, lower=MIN, upper=MAX)
    assert MIN <= value <= MAX
    clamped = min(max(seconds, MIN), MAX)
    assert abs(value - clamped) <= 0.1 * seconds + 1


def test_jitter_spreads_sources() -> None:
    values = {jittered(3600, r / 10, lower=60, upper=MAX) for r in range(10)}
    assert len(values) == 10


def test_scheduler_sleeps_until_the_next_due_source_within_limits() -> None:
    assert seconds_until(None, NOW) == 60
    assert seconds_until(NOW + timedelta(seconds=20), NOW) == 20
    assert seconds_until(NOW - timedelta(seconds=20), NOW) == 1
    assert seconds_until(NOW + timedelta(hours=2), NOW) == 60
