"""Fetching what a hostile server or a careless feed hands us: always a FetchError line."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.sources.fetch.client import fetch_feed, fetch_page
from tests.sources.local_server import LocalServer, Reply


@pytest.mark.parametrize(
    "location",
    [
        "data:text/html,<p>a page inside the redirect</p>",
        "javascript:alert(1)",
        "http://exa mple.example/feed",
        "http://[::1",
    ],
)
def test_a_redirect_to_an_unparseable_or_foreign_url_is_a_fetch_error(
    server: LocalServer, fast_settings: Settings, location: str
) -> None:
    url = server.set("/moved", Reply(302, b"", {"Location": location}))
    with pytest.raises(FetchError):
        fetch_feed(url, fast_settings)


def test_a_url_httpx_cannot_parse_is_a_fetch_error(fast_settings: Settings) -> None:
    with pytest.raises(FetchError, match="exa mple"):
        fetch_page("http://exa mple.example/article", fast_settings)


def test_the_extract_command_prints_one_line_for_a_bad_redirect(
    cli, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/moved", Reply(302, b"", {"Location": "data:text/html,hello"}))
    result = cli("extract", url)
    assert result.code == 1, result
    assert result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr


def test_a_non_ascii_validator_from_the_server_does_not_break_later_fetches(
    server: LocalServer, fast_settings: Settings
) -> None:
    headers = {"ETag": '"caf\u00e9-2031"', "Last-Modified": "Fri, 14 Mar 2031 09:00:00 GMT\u00e9"}
    url = server.set("/cafe.rss", Reply(200, b"<rss/>", headers))
    first = fetch_feed(url, fast_settings)
    again = fetch_feed(url, fast_settings, etag=first.etag, last_modified=first.last_modified)
    assert again.status == 200 and again.content == b"<rss/>"
    assert "if-none-match" not in server.hits("/cafe.rss")[-1].headers
