"""The Google Reader API under ``/api/greader``, as FreshRSS, Miniflux and the apps speak it.

Apps sign in at ``accounts/ClientLogin`` with the user's email and an app
password (an API token); the ``Auth`` value returned is that token, sent back as
``Authorization: GoogleLogin auth=TOKEN``. Writes carry the ``T`` token from
``reader/api/0/token``. The original API's Atom streams (``reader/atom/...``)
are served beside the JSON ones for clients that read them (newsboat's feedhq).
Everything a call reads or changes is the signed-in user's own.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any, TypeVar
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from newsdesk.errors import InputError, NewsdeskError
from newsdesk.follow import reader_apps as ra
from newsdesk.store.accounts import User
from newsdesk.store.reader_apps import ItemRow, Subscription
from newsdesk.web import appauth
from newsdesk.web.auth import now

if TYPE_CHECKING:
    from sqlalchemy import Connection

router = APIRouter(prefix="/api/greader", include_in_schema=False)
T = TypeVar("T")
API = "/reader/api/0"
#: Items one ``stream/items/contents`` call may ask for.
MAX_IDS = 1000


class Refused(Exception):
    """A protocol error: a status and a plain-text body (what the apps expect)."""

    def __init__(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(body)
        self.status, self.body, self.headers = status, body, headers or {}


async def _params(request: Request) -> list[tuple[str, str]]:
    found = list(request.query_params.multi_items())
    if request.method == "POST":
        try:
            form = await request.form()
        except Exception as exc:  # a body that is not a form
            raise Refused(400, "Bad request") from exc
        found += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return found


def _one(params: list[tuple[str, str]], name: str, default: str | None = None) -> str | None:
    for key, value in params:
        if key == name:
            return value
    return default


def _all(params: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in params if k == name]


def _auth_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, rest = header.partition(" ")
    if scheme.lower() == "googlelogin" and rest.strip().lower().startswith("auth="):
        return rest.strip()[5:]
    return ""


async def _user(request: Request) -> tuple[User, str]:
    token = _auth_token(request)
    user = await appauth.call(lambda: appauth.token_user(request, None, token))
    if user is None:
        raise Refused(401, "Unauthorized")
    return user, token


async def _writer(request: Request) -> tuple[User, list[tuple[str, str]]]:
    """The user and parameters of a write, once its ``T`` token is checked (every write)."""
    user, token = await _user(request)
    params = await _params(request)
    sent = _one(params, "T") or request.headers.get("t") or ""
    if not hmac.compare_digest(sent, appauth.write_token(request, token)):
        raise Refused(401, "Unauthorized", {"X-Reader-Google-Bad-Token": "true"})
    return user, params


def _respond(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map our errors to the protocol's statuses (plain text), never a 5xx for bad input."""
    from functools import wraps

    @wraps(fn)
    async def wrapper(request: Request) -> Response:
        try:
            result: Response = await fn(request)
        except Refused as exc:
            return Response(
                exc.body, status_code=exc.status, headers=exc.headers, media_type="text/plain"
            )
        except NewsdeskError as exc:
            return Response(str(exc), status_code=appauth.status_of(exc), media_type="text/plain")
        return result

    return wrapper


def _in_tx(request: Request, fn: Callable[[Any], T]) -> T:
    with request.app.state.db.begin() as conn:
        return fn(conn)


async def _tx(request: Request, fn: Callable[[Any], T]) -> T:
    return await appauth.call(lambda: _in_tx(request, fn))


# --- sign-in ------------------------------------------------------------------------------------


@router.api_route("/accounts/ClientLogin", methods=["GET", "POST"])
@_respond
async def client_login(request: Request) -> Response:
    params = await _params(request)
    email, password = _one(params, "Email") or "", _one(params, "Passwd") or ""
    if await appauth.call(lambda: appauth.limited(request, email)):
        raise Refused(429, "Error=TooManyAttempts\n")
    user = await appauth.call(lambda: appauth.token_user(request, email, password))
    if user is None:
        await appauth.call(lambda: appauth.failed(request, email))
        raise Refused(401, "Error=BadAuthentication\n")
    return appauth.text(f"SID={password}\nLSID={password}\nAuth={password}\n")


@router.get(API + "/token")
@_respond
async def token(request: Request) -> Response:
    _, auth = await _user(request)
    return appauth.text(appauth.write_token(request, auth))


@router.get(API + "/user-info")
@_respond
async def user_info(request: Request) -> Response:
    user, _ = await _user(request)
    return JSONResponse(
        {
            "userId": str(user.id),
            "userName": user.email,
            "userProfileId": str(user.id),
            "userEmail": user.email,
        }
    )


