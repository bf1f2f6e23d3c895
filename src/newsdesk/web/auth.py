"""Who is asking: the session cookie for pages, a bearer token for the API, a feed token
for Atom, and the CSRF check every form goes through."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsdesk.config import Settings
from newsdesk.follow.accounts import User
from newsdesk.web.problems import WebError
from newsdesk.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, csrf_matches

SESSION_COOKIE = "nd_session"
#: API tokens whose name starts with this only open Atom feeds (they travel in URLs).
FEED_TOKEN_PREFIX = "feed:"


class SignInRequired(Exception):
    """A page needs a signed-in user; the handler redirects to the sign-in page."""


class SetupRequired(Exception):
    """The instance has no users yet; the handler redirects to the first-run page."""


def now() -> datetime:
    return datetime.now(UTC)


def require_user(request: Request) -> User:
    user: User | None = getattr(request.state, "user", None)
    if user is None:
        if not request.app.state.has_users():
            raise SetupRequired()
        raise SignInRequired()
    return user


def require_admin(request: Request) -> User:
    user = require_user(request)
    if not user.is_admin:
        raise WebError(403, "only the admin can do this")
    return user


def _lookup_token(request: Request, token: str) -> tuple[User, str] | None:
    from newsdesk.follow.accounts import token_owner

    with request.app.state.db.begin() as conn:
        return token_owner(conn, token, now=now())


async def api_user(request: Request) -> User:
    """The user of the API request's bearer token (never a feed-only token)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise WebError(
            401,
            "an API token is needed",
            hint="send 'Authorization: Bearer TOKEN' "
            "(make one with `newsdesk tokens add NAME --user EMAIL` or on the Settings page)",
        )
    found = await run_in_threadpool(_lookup_token, request, token)
    if found is None:
        raise WebError(401, "unknown or revoked API token")
    user, name = found
    if name.startswith(FEED_TOKEN_PREFIX):
        raise WebError(403, "this token only opens Atom feeds")
    return user


def feed_user(request: Request, token: str) -> User:
    """The user a feed URL's private token belongs to (a feed token or an API token)."""
    if not token or len(token) > 200:
        raise WebError(404, "no such feed")
    found = _lookup_token(request, token)
    if found is None:
        raise WebError(404, "no such feed")
    return found[0]


async def check_csrf(request: Request) -> None:
    """Every state-changing form carries the CSRF token (form field or our script's header)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            try:
                form = await request.form()
            except Exception as exc:  # a malformed body
                raise WebError(400, "the form could not be read") from exc
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not csrf_matches(request.app.state.secret, cookie, sent):
        raise WebError(
            403,
            "the form's security token is missing or wrong",
            hint="reload the page and try again (cookies must be on)",
        )


def secure_cookies(settings: Settings) -> bool:
    return settings.base_url.lower().startswith("https://")


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=secure_cookies(settings), path="/"
    )
