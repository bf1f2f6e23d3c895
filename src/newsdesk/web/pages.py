"""The HTML pages. Each reads its data from ``newsdesk.web.data`` (the same dict the
API returns) and renders a template; each form posts back here, is CSRF-checked, and
redirects (303) to a page, or answers JSON to our script so buttons update in place."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from newsdesk.errors import AuthError, InputError
from newsdesk.follow.accounts import User
from newsdesk.store.db import Database
from newsdesk.web import data
from newsdesk.web.auth import (
    FEED_TOKEN_PREFIX,
    SESSION_COOKIE,
    check_csrf,
    now,
    require_admin,
    require_user,
)
from newsdesk.web.data import MAX_ID, IdPath
from newsdesk.web.problems import WebError
from newsdesk.web.render import StaticFiles, render
from newsdesk.web.security import DEFAULT_PASSWORDS, is_loopback

router = APIRouter(include_in_schema=False)

UserDep = Annotated[User, Depends(require_user)]
AdminDep = Annotated[User, Depends(require_admin)]
CSRF = Depends(check_csrf)
Short = Annotated[str, Form(max_length=320)]
Text = Annotated[str, Form(max_length=2000)]
Next = Annotated[str, Form(max_length=500)]

TIME_ZONES_COMMON = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Africa/Lagos",
)


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _safe_next(target: str | None, default: str = "/") -> str:
    """Only redirect within this site (a path), never to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _done(request: Request, target: str, payload: dict[str, Any] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"ok": True, **(payload or {})})
    return RedirectResponse(_safe_next(target), status_code=303)


# --- first run, sign in, sign out -----------------------------------------------------------


@router.get("/setup")
def setup_page(request: Request) -> Response:
    if request.app.state.has_users():
        return RedirectResponse("/", status_code=303)
    if not is_loopback(request.client.host if request.client else None):
        raise WebError(
            403,
            "the first account can only be created from this machine",
            hint="open http://127.0.0.1:PORT/ on the server, or run `newsdesk users add`",
        )
    return render(request, "setup.html", {"title": "Create the admin account"})


@router.post("/setup", dependencies=[CSRF])
def setup_submit(
    request: Request,
    email: Short,
    password: Annotated[str, Form(max_length=500)],
    confirm: Annotated[str, Form(max_length=500)],
) -> Response:
    from newsdesk.follow.accounts import create_session, create_user

    if not is_loopback(request.client.host if request.client else None):
        raise WebError(403, "the first account can only be created from this machine")
    if request.app.state.has_users():
        raise WebError(409, "the admin account already exists", hint="sign in instead")
    error = None
    if password != confirm:
        error = "the two passwords differ"
    elif password.lower() in DEFAULT_PASSWORDS:
        error = "choose a password of your own, not a well-known default"
    if error is None:
        try:
            with _db(request).begin() as conn:
                user = create_user(conn, email, now=now(), password=password)
                token = create_session(
                    conn,
                    user.id,
                    now=now(),
                    lifetime=timedelta(days=request.app.state.settings.session_days),
                )
        except InputError as exc:
            error = exc.message + (f" ({exc.hint})" if exc.hint else "")
    if error is not None:
        return render(
            request,
            "setup.html",
            {"title": "Create the admin account", "error": error, "email": email},
            status=400,
        )
    from newsdesk.web.auth import set_session_cookie

    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request.app.state.settings, token)
    return response


@router.get("/signin")
def signin_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    if not request.app.state.has_users():
        return RedirectResponse("/setup", status_code=303)
    return render(request, "signin.html", {"title": "Sign in", "next": _safe_next(next)})


@router.post("/signin", dependencies=[CSRF])
def signin_submit(
    request: Request,
    email: Short,
    password: Annotated[str, Form(max_length=500)],
    next: Next = "/",
) -> Response:
    from newsdesk.follow.accounts import authenticate, create_session

    address = request.client.host if request.client else "?"
    account = email.strip().lower()
    limits = request.app.state.signin_limits
    context = {"title": "Sign in", "next": _safe_next(next), "email": email}
    if limits.blocked(account, address):
        return render(
            request,
            "signin.html",
            {**context, "error": "too many failed attempts; wait 15 minutes and try again"},
            status=429,
        )
    try:
        with _db(request).begin() as conn:
            user = authenticate(conn, account, password)
            token = create_session(
                conn,
                user.id,
                now=now(),
                lifetime=timedelta(days=request.app.state.settings.session_days),
            )
    except AuthError:
        limits.failed(account, address)
        return render(
            request, "signin.html", {**context, "error": "wrong email or password"}, status=400
        )
    limits.succeeded(account)
    from newsdesk.web.auth import set_session_cookie

    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request.app.state.settings, token)
    return response


