"""Signed unsubscribe links (RFC 8058 one-click): the token names the user and proves we made it.

The token is ``<user id>.<HMAC-SHA256 of "unsubscribe:<user id>" under the web
secret>``, so a link can neither be forged nor turned onto another user, and
it needs no table. Unsubscribing turns both editions off; the user can turn
them on again with ``newsdesk users set``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from newsdesk.errors import AuthError

_PURPOSE = b"newsdesk-unsubscribe:"


def _signature(user_id: int, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), _PURPOSE + str(user_id).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def unsubscribe_token(user_id: int, secret: str) -> str:
    return f"{user_id}.{_signature(user_id, secret)}"


def unsubscribe_url(base_url: str, user_id: int, secret: str) -> str:
    return f"{base_url.rstrip('/')}/unsubscribe/{unsubscribe_token(user_id, secret)}"


def verify_unsubscribe_token(token: str, secret: str) -> int:
    """The user id a token was made for; AuthError when it was not made with ``secret``."""
    head, _, signature = token.strip().partition(".")
    if (
        not (head.isascii() and head.isdigit())
        or not signature
        or len(head) > 12
        or str(int(head)) != head
    ):
        raise AuthError("this unsubscribe link is malformed", hint="use the link from the mail")
    user_id = int(head)
    if not hmac.compare_digest(signature, _signature(user_id, secret)):
        raise AuthError("this unsubscribe link is not valid", hint="use the link from the mail")
    return user_id


@dataclass(frozen=True, slots=True)
class UnsubscribeResult:
    user_id: int
    email: str

    def to_dict(self) -> dict[str, object]:
        return {"user_id": self.user_id, "email": self.email, "unsubscribed": True}


def handle_one_click(db: object, token: str, *, secret: str, now: datetime) -> UnsubscribeResult:
    """What ``POST /unsubscribe/{token}`` does (RFC 8058): verify, turn both editions off.

    Idempotent: a second POST changes nothing and answers the same.
    """
    from newsdesk.store import editions as store
    from newsdesk.store.db import Database

    assert isinstance(db, Database)
    user_id = verify_unsubscribe_token(token, secret)
    with db.begin() as conn:
        schedule = store.schedule_of(conn, user_id)
        store.set_edition_times(conn, user_id, now=now, morning="off", evening="off")
    return UnsubscribeResult(user_id, schedule.email)
