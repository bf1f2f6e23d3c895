"""Which site a URL belongs to: its registrable domain ("bbc.co.uk", "a.github.io").

Why: a page may claim another site's canonical URL or name; the claim is only
believed when it stays on the page's own site, and "own site" means the same
registrable domain by the Public Suffix List (``news.bbc.co.uk`` and
``www.bbc.co.uk`` are one site, ``a.github.io`` and ``b.github.io`` are two).
tldextract is used with the list snapshot it ships: never fetched at run time.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

__all__ = ["registrable_domain", "same_site"]


@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # no suffix_list_urls and no cache folder: the bundled snapshot, no network, no disk
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@lru_cache(maxsize=1024)
def _registrable_host(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    parts = _extractor()(host)
    if parts.suffix:
        return f"{parts.domain}.{parts.suffix}" if parts.domain else host
    # a name under no public suffix ("localhost", "news.example"): its last two labels
    return ".".join(host.split(".")[-2:])


def registrable_domain(url: str | None) -> str | None:
    """The registrable domain of ``url``'s host; None without a host or for a broken URL."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return _registrable_host(host) if host else None


def same_site(url: str | None, other: str | None) -> bool:
    """Whether both URLs have a host and it is on the same registrable domain."""
    mine = registrable_domain(url)
    return mine is not None and mine == registrable_domain(other)