@router.post("/signout", dependencies=[CSRF])
def signout(request: Request) -> Response:
    from newsdesk.follow.accounts import end_session
    from newsdesk.web.auth import clear_session_cookie

    token = request.cookies.get(SESSION_COOKIE)
    if token and len(token) <= 200:
        with _db(request).begin() as conn:
            end_session(conn, token)
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, request.app.state.settings)
    return response


# --- reading --------------------------------------------------------------------------------


@router.get("/")
def for_you_page(request: Request, user: UserDep) -> Response:
    page = data.for_you(_db(request), user, now=now(), settings=request.app.state.settings)
    return render(request, "for_you.html", {"title": "For you", "page": page})


@router.get("/following")
def following_page(request: Request, user: UserDep) -> Response:
    page = data.following(_db(request), user, now=now())
    return render(request, "following.html", {"title": "Following", "page": page})


@router.post("/following/checked", dependencies=[CSRF])
def following_checked(
    request: Request, user: UserDep, upto: Annotated[int, Form(ge=0, le=MAX_ID)]
) -> Response:
    from newsdesk.follow.following import mark_following_checked
    from newsdesk.store.follows import max_article_id

    with _db(request).begin() as conn:
        mark_following_checked(
            conn, user.id, upto_article_id=min(upto, max_article_id(conn)), now=now()
        )
    return _done(request, "/following")


