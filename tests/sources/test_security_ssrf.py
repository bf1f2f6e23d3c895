"""SSRF guard, addresses that hide a private IPv4 address inside IPv6, and old site-local IPv6."""

from __future__ import annotations

import ipaddress

import pytest

from newsdesk.config import Settings
from newsdesk.errors import BlockedURLError
from newsdesk.sources.fetch.client import fetch_page
from newsdesk.sources.fetch.ssrf import blocked_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        # 6to4 (2002::/16) carries an IPv4 address in its next 32 bits: a 6to4 relay or
        # a host with a 6to4 interface delivers to that IPv4 address.
        ("2002:7f00:1::", "loopback"),  # 127.0.0.1
        ("2002:a9fe:a9fe::1", "metadata"),  # 169.254.169.254
        ("2002:a00:1::", "private"),  # 10.0.0.1
        ("2002:c0a8:101:5::9", "private"),  # 192.168.1.1
        # Site-local IPv6 (fec0::/10): deprecated but still routed inside some networks.
        ("fec0::1", "site-local"),
        ("feff:ffff::1", "site-local"),
    ],
)
def test_ipv6_forms_of_non_public_addresses_are_refused(address: str, reason: str) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    assert found is not None and reason in found, found


def test_6to4_of_a_public_address_still_passes() -> None:
    assert blocked_reason(ipaddress.ip_address("2002:5db8:d822::1")) is None  # 93.184.216.34


@pytest.mark.parametrize("url", ["http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/latest"])
def test_6to4_literal_urls_are_refused_before_connecting(url: str) -> None:
    with pytest.raises(BlockedURLError, match="refused to fetch"):
        fetch_page(url, Settings(connect_timeout=5))
