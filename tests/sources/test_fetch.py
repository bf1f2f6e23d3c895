"""Fetching against a real local server: validators, compression, redirects, errors, limits."""

from __future__ import annotations

import gzip
import zlib

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.sources.fetch.client import HTTPStatusError, fetch_feed, fetch_page
from tests.sources.local_server import LocalServer, Reply, conditional

FEED = b"<rss version='2.0'><channel><title>T</title></channel></rss>"


def test_page_is_fetched_with_our_user_agent(server: LocalServer, fast_settings: Settings) -> None:
    url = server.set("/a.html", Reply(200, b"<p>hello</p>", {"Content-Type": "text/html"}))
    page = fetch_page(url, fast_settings)
    assert page.content == b"<p>hello</p>"
    assert page.url == url and page.origin == url
    assert page.content_type == "text/html"
    assert server.hits("/a.html")[0].headers["user-agent"] == fast_settings.user_agent


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_decoded(
    server: LocalServer, fast_settings: Settings, encoding: str
) -> None:
    body = b"<p>" + b"compressible words " * 500 + b"</p>"
    if encoding == "gzip":
        packed = gzip.compress(body)
    elif encoding == "deflate":
        packed = zlib.compress(body)
    else:
        c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        packed = c.compress(body) + c.flush()
    header = "deflate" if encoding.endswith("deflate") else encoding
    url = server.set("/z", Reply(200, packed, {"Content-Encoding": header}))
    assert fetch_page(url, fast_settings).content == body
    assert "gzip" in server.hits("/z")[0].headers["accept-encoding"]


