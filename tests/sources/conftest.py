"""Fixtures of the sources tests: a local HTTP server and settings that allow only it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sources.local_server import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def fast_settings(monkeypatch: pytest.MonkeyPatch) -> object:
    """Short timeouts, no politeness delay, no full-text fetches, SSRF guard open to 127.0.0.1.

    Set in the environment too, so the CLI and anything calling get_settings() agree.
    """
    values = {
        "NEWSDESK_ALLOWED_HOSTS": '["127.0.0.1"]',
        "NEWSDESK_CONNECT_TIMEOUT": "1",
        "NEWSDESK_READ_TIMEOUT": "0.5",
        "NEWSDESK_FETCH_TIMEOUT": "5",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_PER_HOST_CONCURRENCY": "4",
        "NEWSDESK_MAX_CONSECUTIVE_FAILURES": "3",
        "NEWSDESK_MIN_ARTICLE_WORDS": "20",
        # Our fixture feeds link to fictional *.example sites: fetching their pages would
        # only ask a DNS resolver. Tests of full text turn it on with links to the local server.
        "NEWSDESK_FETCH_FULL_TEXT": "false",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    from newsdesk.config import get_settings

    get_settings.cache_clear()
    return get_settings()
