"""The SSRF guard: private, loopback, link-local and metadata addresses are refused."""

from __future__ import annotations

import ipaddress
import time

import pytest

from newsdesk.config import Settings
from newsdesk.errors import BlockedURLError
from newsdesk.sources.fetch.client import fetch_feed, fetch_page
from newsdesk.sources.fetch.ssrf import Allowlist, blocked_reason
from tests.sources.local_server import LocalServer, Reply


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "metadata"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.7", "carrier-grade"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("fd12:3456::1", "private"),
    ],
)
def test_non_public_addresses_have_a_reason(address: str, reason: str) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    assert found is not None and reason in found


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "1.1.1.1"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/feed.xml", "http://192.168.1.1/", "https://[fd00::1]/"]
)
def test_private_address_refused_before_any_connection(url: str) -> None:
    started = time.monotonic()
    with pytest.raises(BlockedURLError, match=r"refused to fetch .*private network"):
        fetch_feed(url, Settings(connect_timeout=5))
    # No connection was tried: a connect to an unroutable address would take the 5 s timeout.
    assert time.monotonic() - started < 4


def test_name_resolving_to_loopback_is_refused(server: LocalServer) -> None:
    server.set("/feed", Reply(200, b"<rss/>"))
    with pytest.raises(BlockedURLError, match=r"localhost \(127.0.0.1\): a loopback address"):
        fetch_page(f"http://localhost:{server.port}/feed", Settings())
    with pytest.raises(BlockedURLError, match="loopback"):
        fetch_page(f"http://[::ffff:127.0.0.1]:{server.port}/feed", Settings())
    assert server.hits("/feed") == []  # the server never saw a request


def test_allowed_hosts_let_a_local_server_through(server: LocalServer) -> None:
    url = server.set("/feed", Reply(200, b"<rss/>"))
    assert fetch_page(url, Settings(allowed_hosts=["127.0.0.0/8"])).content == b"<rss/>"
    by_name = Settings(allowed_hosts=["localhost"])
    assert fetch_page(f"http://localhost:{server.port}/feed", by_name).content == b"<rss/>"


def test_redirect_to_cloud_metadata_is_refused(
    server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set(
        "/feed", Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    with pytest.raises(BlockedURLError, match=r"169\.254\.169\.254: a cloud metadata address"):
        fetch_feed(url, fast_settings)
    assert len(server.hits("/feed")) == 1


def test_redirect_to_a_not_allowed_loopback_name_is_refused(
    server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/secret", Reply(200, b"internal"))
    url = server.set(
        "/feed", Reply(301, b"", {"Location": f"http://localhost:{server.port}/secret"})
    )
    with pytest.raises(BlockedURLError, match="loopback"):
        fetch_feed(url, fast_settings)
    assert server.hits("/secret") == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.example/feed.xml",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_other_tricks_are_refused(url: str) -> None:
    with pytest.raises(BlockedURLError):
        fetch_page(url, Settings())


def test_allowlist_parsing() -> None:
    allow = Allowlist.parse(["127.0.0.1", "10.0.0.0/8", "Intranet.Example.", " ", "[::1]"])
    assert allow.allows_ip(ipaddress.ip_address("10.2.3.4"))
    assert not allow.allows_ip(ipaddress.ip_address("11.2.3.4"))
    # A bare address is a host, not a network: names resolving to it are not let through.
    assert allow.allows_name("127.0.0.1") and allow.allows_name("[::1]")
    assert not allow.allows_ip(ipaddress.ip_address("127.0.0.1"))
    assert not allow.allows_name("localhost")
    assert allow.allows_name("intranet.example")
