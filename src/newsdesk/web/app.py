"""The web app: ``create_app(settings)`` builds the FastAPI application.

One app serves the HTML pages, the JSON API under ``/api/v1`` and the Atom
feeds. Every response carries the security headers; every page request reads
the session cookie once (in the middleware below) and every form is checked
for its CSRF token.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.config import Settings, get_settings, session_secret
from newsdesk.errors import NewsdeskError
from newsdesk.follow.accounts import User
from newsdesk.store.db import Database
from newsdesk.web import problems
from newsdesk.web.auth import (
    SESSION_COOKIE,
    SetupRequired,
    SignInRequired,
    now,
    secure_cookies,
)
from newsdesk.web.render import StaticFiles, make_environment
from newsdesk.web.security import (
    CSRF_COOKIE,
    DEFAULT_SECRETS,
    SECURITY_HEADERS,
    SignInLimits,
    new_csrf_token,
    valid_csrf_token,
)

#: Failed sign-ins allowed per account and per address in ``SIGNIN_WINDOW`` seconds.
SIGNIN_PER_ACCOUNT = 5
SIGNIN_PER_ADDRESS = 20
SIGNIN_WINDOW = 15 * 60
#: Largest request body a page or the API accepts (an OPML upload is the largest).
MAX_BODY = 2 * 1024 * 1024


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    """The application for ``settings`` (the process settings when omitted)."""
    from newsdesk.store.db import open_database
    from newsdesk.web import api, atom, fever, greader, ops, pages

    settings = settings or get_settings()
    database = db or open_database(settings)
    app = FastAPI(
        title="newsdesk",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    static = StaticFiles.load()
    app.state.settings = settings
    app.state.db = database
    app.state.static = static
    app.state.jinja = make_environment(static)
    # The secret signs CSRF tokens: NEWSDESK_SECRET_KEY or the one kept in the data folder.
    secret = session_secret(settings)
    app.state.secret = secret if secret not in DEFAULT_SECRETS else secrets.token_urlsafe(32)
    app.state.signin_limits = SignInLimits(
        database,
        per_account=SIGNIN_PER_ACCOUNT,
        per_address=SIGNIN_PER_ADDRESS,
        window_seconds=SIGNIN_WINDOW,
    )
    known = {"users": False}

    def has_users() -> bool:
        if known["users"]:
            return True
        from newsdesk.follow.accounts import count_users

        with database.connect() as conn:
            known["users"] = count_users(conn) > 0
        return known["users"]

    def forget_users() -> None:
        known["users"] = False

    app.state.has_users = has_users
    app.state.forget_users = forget_users
    app.state.demo_loaded = lambda: _demo_loaded(database)

    _add_middleware(app, settings)
    app.add_exception_handler(problems.WebError, problems.on_web_error)
    app.add_exception_handler(NewsdeskError, problems.on_newsdesk_error)
    app.add_exception_handler(StarletteHTTPException, problems.on_http_error)
    app.add_exception_handler(RequestValidationError, problems.on_validation_error)
    app.add_exception_handler(Exception, problems.on_unexpected)
    app.add_exception_handler(SignInRequired, _to_signin)
    app.add_exception_handler(SetupRequired, _to_setup)

    app.include_router(api.router)
    app.include_router(ops.router)
    app.include_router(atom.router)
    app.include_router(greader.router)
    app.include_router(fever.router)
    app.include_router(pages.router)
    api.install_openapi(app)
    return app


def _demo_loaded(db: Database) -> bool:
    from newsdesk.store import demo

    try:
        with db.connect() as conn:
            return demo.is_loaded(conn)
    except NewsdeskError:
        return False


async def _to_signin(request: Request, exc: Exception) -> Response:
    from urllib.parse import quote

    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse("/signin?next=" + quote(target, safe=""), status_code=303)


async def _to_setup(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/setup", status_code=303)


def _session_user(app: FastAPI, token: str) -> User | None:
    from newsdesk.follow.accounts import user_for_session

    if len(token) > 200:
        return None
    with app.state.db.begin() as conn:
        return user_for_session(conn, token, now=now())


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    secure = secure_cookies(settings)

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.user = None
        path = request.url.path
        if path.startswith("/api/greader//"):  # newsboat adds "/" to a feedhq-url ending in "/"
            path = request.scope["path"] = "/api/greader/" + path[len("/api/greader//") :].lstrip(
                "/"
            )
        length = request.headers.get("content-length")
        if length is not None and (
            not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY
        ):
            response: Response = (
                problems.problem(413, f"the request body is over {MAX_BODY:,} bytes")
                if path.startswith("/api/")
                else Response("request too large", status_code=413, media_type="text/plain")
            )
            _headers(response)
            return response
        new_csrf = None
        page = not path.startswith(("/api/", "/static/", "/feeds/"))
        if page:
            token = request.cookies.get(SESSION_COOKIE)
            if token:
                request.state.user = await run_in_threadpool(_session_user, app, token)
            csrf = request.cookies.get(CSRF_COOKIE)
            if not valid_csrf_token(app.state.secret, csrf):
                csrf = new_csrf = new_csrf_token(app.state.secret)
            request.state.csrf = csrf
        response = await call_next(request)
        if new_csrf is not None:
            response.set_cookie(
                CSRF_COOKIE, new_csrf, httponly=True, samesite="lax", secure=secure, path="/"
            )
        _headers(response)
        return response


def _headers(response: Response) -> None:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
