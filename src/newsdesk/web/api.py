"""The JSON API under ``/api/v1``: each page's twin (the same dict from
``newsdesk.web.data``) and the write actions. Bearer-token auth, keyset cursors,
errors as ``application/problem+json``; the OpenAPI document and an interactive docs
page run by our own script (``static/api_docs.js``), loading nothing from elsewhere."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from newsdesk.follow.accounts import User
from newsdesk.store.db import Database
from newsdesk.web import data
from newsdesk.web.auth import api_user, now
from newsdesk.web.data import MAX_ID, IdPath
from newsdesk.web.problems import PROBLEM, PROBLEM_SCHEMA, WebError

PREFIX = "/api/v1"
ERRORS = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429)
router = APIRouter(prefix=PREFIX, tags=["newsdesk"])

ApiUser = Annotated[User, Depends(api_user)]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the page before")]
Limit = Annotated[int, Query(ge=1, le=data.MAX_PAGE)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class FollowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(
        max_length=20,
        description="author, person, org, place, topic, outlet, source, story or search",
    )
    value: str = Field(min_length=1, max_length=300, description="a name, domain, id or query")


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2048)
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=20)
    check: bool = Field(default=True, description="fetch the URL now and discover a site's feed")


class MarkReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article_ids: list[Id] = Field(min_length=1, max_length=1000)
    read: bool = True


class CheckedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upto_article_id: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


@router.get("/me", summary="The token's user")
def me(user: ApiUser) -> dict[str, Any]:
    return user.to_dict()


@router.get("/for-you", summary="For you: stories ranked for you, each with why")
def for_you(request: Request, user: ApiUser, limit: Limit = data.DEFAULT_PAGE) -> dict[str, Any]:
    return data.for_you(
        _db(request), user, now=now(), settings=request.app.state.settings, limit=limit
    )


@router.get("/following", summary="Following: what is new per follow since the last check")
def following(request: Request, user: ApiUser) -> dict[str, Any]:
    return data.following(_db(request), user, now=now())


@router.post("/following/checked", summary="Mark Following checked")
def following_checked(
    request: Request, user: ApiUser, body: Annotated[CheckedIn, Body()]
) -> dict[str, Any]:
    from newsdesk.follow.following import mark_following_checked
    from newsdesk.store.follows import max_article_id

    with _db(request).begin() as conn:
        newest = max_article_id(conn)
        upto = newest if body.upto_article_id is None else min(body.upto_article_id, newest)
        mark_following_checked(conn, user.id, upto_article_id=upto, now=now())
    return {"upto_article_id": upto}


@router.get("/unread", summary="Unread articles, with counts in all, per source, tag and follow")
def unread(
    request: Request,
    user: ApiUser,
    cursor: Cursor = None,
    limit: Limit = data.DEFAULT_PAGE,
    source_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    tag: Annotated[
        str | None, Query(max_length=100, description="only sources filed under this tag")
    ] = None,
) -> dict[str, Any]:
    return data.unread(_db(request), user, cursor=cursor, limit=limit, source_id=source_id, tag=tag)


@router.get("/articles", summary="Articles, newest first")
def articles(
    request: Request,
    user: ApiUser,
    cursor: Cursor = None,
    limit: Limit = data.DEFAULT_PAGE,
    starred: bool = False,
    unread: bool = False,
    source_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    return data.article_list(
        _db(request),
        user,
        cursor=cursor,
        limit=limit,
        starred=starred,
        unread=unread,
        source_id=source_id,
    )


@router.get("/articles/{article_id}", summary="One article in the reader view")
def article(request: Request, user: ApiUser, article_id: IdPath) -> dict[str, Any]:
    return data.article(_db(request), user, article_id)


def _set_read(request: Request, user: User, ids: list[int], read: bool) -> int:
    return data.mark_read(_db(request), user, ids, read)


@router.put("/articles/{article_id}/read", summary="Mark an article read")
def read_article(request: Request, user: ApiUser, article_id: IdPath) -> dict[str, Any]:
    _set_read(request, user, [article_id], True)
    return {"id": article_id, "read": True}


@router.delete("/articles/{article_id}/read", summary="Mark an article unread")
def unread_article(request: Request, user: ApiUser, article_id: IdPath) -> dict[str, Any]:
    _set_read(request, user, [article_id], False)
    return {"id": article_id, "read": False}


@router.post("/read", summary="Mark many articles read or unread")
def mark_read(
    request: Request, user: ApiUser, body: Annotated[MarkReadIn, Body()]
) -> dict[str, Any]:
    return {"marked": _set_read(request, user, list(body.article_ids), body.read)}


def _star(request: Request, user: User, article_id: IdPath, on: bool) -> dict[str, Any]:
    data.set_starred(_db(request), user, article_id, on)
    return {"id": article_id, "starred": on}


@router.put("/articles/{article_id}/star", summary="Star an article")
def star(request: Request, user: ApiUser, article_id: IdPath) -> dict[str, Any]:
    return _star(request, user, article_id, True)


@router.delete("/articles/{article_id}/star", summary="Unstar an article")
def unstar(request: Request, user: ApiUser, article_id: IdPath) -> dict[str, Any]:
    return _star(request, user, article_id, False)


@router.get("/stories", summary="Stories, most important first")
def stories(request: Request, user: ApiUser, limit: Limit = data.DEFAULT_PAGE) -> dict[str, Any]:
    return data.stories_list(_db(request), limit=limit)


@router.get("/stories/{key}", summary="One story: outlets, timeline, summary, why it ranks")
def story(request: Request, user: ApiUser, key: str) -> dict[str, Any]:
    return data.story(_db(request), user, key)


@router.post("/stories/{key}/read", summary="Mark every article of a story read")
def story_read(request: Request, user: ApiUser, key: str) -> dict[str, Any]:
    page = data.story(_db(request), user, key)
    return {"key": page["key"], "marked": data.mark_story_read(_db(request), user, page["key"])}


@router.get("/search", summary="Search with the query language")
def search(
    request: Request,
    user: ApiUser,
    q: Annotated[str, Query(max_length=500)] = "",
    cursor: Cursor = None,
    limit: Limit = data.DEFAULT_PAGE,
) -> dict[str, Any]:
    return data.search(_db(request), user, q, now=now(), cursor=cursor, limit=limit)


@router.get("/sources", summary="Sources with their health")
def sources(request: Request, user: ApiUser) -> dict[str, Any]:
    return data.sources_page(_db(request))


@router.post("/sources", status_code=201, summary="Add a feed or a site")
async def add_source(
    request: Request, user: ApiUser, body: Annotated[SourceIn, Body()]
) -> dict[str, Any]:
    from newsdesk.web.actions import add_source as do_add

    return await run_in_threadpool(
        do_add, request.app.state.db, body.url, tags=body.tags, check=body.check
    )


@router.get("/follows", summary="Your follows")
def follows(request: Request, user: ApiUser) -> dict[str, Any]:
    from newsdesk.store import follows as store

    with _db(request).connect() as conn:
        return {"follows": [f.to_dict() for f in store.list_follows(conn, user.id)]}


@router.post("/follows", status_code=201, summary="Follow something")
def follow(request: Request, user: ApiUser, body: Annotated[FollowIn, Body()]) -> dict[str, Any]:
    from datetime import timedelta

    from newsdesk.follow.follows import follow as do_follow
    from newsdesk.follow.follows import follow_note
    from newsdesk.follow.models import Target

    window = timedelta(days=request.app.state.settings.following_window_days)
    data.check_follow_value(body.kind, body.value)
    with _db(request).begin() as conn:
        made = do_follow(conn, user.id, body.kind, body.value, now=now(), window=window)
        target = Target(made.kind, made.target, made.label)
        note = follow_note(conn, made.kind, body.value, target)
    # A name no article names yet is followed all the same ("pending"), with a note saying so.
    return {**made.to_dict(), "note": note}


@router.delete("/follows/{follow_id}", summary="Unfollow")
def unfollow(request: Request, user: ApiUser, follow_id: IdPath) -> dict[str, Any]:
    from newsdesk.store import follows as store

    with _db(request).begin() as conn:
        found = next((f for f in store.list_follows(conn, user.id) if f.id == follow_id), None)
        if found is None or not store.remove_follow(conn, user.id, found.kind, found.target):
            raise WebError(404, f"you have no follow with id {follow_id}")
    return {"id": follow_id, "removed": True}


@router.get("/mutes", summary="Your mutes")
def mutes(request: Request, user: ApiUser) -> dict[str, Any]:
    from newsdesk.store import follows as store

    with _db(request).connect() as conn:
        return {"mutes": [m.to_dict() for m in store.list_mutes(conn, user.id)]}


@router.post("/mutes", status_code=201, summary="Mute something")
def mute(request: Request, user: ApiUser, body: Annotated[FollowIn, Body()]) -> dict[str, Any]:
    from newsdesk.follow.follows import mute as do_mute

    data.check_follow_value(body.kind, body.value)
    with _db(request).begin() as conn:
        return do_mute(conn, user.id, body.kind, body.value, now=now()).to_dict()


@router.delete("/mutes/{mute_id}", summary="Lift a mute")
def unmute(request: Request, user: ApiUser, mute_id: IdPath) -> dict[str, Any]:
    from newsdesk.store import follows as store

    with _db(request).begin() as conn:
        found = next((m for m in store.list_mutes(conn, user.id) if m.id == mute_id), None)
        if found is None or not store.remove_mute(conn, user.id, found.kind, found.target):
            raise WebError(404, f"you have no mute with id {mute_id}")
    return {"id": mute_id, "removed": True}


# --- OpenAPI and the docs page -------------------------------------------------------------


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document: every error is a problem document, every route needs a token."""
    if getattr(app.state, "openapi", None) is not None:
        cached: dict[str, Any] = app.state.openapi
        return cached
    doc = get_openapi(
        title="newsdesk API",
        version="1",
        description="Your news, as JSON. Send 'Authorization: Bearer TOKEN'.",
        routes=app.routes,
    )
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{"bearer": []}]
    for name in ("HTTPValidationError", "ValidationError"):
        components["schemas"].pop(name, None)
    for path_item in doc.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status in ERRORS:
                responses[str(status)] = {
                    "description": "a problem document",
                    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
    app.state.openapi = doc
    return doc


def install_openapi(app: FastAPI) -> None:
    @app.get(PREFIX + "/openapi.json", include_in_schema=False)
    def openapi_json() -> JSONResponse:
        return JSONResponse(build_openapi(app))

    @app.get(PREFIX + "/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        from newsdesk.web.render import render

        context = {"title": "API", "operations": docs_operations(build_openapi(app))}
        return render(request, "api_docs.html", context)


def docs_operations(doc: dict[str, Any]) -> list[dict[str, str]]:
    """Every operation with its parameters and body fields: the docs page's table, which
    stays when script is off (``static/api_docs.js`` builds the forms that call the API)."""
    rows = []
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            params = ", ".join(
                f"{p['name']} ({p['in']})" for p in op.get("parameters", []) if "name" in p
            )
            body = ""
            ref = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            if ref:
                schema = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                body = ", ".join(schema.get("properties", {}))
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": body,
                }
            )
    return rows
