"""The web app's guards: response headers, CSRF tokens, sign-in rate limits, loopback checks.

CSRF uses a signed double-submit token: a random value plus its HMAC under the
instance secret, set in a cookie and echoed in every form (or the
``X-CSRF-Token`` header from our script). A forged form cannot read the cookie,
and a planted cookie fails the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

CSRF_COOKIE = "nd_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

#: Values of the secret and of an admin password that mean "nobody chose one".
DEFAULT_SECRETS = frozenset({"", "change-me", "changeme", "secret"})
DEFAULT_PASSWORDS = frozenset(
    {"admin", "password", "change-me", "changeme", "newsdesk", "12345678", "admin123"}
)


def new_csrf_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(secret, nonce)}"


def _sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def valid_csrf_token(secret: str, token: str | None) -> bool:
    if not token or len(token) > 200 or "." not in token:
        return False
    nonce, _, mac = token.partition(".")
    return hmac.compare_digest(_sign(secret, nonce), mac)


def csrf_matches(secret: str, cookie: str | None, sent: str | None) -> bool:
    """The form's token equals the cookie's and carries our signature."""
    if not cookie or not sent:
        return False
    return hmac.compare_digest(cookie, sent) and valid_csrf_token(secret, cookie)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class RateLimiter:
    """Failed sign-ins per key (an account, an address) within a sliding window.

    In memory, per process: enough for the single-machine default; a multi-process
    deployment gets a limit per process, still far below a brute-force rate.
    """

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._trim(key, time.monotonic())) >= self.limit

    def hit(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._trim(key, now).append(now)
            if len(self._hits) > 100_000:  # forget the oldest keys rather than grow forever
                for stale in list(self._hits)[:50_000]:
                    del self._hits[stale]

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
