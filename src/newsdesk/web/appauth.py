"""Reader-app credentials: an email and an app password (an API token), never the account
password; sign-in attempts go through the web app's rate limiters."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.errors import InputError, NewsdeskError, NotFoundError
from newsdesk.logs import get_logger
from newsdesk.store.accounts import User
from newsdesk.web.auth import FEED_TOKEN_PREFIX, now

log = get_logger(__name__)
T = TypeVar("T")


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


def limited(request: Request, email: str | None) -> bool:
    """Too many failed sign-ins for this account (when named) or from this address (the
    store's shared count: call it off the event loop, through ``call``)."""
    return bool(request.app.state.signin_limits.blocked(email, address(request)))


def failed(request: Request, email: str | None) -> None:
    request.app.state.signin_limits.failed(email, address(request))


def token_user(request: Request, email: str | None, token: str) -> User | None:
    """The user of a live app password (matching ``email`` when given); feed-only tokens fail."""
    from newsdesk.follow.accounts import token_owner

    if not token or len(token) > 200:
        return None
    with request.app.state.db.begin() as conn:
        found = token_owner(conn, token, now=now())
    if found is None or found[1].startswith(FEED_TOKEN_PREFIX):
        return None
    if email is not None and found[0].email.lower() != email.strip().lower():
        return None
    return found[0]


def write_token(request: Request, auth: str) -> str:
    """Google Reader's ``T`` token for a session: an HMAC of its auth token."""
    secret = str(request.app.state.secret)
    return hmac.new(secret.encode(), b"T:" + auth.encode(), hashlib.sha256).hexdigest()[:57]


def status_of(exc: NewsdeskError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError):
        return 400
    return 400


async def call(fn: Callable[[], T]) -> T:
    return await run_in_threadpool(fn)


def text(body: str, status: int = 200) -> Response:
    return PlainTextResponse(body, status_code=status)