@router.get("/unread")
def unread_page(
    request: Request,
    user: UserDep,
    source: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    page = data.unread(_db(request), user, cursor=cursor, source_id=source, tag=tag)
    return render(request, "unread.html", {"title": "Unread", "page": page})


@router.get("/starred")
def starred_page(
    request: Request, user: UserDep, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    page = data.article_list(_db(request), user, cursor=cursor, starred=True)
    return render(request, "list.html", {"title": "Starred", "page": page, "base": "/starred"})


@router.get("/articles/{article_id}")
def article_page(request: Request, user: UserDep, article_id: IdPath) -> Response:
    page = data.article(_db(request), user, article_id)
    return render(request, "article.html", {"title": page["title"], "a": page})


@router.post("/articles/{article_id}/read", dependencies=[CSRF])
def article_read(
    request: Request,
    user: UserDep,
    article_id: IdPath,
    on: Annotated[str, Form(max_length=1)] = "1",
) -> Response:
    read = on == "1"
    data.mark_read(_db(request), user, [article_id], read)
    label = "Mark unread" if read else "Mark read"
    return _done(request, f"/articles/{article_id}", {"label": label, "on": "0" if read else "1"})


@router.post("/articles/{article_id}/star", dependencies=[CSRF])
def article_star(
    request: Request,
    user: UserDep,
    article_id: IdPath,
    on: Annotated[str, Form(max_length=1)] = "1",
) -> Response:
    starred = on == "1"
    data.set_starred(_db(request), user, article_id, starred)
    label = "Unstar article" if starred else "Star article"
    return _done(
        request, f"/articles/{article_id}", {"label": label, "on": "0" if starred else "1"}
    )


@router.get("/stories")
def stories_page(request: Request, user: UserDep) -> Response:
    page = data.stories_list(_db(request))
    return render(request, "stories.html", {"title": "Stories", "page": page})


@router.get("/stories/{key}")
def story_page(request: Request, user: UserDep, key: str) -> Response:
    page = data.story(_db(request), user, key)
    return render(request, "story.html", {"title": page["headline"], "s": page})


@router.post("/stories/{key}/read", dependencies=[CSRF])
def story_read(request: Request, user: UserDep, key: str) -> Response:
    page = data.story(_db(request), user, key)
    data.mark_story_read(_db(request), user, page["key"])
    return _done(request, f"/stories/{page['key']}", {"label": "Story marked read"})


def _entity(request: Request, user: User, kind: str, entity_id: IdPath) -> Response:
    page = data.entity_page(_db(request), user, kind, entity_id)
    return render(request, "entity.html", {"title": page["name"], "e": page})


@router.get("/people/{entity_id}")
def person_page(request: Request, user: UserDep, entity_id: IdPath) -> Response:
    return _entity(request, user, "person", entity_id)


@router.get("/orgs/{entity_id}")
def org_page(request: Request, user: UserDep, entity_id: IdPath) -> Response:
    return _entity(request, user, "org", entity_id)


@router.get("/places/{entity_id}")
def place_page(request: Request, user: UserDep, entity_id: IdPath) -> Response:
    return _entity(request, user, "place", entity_id)


@router.get("/topics/{key:path}")
def topic_page(request: Request, user: UserDep, key: str) -> Response:
    page = data.topic_page(_db(request), user, key)
    return render(request, "entity.html", {"title": page["name"], "e": {**page, "kind": "topic"}})


@router.get("/outlets/{outlet_id}")
def outlet_page(request: Request, user: UserDep, outlet_id: IdPath) -> Response:
    page = data.outlet_page(_db(request), user, outlet_id)
    return render(request, "entity.html", {"title": page["name"], "e": {**page, "kind": "outlet"}})


@router.get("/search")
def search_page(
    request: Request,
    user: UserDep,
    q: Annotated[str, Query(max_length=500)] = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    from newsdesk.errors import NewsdeskError

    error = None
    try:
        page = data.search(_db(request), user, q, now=now(), cursor=cursor)
    except NewsdeskError as exc:  # a bad cursor, a query the parser refuses
        error = str(exc)
        page = data.search(_db(request), user, "", now=now())
    return render(request, "search.html", {"title": "Search", "page": page, "q": q, "error": error})


@router.post("/searches", dependencies=[CSRF])
def save_search(request: Request, user: UserDep, q: Text) -> Response:
    from newsdesk.follow.follows import follow

    with _db(request).begin() as conn:
        follow(conn, user.id, "search", q, now=now())
    return _done(request, "/search?q=" + _quote(q))


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# --- follow and mute ------------------------------------------------------------------------


@router.post("/follow", dependencies=[CSRF])
def follow_toggle(
    request: Request,
    user: UserDep,
    kind: Annotated[str, Form(max_length=20)],
    value: Annotated[str, Form(max_length=300)],
    label: Annotated[str, Form(max_length=300)] = "",
    on: Annotated[str, Form(max_length=1)] = "1",
    next: Next = "/following",
) -> Response:
    from newsdesk.follow.follows import follow, unfollow

    window = timedelta(days=request.app.state.settings.following_window_days)
    name = label or value
    data.check_follow_value(kind, value)
    with _db(request).begin() as conn:
        if on == "1":
            follow(conn, user.id, kind, value, now=now(), window=window)
        else:
            unfollow(conn, user.id, kind, value)
    following = on == "1"
    return _done(
        request,
        next,
        {
            "label": f"Unfollow {name}" if following else f"Follow {name}",
            "on": "0" if following else "1",
        },
    )


@router.post("/mute", dependencies=[CSRF])
def mute_toggle(
    request: Request,
    user: UserDep,
    kind: Annotated[str, Form(max_length=20)],
    value: Annotated[str, Form(max_length=300)],
    label: Annotated[str, Form(max_length=300)] = "",
    on: Annotated[str, Form(max_length=1)] = "1",
    next: Next = "/",
) -> Response:
    from newsdesk.follow.follows import mute, unmute

    data.check_follow_value(kind, value)
    with _db(request).begin() as conn:
        if on == "1":
            mute(conn, user.id, kind, value, now=now())
        else:
            unmute(conn, user.id, kind, value)
    name = label or value
    muted = on == "1"
    return _done(
        request,
        next,
        {"label": f"Unmute {name}" if muted else f"Mute {name}", "on": "0" if muted else "1"},
    )


# --- sources --------------------------------------------------------------------------------


@router.get("/sources")
def sources_page(request: Request, user: UserDep) -> Response:
    page = data.sources_page(_db(request))
    return render(request, "sources.html", {"title": "Sources", "page": page})


@router.post("/sources", dependencies=[CSRF])
def add_source(
    request: Request,
    user: UserDep,
    url: Annotated[str, Form(max_length=2048)],
    tags: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    from newsdesk.web.actions import add_source as do_add

    do_add(request.app.state.db, url, tags=[t.strip() for t in tags.split(",") if t.strip()])
    return _done(request, "/sources")


@router.post("/sources/import", dependencies=[CSRF])
async def import_opml(
    request: Request, user: UserDep, file: Annotated[UploadFile, File()]
) -> Response:
    from starlette.concurrency import run_in_threadpool

    from newsdesk.web.actions import import_opml as do_import

    body = await file.read(request.app.state.settings.max_feed_bytes + 1)
    await run_in_threadpool(do_import, request.app.state.db, body, request.app.state.settings)
    return _done(request, "/sources")


@router.get("/sources/export.opml")
def export_opml(request: Request, user: UserDep) -> Response:
    from newsdesk.web.actions import export_opml as do_export

    body = do_export(request.app.state.db)
    return Response(
        body,
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="newsdesk.opml"'},
    )


@router.post("/sources/{source_id}/pause", dependencies=[CSRF])
def pause_source(request: Request, user: AdminDep, source_id: IdPath) -> Response:
    from newsdesk.web.actions import set_paused

    set_paused(request.app.state.db, source_id, True)
    return _done(request, "/sources", {"label": "Resume"})


@router.post("/sources/{source_id}/resume", dependencies=[CSRF])
def resume_source(request: Request, user: AdminDep, source_id: IdPath) -> Response:
    from newsdesk.web.actions import set_paused

    set_paused(request.app.state.db, source_id, False)
    return _done(request, "/sources", {"label": "Pause"})


# --- settings and accounts ------------------------------------------------------------------


def _settings_context(request: Request, user: User, **extra: Any) -> dict[str, Any]:
    from newsdesk.follow.accounts import list_api_tokens
    from newsdesk.store import follows as store
    from newsdesk.store.editions import schedule_of

    with _db(request).connect() as conn:
        tokens = list_api_tokens(conn, user.id)
        searches = store.list_saved_searches(conn, user.id)
        schedule = schedule_of(conn, user.id)
    return {
        "morning": schedule.morning or "off",
        "evening": schedule.evening or "off",
        "title": "Settings",
        "zones": TIME_ZONES_COMMON,
        "tokens": [t for t in tokens if not t.name.startswith(FEED_TOKEN_PREFIX)],
        "feed_tokens": [t for t in tokens if t.name.startswith(FEED_TOKEN_PREFIX)],
        "searches": searches,
        **extra,
    }


@router.get("/settings")
def settings_page(request: Request, user: UserDep) -> Response:
    return render(request, "settings.html", _settings_context(request, user))


@router.post("/settings/time-zone", dependencies=[CSRF])
def set_time_zone(
    request: Request, user: UserDep, time_zone: Annotated[str, Form(max_length=64)]
) -> Response:
    from newsdesk.follow.accounts import set_time_zone as do_set

    with _db(request).begin() as conn:
        do_set(conn, user.id, time_zone.strip())
    return _done(request, "/settings?saved=time-zone")


@router.post("/settings/editions", dependencies=[CSRF])
def set_editions(
    request: Request,
    user: UserDep,
    morning: Annotated[str, Form(max_length=10)],
    evening: Annotated[str, Form(max_length=10)],
) -> Response:
    from newsdesk.jobs.editions import set_user_editions

    set_user_editions(user.email, morning=morning.strip(), evening=evening.strip())
    return _done(request, "/settings?saved=editions")


@router.post("/settings/email", dependencies=[CSRF])
def set_email(request: Request, user: UserDep, email: Short) -> Response:
    from newsdesk.follow.accounts import set_email as do_set

    with _db(request).begin() as conn:
        do_set(conn, user.id, email)
    return _done(request, "/settings?saved=email")


@router.post("/settings/password", dependencies=[CSRF])
def change_password(
    request: Request,
    user: UserDep,
    current: Annotated[str, Form(max_length=500)],
    password: Annotated[str, Form(max_length=500)],
    confirm: Annotated[str, Form(max_length=500)],
) -> Response:
    from newsdesk.follow.accounts import end_user_sessions, set_password, verify_password

    with _db(request).begin() as conn:
        if not verify_password(conn, user.id, current):
            raise WebError(400, "the current password is wrong")
        if password != confirm:
            raise WebError(400, "the two new passwords differ")
        if password.lower() in DEFAULT_PASSWORDS:
            raise WebError(400, "choose a password of your own, not a well-known default")
        set_password(conn, user.id, password)
        end_user_sessions(conn, user.id, keep=request.cookies.get(SESSION_COOKIE))
    return _done(request, "/settings?saved=password")


@router.post("/settings/tokens", dependencies=[CSRF])
def create_token(
    request: Request,
    user: UserDep,
    name: Annotated[str, Form(max_length=90)],
    feed: Annotated[str, Form(max_length=1)] = "0",
) -> Response:
    from newsdesk.follow.accounts import create_api_token

    label = (FEED_TOKEN_PREFIX if feed == "1" else "") + name.strip()
    if feed != "1" and label.startswith(FEED_TOKEN_PREFIX):
        raise WebError(400, f"an API token's name cannot start with {FEED_TOKEN_PREFIX!r}")
    with _db(request).begin() as conn:
        token = create_api_token(conn, user.id, label, now=now())
    return render(
        request,
        "settings.html",
        _settings_context(request, user, new_token=token, new_token_feed=feed == "1"),
    )


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[CSRF])
def revoke_token(request: Request, user: UserDep, token_id: IdPath) -> Response:
    from newsdesk.follow.accounts import revoke_api_token

    with _db(request).begin() as conn:
        revoke_api_token(conn, user.id, token_id, now=now())
    return _done(request, "/settings?saved=token")


@router.get("/admin/users")
def users_page(request: Request, admin: AdminDep) -> Response:
    from newsdesk.follow.accounts import list_users

    with _db(request).connect() as conn:
        found = list_users(conn)
    return render(request, "users.html", {"title": "Users", "users": found})


@router.post("/admin/users", dependencies=[CSRF])
def add_user(
    request: Request,
    admin: AdminDep,
    email: Short,
    password: Annotated[str, Form(max_length=500)],
) -> Response:
    from newsdesk.follow.accounts import create_user

    if password.lower() in DEFAULT_PASSWORDS:
        raise WebError(400, "choose a password of your own, not a well-known default")
    with _db(request).begin() as conn:
        create_user(conn, email, now=now(), password=password)
    return _done(request, "/admin/users")


@router.post("/admin/users/{user_id}/delete", dependencies=[CSRF])
def remove_user(request: Request, admin: AdminDep, user_id: IdPath) -> Response:
    from newsdesk.follow.accounts import delete_user

    with _db(request).begin() as conn:
        delete_user(conn, user_id, acting_admin_id=admin.id)
    return _done(request, "/admin/users")


@router.get("/editions")
def editions_page(request: Request, user: UserDep) -> Response:
    from newsdesk.jobs.editions import list_editions

    found = list_editions(user.email, limit=60)
    return render(request, "editions.html", {"title": "Edition archive", "editions": found})


@router.get("/help")
def help_page(request: Request) -> Response:
    return render(request, "help.html", {"title": "Keyboard shortcuts"})


@router.get("/static/{name}")
def static_file(request: Request, name: str) -> Response:
    files: StaticFiles = request.app.state.static
    found = files.response(name)
    if found is None:
        raise WebError(404, "no such file")
    return found


@router.get("/healthz")
def healthz() -> Response:
    return JSONResponse({"ok": True})


@router.post("/unsubscribe/{token}")
def unsubscribe_one_click(request: Request, token: str) -> Response:
    """RFC 8058 one-click unsubscribe, posted by a mail client from an edition's
    List-Unsubscribe header: the signed token is the authorisation (no session, and no CSRF
    form, since the client posts it without one); both editions are turned off."""
    from datetime import UTC, datetime

    from newsdesk.brief.unsubscribe import handle_one_click
    from newsdesk.config import get_settings, session_secret

    if len(token) > 200:
        raise AuthError("this unsubscribe link is malformed", hint="use the link from the mail")
    done = handle_one_click(
        _db(request), token, secret=session_secret(get_settings()), now=datetime.now(UTC)
    )
    return JSONResponse({"unsubscribed": True, "email": done.email})