# --- subscriptions and tags ---------------------------------------------------------------------


def _usec(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _sub_json(sub: Subscription) -> dict[str, Any]:
    return {
        "id": "feed/" + sub.url,
        "title": sub.title,
        "categories": [{"id": ra.LABEL + t, "label": t} for t in sub.tags],
        "url": sub.url,
        "htmlUrl": sub.site_url or sub.url,
        "iconUrl": "",
        "firstitemmsec": str(_usec(sub.since) // 1000),
    }


@router.get(API + "/subscription/list")
@_respond
async def subscription_list(request: Request) -> Response:
    user, _ = await _user(request)
    found = await _tx(request, lambda c: ra.overview(c, user.id, now=now(), counts=False))
    return JSONResponse({"subscriptions": [_sub_json(s) for s in found.subscriptions]})


def _label(stream_id: str | None) -> str:
    if not stream_id or not stream_id.startswith(ra.LABEL) or len(stream_id) > 300:
        raise InputError("a label is user/-/label/NAME")
    return stream_id[len(ra.LABEL) :]


@router.post(API + "/subscription/edit")
@_respond
async def subscription_edit(request: Request) -> Response:
    user, params = await _writer(request)
    action = _one(params, "ac") or "edit"
    streams = _all(params, "s")
    if not streams or not all(s.startswith("feed/") for s in streams):
        raise Refused(400, "Bad request")
    title = _one(params, "t")
    add = [_label(a) for a in _all(params, "a")]
    remove = [_label(r) for r in _all(params, "r")]

    def run(conn: Connection) -> None:
        for stream_id in streams:
            url = stream_id[len("feed/") :]
            if action == "subscribe":
                ra.subscribe(
                    conn, user.id, url, now=now(), title=title, folder=add[0] if add else None
                )
            elif action == "unsubscribe":
                ra.unsubscribe(conn, user.id, url)
            elif action == "edit":
                ra.edit(conn, user.id, url, title=title, add=add, remove=remove)
            else:
                raise InputError(f"no action {action[:40]!r}")

    await _tx(request, run)
    return appauth.text("OK")


@router.post(API + "/subscription/quickadd")
@_respond
async def quickadd(request: Request) -> Response:
    user, params = await _writer(request)
    url = (_one(params, "quickadd") or "").removeprefix("feed/")
    if not url:
        raise Refused(400, "Bad request")
    sub = await _tx(request, lambda c: ra.subscribe(c, user.id, url, now=now()))
    return JSONResponse(
        {"numResults": 1, "query": url, "streamId": "feed/" + sub.url, "streamName": sub.title}
    )


@router.get(API + "/tag/list")
@_respond
async def tag_list(request: Request) -> Response:
    user, _ = await _user(request)
    found = await _tx(request, lambda c: ra.overview(c, user.id, now=now(), counts=False))
    tags: list[dict[str, Any]] = [{"id": ra.STARRED}]
    for name in found.labels:
        on_items = name.startswith(ra.FOLLOW_LABEL) or name in found.item_labels
        kind = "tag" if on_items else "folder"
        tags.append({"id": ra.LABEL + name, "type": kind})
    return JSONResponse({"tags": tags})


@router.get(API + "/unread-count")
@_respond
async def unread_count(request: Request) -> Response:
    user, _ = await _user(request)
    found = await _tx(request, lambda c: ra.overview(c, user.id, now=now()))
    stamp = str(_usec(now()))
    counts = [
        {
            "id": "feed/" + s.url,
            "count": found.unread_sources.get(s.source_id, 0),
            "newestItemTimestampUsec": stamp,
        }
        for s in found.subscriptions
    ]
    counts += [
        {"id": ra.LABEL + name, "count": n, "newestItemTimestampUsec": stamp}
        for name, n in sorted(found.unread_labels.items())
    ]
    counts.append(
        {"id": ra.READING_LIST, "count": found.unread_total, "newestItemTimestampUsec": stamp}
    )
    return JSONResponse({"max": found.unread_total, "unreadcounts": counts})


# --- streams ------------------------------------------------------------------------------------


def _int(value: str | None, name: str, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise InputError(f"{name} must be a whole number")
    return int(value)


def _time(value: str | None, name: str) -> datetime | None:
    seconds = _int(value, name)
    if seconds is None:
        return None
    if seconds > 10**11:  # some apps send milliseconds or microseconds
        seconds = seconds // 1000 if seconds < 10**14 else seconds // 1_000_000
    return datetime.fromtimestamp(min(seconds, 253402300799), UTC)


def _page(
    request: Request, user: User, stream_id: str, params: list[tuple[str, str]], *, content: bool
) -> ra.StreamPage:
    n = _int(_one(params, "n"), "n", 20) or 20
    exclude = _all(params, "xt")
    oldest = (_one(params, "r") or "") == "o"
    newer, older = _time(_one(params, "ot"), "ot"), _time(_one(params, "nt"), "nt")
    c = _one(params, "c")
    return _in_tx(
        request,
        lambda conn: ra.stream_page(
            conn,
            user.id,
            stream_id,
            now=now(),
            n=n,
            continuation=c,
            newer_than=newer,
            older_than=older,
            exclude=exclude,
            oldest_first=oldest,
            content=content,
        ),
    )


def _html(item: ItemRow) -> str:
    parts = [f"<p>{escape(p)}</p>" for p in item.paragraphs]
    if not parts and item.description:
        parts = [f"<p>{escape(item.description)}</p>"]
    return "\n".join(parts)


def _categories(item: ItemRow, sub: Subscription | None) -> list[str]:
    found = [ra.READING_LIST]
    if item.read:
        found.append(ra.READ)
    if item.starred:
        found.append(ra.STARRED)
    folders = sub.tags if sub else ()
    found += [ra.LABEL + t for t in folders]
    found += [ra.LABEL + t for t in item.labels if t not in folders]
    return found


def _item_json(item: ItemRow, subs: dict[int, Subscription]) -> dict[str, Any]:
    sub = subs.get(item.source_id) if item.source_id is not None else None
    when = item.published_at or item.fetched_at
    link = [{"href": item.url, "type": "text/html"}] if item.url else []
    return {
        "id": ra.long_id(item.id),
        "crawlTimeMsec": str(_usec(item.fetched_at) // 1000),
        "timestampUsec": str(_usec(item.fetched_at)),
        "published": int(when.timestamp()),
        "updated": int(when.timestamp()),
        "title": item.title,
        "author": ", ".join(item.authors),
        "canonical": link,
        "alternate": link,
        "categories": _categories(item, sub),
        "origin": {
            "streamId": "feed/" + sub.url if sub else ra.READING_LIST,
            "title": sub.title if sub else "",
            "htmlUrl": (sub.site_url or sub.url) if sub else "",
        },
        "summary": {"direction": "ltr", "content": _html(item)},
    }


def _stream_id(request: Request, params: list[tuple[str, str]]) -> str:
    path = request.path_params.get("stream") or _one(params, "s") or ra.READING_LIST
    return str(path)


@router.get(API + "/stream/contents")
@router.get(API + "/stream/contents/{stream:path}")
@_respond
async def stream_contents(request: Request) -> Response:
    user, _ = await _user(request)
    params = await _params(request)
    stream_id = _stream_id(request, params)
    page = await appauth.call(lambda: _page(request, user, stream_id, params, content=True))
    body: dict[str, Any] = {
        "direction": "ltr",
        "id": stream_id,
        "title": stream_id,
        "updated": int(now().timestamp()),
        "items": [_item_json(i, page.sources) for i in page.items],
    }
    if page.continuation:
        body["continuation"] = page.continuation
    return JSONResponse(body)


@router.get(API + "/stream/items/ids")
@_respond
async def stream_item_ids(request: Request) -> Response:
    user, _ = await _user(request)
    params = await _params(request)
    stream_id = _one(params, "s") or ra.READING_LIST
    page = await appauth.call(lambda: _page(request, user, stream_id, params, content=False))
    body: dict[str, Any] = {
        "itemRefs": [
            {"id": str(i.id), "directStreamIds": [], "timestampUsec": str(_usec(i.fetched_at))}
            for i in page.items
        ]
    }
    if page.continuation:
        body["continuation"] = page.continuation
    return JSONResponse(body)


def _ids(params: list[tuple[str, str]]) -> list[int]:
    raw = _all(params, "i")
    if not raw or len(raw) > MAX_IDS:
        raise InputError(f"give 1 to {MAX_IDS} item ids (i=...)")
    return list(dict.fromkeys(ra.parse_item_id(i) for i in raw))


@router.api_route(API + "/stream/items/contents", methods=["GET", "POST"])
@_respond
async def stream_items_contents(request: Request) -> Response:
    user, _ = await _user(request)
    params = await _params(request)
    ids = _ids(params)
    page = await _tx(request, lambda c: ra.items(c, user.id, ids, now=now()))
    return JSONResponse(
        {
            "direction": "ltr",
            "id": ra.READING_LIST,
            "updated": int(now().timestamp()),
            "items": [_item_json(i, page.sources) for i in page.items],
        }
    )


# --- writes -------------------------------------------------------------------------------------


@router.post(API + "/edit-tag")
@_respond
async def edit_tag(request: Request) -> Response:
    user, params = await _writer(request)
    ids = _ids(params)
    add, remove = _all(params, "a"), _all(params, "r")
    read = True if ra.READ in add else False if ra.READ in remove else None
    if ra.KEPT_UNREAD in add:
        read = False
    starred = True if ra.STARRED in add else False if ra.STARRED in remove else None
    add_labels = [ra.item_label(a) for a in add if ra.label_name(a) is not None]
    remove_labels = [n.strip() for r in remove if (n := ra.label_name(r))]
    await _tx(
        request,
        lambda c: ra.mark_items(
            c,
            user.id,
            ids,
            read=read,
            starred=starred,
            add_labels=add_labels,
            remove_labels=remove_labels,
            now=now(),
        ),
    )
    return appauth.text("OK")


@router.post(API + "/mark-all-as-read")
@_respond
async def mark_all_as_read(request: Request) -> Response:
    user, params = await _writer(request)
    stream_id = _one(params, "s") or ra.READING_LIST
    before = _time(_one(params, "ts"), "ts")
    await _tx(
        request, lambda c: ra.mark_stream_read(c, user.id, stream_id, now=now(), before=before)
    )
    return appauth.text("OK")


@router.post(API + "/rename-tag")
@_respond
async def rename_tag(request: Request) -> Response:
    user, params = await _writer(request)
    old, new = _label(_one(params, "s")), _label(_one(params, "dest"))
    await _tx(request, lambda c: ra.rename_folder(c, user.id, old, new))
    return appauth.text("OK")


@router.post(API + "/disable-tag")
@_respond
async def disable_tag(request: Request) -> Response:
    user, params = await _writer(request)
    name = _label(_one(params, "s"))
    await _tx(request, lambda c: ra.drop_folder(c, user.id, name))
    return appauth.text("OK")


# --- the original API's Atom streams (newsboat's feedhq source reads these) ----------------------


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom_entry(item: ItemRow, subs: dict[int, Subscription]) -> str:
    sub = subs.get(item.source_id) if item.source_id is not None else None
    when = _atom_time(item.published_at or item.fetched_at)
    cats = "".join(
        f'<category term={quoteattr(c)} scheme="http://www.google.com/reader/" '
        f"label={quoteattr(c.rsplit('/', 1)[-1])}/>"
        for c in _categories(item, sub)
    )
    link = (
        f'<link rel="alternate" href={quoteattr(item.url)} type="text/html"/>' if item.url else ""
    )
    author = f"<author><name>{xml_escape(', '.join(item.authors))}</name></author>"
    source = ""
    if sub is not None:
        source = (
            f"<source gr:stream-id={quoteattr('feed/' + sub.url)}>"
            f"<id>{xml_escape('tag:google.com,2005:reader/feed/' + sub.url)}</id>"
            f"<title>{xml_escape(sub.title)}</title></source>"
        )
    return (
        f'<entry gr:crawl-timestamp-msec="{_usec(item.fetched_at) // 1000}">'
        f'<id>{ra.long_id(item.id)}</id><title type="html">{xml_escape(item.title)}</title>'
        f"<published>{when}</published><updated>{when}</updated>{link}{cats}{author}{source}"
        f'<content type="html">{xml_escape(_html(item))}</content></entry>'
    )


@router.get("/reader/atom/{stream:path}")
@_respond
async def atom(request: Request) -> Response:
    user, _ = await _user(request)
    params = await _params(request)
    stream_id = str(request.path_params["stream"])
    page = await appauth.call(lambda: _page(request, user, stream_id, params, content=True))
    more = f"<gr:continuation>{page.continuation}</gr:continuation>" if page.continuation else ""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:gr="http://www.google.com/schemas/reader/atom/">'
        f"<id>{xml_escape('tag:google.com,2005:reader/' + stream_id)}</id>"
        f"<title>{xml_escape(stream_id)}</title><updated>{_atom_time(now())}</updated>{more}"
        + "".join(_atom_entry(i, page.sources) for i in page.items)
        + "</feed>"
    )
    return Response(body, media_type="application/atom+xml")
