"""The Fever API at ``/api/fever`` (Reeder, Unread, ReadKit).

An app sends ``api_key`` = md5("email:app password") (the protocol's own rule;
the app password is an API token) and asks with query flags: ``groups``,
``feeds``, ``favicons``, ``items`` (``since_id``, ``max_id``, ``with_ids``),
``unread_item_ids``, ``saved_item_ids``, and ``mark``. Every answer is JSON with
``api_version`` 3 and ``auth`` (0 for wrong credentials, with nothing else).
Groups are the user's folders (their sources' tags); feeds their subscriptions.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from newsdesk.errors import InputError, NewsdeskError
from newsdesk.follow import reader_apps as ra
from newsdesk.store.accounts import User
from newsdesk.store.reader_apps import ItemRow, StreamQuery, Subscription
from newsdesk.web import appauth
from newsdesk.web.auth import now

if TYPE_CHECKING:
    from sqlalchemy import Connection

router = APIRouter(prefix="/api/fever", include_in_schema=False)
T = TypeVar("T")
PAGE = 50
#: A one-pixel grey GIF: we keep no site icons, and apps expect one per feed.
BLANK_ICON = "image/gif;base64,R0lGODlhAQABAIAAAObm5gAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def group_id(tag: str) -> int:
    """A stable id for a folder name (Fever wants integers)."""
    return (zlib.crc32(tag.encode()) & 0x7FFFFFFF) or 1


def _in_tx(request: Request, fn: Callable[[Any], T]) -> T:
    with request.app.state.db.begin() as conn:
        return fn(conn)


async def _tx(request: Request, fn: Callable[[Any], T]) -> T:
    return await appauth.call(lambda: _in_tx(request, fn))


def _feeds_groups(subs: tuple[Subscription, ...]) -> list[dict[str, Any]]:
    groups: dict[str, list[int]] = {}
    for sub in subs:
        for tag in sub.tags:
            groups.setdefault(tag, []).append(sub.source_id)
    return [
        {"group_id": group_id(t), "feed_ids": ",".join(str(i) for i in ids)}
        for t, ids in sorted(groups.items())
    ]


def _item(item: ItemRow) -> dict[str, Any]:
    from newsdesk.web.greader import _html

    return {
        "id": item.id,
        "feed_id": item.source_id or 0,
        "title": item.title,
        "author": ", ".join(item.authors),
        "html": _html(item),
        "url": item.url or "",
        "is_saved": int(item.starred),
        "is_read": int(item.read),
        "created_on_time": int((item.published_at or item.fetched_at).timestamp()),
    }


def _int(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise InputError(f"{name} must be a whole number")
    return int(value)


def _id_list(value: str) -> list[int]:
    found = [p.strip() for p in value.split(",") if p.strip()]
    if len(found) > PAGE or not all(p.isascii() and p.isdigit() and len(p) < 19 for p in found):
        raise InputError(f"with_ids takes up to {PAGE} comma-separated ids")
    return [int(p) for p in found]


def _answer(request: Request, user: User, params: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    moment = now()
    with request.app.state.db.begin() as conn:
        if "mark" in params:
            _mark(conn, user, params, moment)
            params = {**params, "unread_item_ids": "", "saved_item_ids": ""}
        subs: tuple[Subscription, ...] | None = None
        if "groups" in params or "feeds" in params:
            subs = ra.overview(conn, user.id, now=moment, counts=False).subscriptions
            body["feeds_groups"] = _feeds_groups(subs)
        if "groups" in params and subs is not None:
            tags = sorted({t for s in subs for t in s.tags})
            body["groups"] = [{"id": group_id(t), "title": t} for t in tags]
        if "feeds" in params and subs is not None:
            body["feeds"] = [
                {
                    "id": s.source_id,
                    "favicon_id": 1,
                    "title": s.title,
                    "url": s.url,
                    "site_url": s.site_url or s.url,
                    "is_spark": 0,
                    "last_updated_on_time": int(s.since.timestamp()),
                }
                for s in subs
            ]
        if "favicons" in params:
            body["favicons"] = [{"id": 1, "data": BLANK_ICON}]
        if "items" in params:
            body.update(_items(conn, user, params, moment))
        if "unread_item_ids" in params:
            ids = ra.state_ids(conn, user.id, now=moment, unread=True)
            body["unread_item_ids"] = ",".join(str(i) for i in ids)
        if "saved_item_ids" in params:
            ids = ra.state_ids(conn, user.id, now=moment, unread=False)
            body["saved_item_ids"] = ",".join(str(i) for i in ids)
    return body


def _items(
    conn: Connection, user: User, params: dict[str, str], moment: datetime
) -> dict[str, Any]:
    total = ra.overview(conn, user.id, now=moment).unread_total
    if params.get("with_ids"):
        ids = _id_list(params["with_ids"])
        rows = list(ra.items(conn, user.id, ids, now=moment).items)
    else:
        since, most = _int(params.get("since_id"), "since_id"), _int(params.get("max_id"), "max_id")
        if since is not None:
            q = StreamQuery(since_id=since, oldest_first=True, limit=PAGE)
        else:
            q = StreamQuery(max_id=most or None, limit=PAGE)
        rows = ra.fever_items(conn, user.id, q, now=moment)
    return {"items": [_item(r) for r in rows], "total_items": total}


def _mark(conn: Connection, user: User, params: dict[str, str], moment: datetime) -> None:
    what, how = params.get("mark", ""), params.get("as", "")
    target = _int(params.get("id"), "id")
    if target is None:
        raise InputError("mark needs an id")
    before_ts = _int(params.get("before"), "before")
    before = datetime.fromtimestamp(min(before_ts, 253402300799), UTC) if before_ts else None
    if what == "item":
        if how in ("read", "unread"):
            ra.mark_items(conn, user.id, [target], read=how == "read", now=moment)
        elif how in ("saved", "unsaved"):
            ra.mark_items(conn, user.id, [target], starred=how == "saved", now=moment)
        else:
            raise InputError(f"cannot mark an item as {how[:20]!r}")
        return
    if how != "read":
        raise InputError(f"a {what[:20]} can only be marked read")
    subs = ra.overview(conn, user.id, now=moment, counts=False).subscriptions
    if what == "feed":
        found = [s for s in subs if s.source_id == target]
    elif what == "group":
        found = (
            list(subs)
            if target == 0
            else [s for s in subs if any(group_id(t) == target for t in s.tags)]
        )
    else:
        raise InputError(f"cannot mark {what[:20]!r}")
    if not found and not (what == "group" and target == 0):
        raise InputError(f"no {what} {target}")
    for sub in found:
        ra.mark_stream_read(conn, user.id, "feed/" + sub.url, now=moment, before=before)


@router.api_route("", methods=["GET", "POST"])
@router.api_route("/", methods=["GET", "POST"])
async def fever(request: Request) -> Response:
    params = dict(request.query_params)
    if request.method == "POST":
        try:
            form = await request.form()
        except Exception:  # a body that is not a form
            form = None
        if form is not None:
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    base: dict[str, Any] = {"api_version": 3, "auth": 0}
    key = params.get("api_key", "")
    if await appauth.call(lambda: appauth.limited(request, None)):
        return JSONResponse(base, status_code=429)
    user = await _tx(request, lambda c: ra.fever_user(c, key))
    if user is None:
        await appauth.call(lambda: appauth.failed(request, None))
        return JSONResponse(base)
    base.update(auth=1, last_refreshed_on_time=int(now().timestamp()))
    try:
        base.update(await appauth.call(lambda: _answer(request, user, params)))
    except NewsdeskError as exc:
        return JSONResponse({**base, "error": str(exc)}, status_code=appauth.status_of(exc))
    return JSONResponse(base)