def test_etag_gives_304_and_conditional_request(
    server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/feed", conditional(FEED, etag='"v1"'))
    first = fetch_feed(url, fast_settings)
    assert first.status == 200 and first.etag == '"v1"'
    second = fetch_feed(url, fast_settings, etag=first.etag)
    assert second.not_modified and second.content == b""
    assert server.hits("/feed")[1].headers["if-none-match"] == '"v1"'


def test_last_modified_gives_304(server: LocalServer, fast_settings: Settings) -> None:
    stamp = "Wed, 25 Nov 2026 07:00:00 GMT"
    url = server.set("/feed", conditional(FEED, last_modified=stamp))
    first = fetch_feed(url, fast_settings)
    assert first.last_modified == stamp
    second = fetch_feed(url, fast_settings, last_modified=first.last_modified)
    assert second.not_modified
    assert server.hits("/feed")[1].headers["if-modified-since"] == stamp


@pytest.mark.parametrize(
    ("chain", "permanent"),
    [
        ([301, 308], "/end"),  # all permanent: the source moves to the end
        ([301, 302], "/hop1"),  # permanent up to the temporary hop only
        ([302, 301], None),  # a temporary first hop: nothing moves
    ],
)
def test_redirect_chains(
    server: LocalServer, fast_settings: Settings, chain: list[int], permanent: str | None
) -> None:
    server.set("/end", Reply(200, FEED))
    for i, status in enumerate(chain):
        target = "/end" if i == len(chain) - 1 else f"/hop{i + 1}"
        server.set("/start" if i == 0 else f"/hop{i}", Reply(status, b"", {"Location": target}))
    result = fetch_feed(server.url("/start"), fast_settings)
    assert result.content == FEED
    assert result.final_url == server.url("/end")
    assert result.permanent_url == (server.url(permanent) if permanent else None)


def test_redirect_loop_is_an_error(server: LocalServer, fast_settings: Settings) -> None:
    server.set("/a", Reply(302, b"", {"Location": "/b"}))
    server.set("/b", Reply(301, b"", {"Location": "/a"}))
    with pytest.raises(FetchError, match="redirects in a loop"):
        fetch_feed(server.url("/a"), fast_settings)
    assert len(server.hits("/a")) == 1


def test_too_many_redirects(server: LocalServer, fast_settings: Settings) -> None:
    for i in range(12):
        server.set(f"/r{i}", Reply(302, b"", {"Location": f"/r{i + 1}"}))
    with pytest.raises(FetchError, match="redirected more than 8 times"):
        fetch_feed(server.url("/r0"), fast_settings)


@pytest.mark.parametrize(("status", "words"), [(404, "wrong"), (410, "removed"), (500, "problem")])
def test_error_statuses(
    server: LocalServer, fast_settings: Settings, status: int, words: str
) -> None:
    url = server.set("/x", Reply(status, b"nope"))
    with pytest.raises(HTTPStatusError) as info:
        fetch_feed(url, fast_settings)
    assert info.value.status == status
    assert f"HTTP {status}" in str(info.value) and words in str(info.value)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_read(server: LocalServer, fast_settings: Settings, status: int) -> None:
    url = server.set("/busy", Reply(status, b"", {"Retry-After": "120"}))
    with pytest.raises(HTTPStatusError) as info:
        fetch_feed(url, fast_settings)
    assert info.value.status == status
    assert info.value.retry_after == 120


def test_slow_server_times_out(server: LocalServer, fast_settings: Settings) -> None:
    url = server.set("/slow", Reply(200, FEED, delay=1.5))
    with pytest.raises(FetchError, match=r"sent nothing for 0\.5s"):
        fetch_feed(url, fast_settings)


def test_connection_dropped_mid_body(server: LocalServer, fast_settings: Settings) -> None:
    url = server.set("/drop", Reply(200, FEED * 100, drop_after=200))
    with pytest.raises(FetchError, match="closed before the whole response"):
        fetch_feed(url, fast_settings)


def test_body_over_the_limit(server: LocalServer, fast_settings: Settings) -> None:
    settings = fast_settings.model_copy(update={"max_feed_bytes": 10_000})
    url = server.set("/big", Reply(200, b"x" * 20_000))
    with pytest.raises(FetchError, match="over the 10,000-byte limit"):
        fetch_feed(url, settings)


def test_gzip_bomb_stops_at_the_limit(server: LocalServer, fast_settings: Settings) -> None:
    settings = fast_settings.model_copy(update={"max_feed_bytes": 1_000_000})
    bomb = gzip.compress(b"\0" * 40_000_000, compresslevel=9)  # 40 MB in about 40 KB
    assert len(bomb) < 100_000
    url = server.set("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="inflates to more than the 1,000,000-byte limit"):
        fetch_feed(url, settings)


def test_connection_refused_is_one_clear_line(fast_settings: Settings) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=r"cannot connect to 127\.0\.0\.1"):
        fetch_feed(f"http://127.0.0.1:{port}/feed", fast_settings)


def test_whole_download_limit(server: LocalServer, fast_settings: Settings) -> None:
    """A server slower than fetch_timeout in all is cut off, even within the read timeout."""
    settings = fast_settings.model_copy(update={"fetch_timeout": 0.6, "read_timeout": 5.0})
    url = server.set("/trickle", Reply(200, FEED, delay=1.0))
    with pytest.raises(FetchError, match="took longer than"):
        fetch_feed(url, settings)


def test_queueing_for_a_busy_host_is_not_counted_as_slowness(
    server: LocalServer, fast_settings: Settings
) -> None:
    import asyncio

    from newsdesk.sources.fetch.client import FEED_ACCEPT, Fetcher

    settings = fast_settings.model_copy(
        update={"fetch_timeout": 1.0, "per_host_concurrency": 1, "per_host_delay": 0.4}
    )
    for i in range(4):
        server.set(f"/f{i}", Reply(200, FEED))

    async def all_four() -> list[int]:
        async with Fetcher(settings) as fetcher:
            results = await asyncio.gather(
                *(
                    fetcher.get(server.url(f"/f{i}"), max_bytes=10_000, accept=FEED_ACCEPT)
                    for i in range(4)
                )
            )
        return [r.status for r in results]

    # The last one waits about 1.2 s for its turn, longer than fetch_timeout, and still succeeds.
    assert asyncio.run(all_four()) == [200, 200, 200, 200]
