"""Retry-After headers a hostile server might send: each is honoured, ignored or capped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.config import Settings
from newsdesk.sources.fetch.client import HTTPStatusError, fetch_feed
from newsdesk.sources.fetch.politeness import MAX_RETRY_AFTER, parse_retry_after
from tests.sources.local_server import LocalServer, Reply

NOW = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["\u00b2", "\u00b9\u00b2\u00b3", "1\u00bd"])
def test_non_ascii_digits_are_no_delay(value: str) -> None:
    assert parse_retry_after(value, NOW) is None


@pytest.mark.parametrize(("value", "seconds"), [("120", 120.0), ("99999999999", MAX_RETRY_AFTER)])
def test_delta_seconds_are_read_and_capped(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_a_429_with_a_latin1_digit_in_retry_after_is_an_http_error(
    server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/busy.rss", Reply(429, b"slow down", {"Retry-After": "\u00b2"}))
    with pytest.raises(HTTPStatusError) as caught:
        fetch_feed(url, fast_settings)
    assert caught.value.status == 429 and caught.value.retry_after is None
