"""The web app's guards: response headers, CSRF tokens, sign-in rate limits (counted in the
store, shared by every web process), loopback checks.

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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.store.db import Database

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


class SignInLimits:
    """Failed sign-ins per account and per address within a sliding window, counted in the
    store so that every web process (they are stateless) shares one count.

    A blocked attempt is not counted (the window closes after the last failure a
    caller could make); a successful sign-in clears its account's count, not its
    address's (one address may try many accounts).
    """

    def __init__(
        self,
        db: Database,
        *,
        per_account: int,
        per_address: int,
        window_seconds: float,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db = db
        self.per_account = per_account
        self.per_address = per_address
        self.window = timedelta(seconds=window_seconds)
        self.clock = clock or (lambda: datetime.now(UTC))

    @staticmethod
    def _keys(account: str | None, address: str) -> tuple[str | None, str]:
        return (None if account is None else "account:" + account.strip().lower()), (
            "address:" + address
        )

    def blocked(self, account: str | None, address: str) -> bool:
        """Too many failures for this account (when named) or from this address."""
        from newsdesk.store import signin_attempts as store

        by_account, by_address = self._keys(account, address)
        now = self.clock()
        with self.db.connect() as conn:
            if store.recent(conn, by_address, now=now, window=self.window) >= self.per_address:
                return True
            return by_account is not None and (
                store.recent(conn, by_account, now=now, window=self.window) >= self.per_account
            )

    def failed(self, account: str | None, address: str) -> None:
        from newsdesk.store import signin_attempts as store

        keys = [k for k in self._keys(account, address) if k is not None]
        with self.db.begin() as conn:
            store.record(conn, keys, now=self.clock(), window=self.window)

    def succeeded(self, account: str) -> None:
        from newsdesk.store import signin_attempts as store

        by_account, _ = self._keys(account, "")
        assert by_account is not None
        with self.db.begin() as conn:
            store.clear(conn, by_account)
