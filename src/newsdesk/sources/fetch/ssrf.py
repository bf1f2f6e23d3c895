"""SSRF guard: newsdesk fetches what users and feeds name, so it must not be a key to the
network it runs in.

Addresses are judged *after* DNS resolution (a public-looking name may point at
127.0.0.1) and judged again for every redirect hop. The same check runs inside
the HTTP connection itself (:class:`GuardedBackend`): the address the socket
connects to is the address that was checked, so a name that resolves to a
public address once and a private one a moment later (DNS rebinding) gains
nothing. ``Settings.allowed_hosts`` lists hosts and networks let through anyway
(an intranet feed server, the tests' local server).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from newsdesk.errors import BlockedURLError, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Cloud metadata endpoints: named on their own so the refusal says what they are.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    }
)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})

#: Shared address space (carrier-grade NAT) is not "private" to Python but is not public either.
_SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")

ALLOWED_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Hosts (exact names or literal addresses) and networks the guard lets through."""

    names: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower().strip("[]")
            if not entry:
                continue
            if "/" in entry:
                try:
                    networks.append(ipaddress.ip_network(entry, strict=False))
                    continue
                except ValueError:
                    pass
            # A bare address is a host: it lets through URLs that name it, not every
            # name that happens to resolve to it (list the name, or a network, for that).
            names.add(_normal_host(entry))
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        return _normal_host(host) in self.names

    def allows_ip(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)


def _normal_host(host: str) -> str:
    host = host.strip().lower().strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched, or None for an ordinary public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return blocked_reason(ip.ipv4_mapped)
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        # 6to4 (2002::/16) delivers to the IPv4 address it embeds: judge that one.
        return blocked_reason(ip.sixtofour)
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.version == 4 and ip in _SHARED_SPACE:
        return "a shared (carrier-grade NAT) address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _hint() -> str:
    return "if this host is yours and meant to be reachable, add it to NEWSDESK_ALLOWED_HOSTS"


def check_ip(host: str, ip: IPAddress, allow: Allowlist) -> None:
    """Raise BlockedURLError when ``ip`` (what ``host`` resolved to) may not be contacted."""
    if allow.allows_name(host) or allow.allows_ip(ip):
        return
    reason = blocked_reason(ip)
    if reason is not None:
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise BlockedURLError(f"refused to fetch {shown}: {reason}", hint=_hint())


def split_host(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url``; a clear error for what newsdesk will not fetch."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"malformed URL {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(
            f"refused to fetch {url!r}: only http and https URLs are fetched",
            hint="give a web address starting with http:// or https://",
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(f"malformed URL {url!r}: it has no host name")
    return scheme, host, port or (443 if scheme == "https" else 80)


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _legacy_numeric_host(host: str) -> bool:
    """Forms like ``2130706433`` or ``0x7f.1`` that resolvers read as addresses."""
    return all(
        (part.isascii() and part.isdigit()) or part.lower().startswith("0x")
        for part in host.split(".")
        if part
    )


def precheck_host(host: str, allow: Allowlist) -> IPAddress | None:
    """Checks that need no DNS: metadata names, literal addresses. Returns the literal IP."""
    if allow.allows_name(host):
        return _literal_ip(host)
    if host.lower() in METADATA_NAMES:
        raise BlockedURLError(f"refused to fetch {host}: a cloud metadata host", hint=_hint())
    ip = _literal_ip(host)
    if ip is not None:
        check_ip(host, ip, allow)
    elif _legacy_numeric_host(host):
        raise BlockedURLError(
            f"refused to fetch {host}: numeric host names are not accepted",
            hint="write the address in dotted form",
        )
    return ip


async def resolve_checked(host: str, port: int, allow: Allowlist) -> list[IPAddress]:
    """Every address ``host`` resolves to, each checked; raise if none may be contacted."""
    literal = precheck_host(host, allow)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            f"cannot resolve host {host!r}: {exc}", hint="check the address for typos"
        ) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    # One refused address refuses the host: a name that mixes public and private
    # addresses is exactly what a rebinding or split-horizon trick looks like.
    for ip in addresses:
        check_ip(host, ip, allow)
    return addresses


async def check_url(url: str, allow: Allowlist) -> None:
    """Refuse ``url`` before any connection is made when its host may not be contacted."""
    _scheme, host, port = split_host(url)
    await resolve_checked(host, port, allow)


def check_url_sync(url: str, allowed_hosts: Sequence[str]) -> None:
    """Synchronous form of :func:`check_url` for callers outside an event loop."""
    asyncio.run(check_url(url, Allowlist.parse(allowed_hosts)))


class GuardedBackend:
    """An httpcore network backend that connects only to addresses it has checked itself.

    Wrapping the connect step (rather than checking URLs only) closes the gap
    between "checked" and "connected": the socket goes to the exact address
    that passed :func:`check_ip`.
    """

    def __init__(self, allow: Allowlist) -> None:
        import httpcore

        self._allow = allow
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Any:
        addresses = await resolve_checked(host, port, self._allow)
        last: Exception | None = None
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except Exception as exc:  # httpcore.ConnectError / ConnectTimeout: try the next one
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise BlockedURLError("refused to open a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
