"""Errors as RFC 9457 problem documents (``application/problem+json``) for the API,
and as a plain error page for the HTML pages: never a traceback."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.errors import AuthError, NewsdeskError, NotFoundError
from newsdesk.logs import get_logger

log = get_logger(__name__)

PROBLEM = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "hint": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["title", "status"],
}

TITLES = {
    400: "Bad request",
    401: "Sign-in required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Internal error",
    503: "Busy",
}


class WebError(Exception):
    """An error with an HTTP status and a message for the user."""

    def __init__(self, status: int, detail: str, *, hint: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.hint = hint


def status_for(exc: NewsdeskError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, AuthError):
        return 403
    return 400


def problem(
    status: int, detail: str, *, hint: str | None = None, errors: list[Any] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "hint": hint,
    }
    if errors is not None:
        body["errors"] = errors
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _render(request: Request, status: int, detail: str, hint: str | None = None) -> Response:
    if is_api(request):
        return problem(status, detail, hint=hint)
    from newsdesk.web.render import render_error

    return render_error(request, status, detail, hint)


async def on_web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return _render(request, exc.status, exc.detail, exc.hint)


async def on_newsdesk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NewsdeskError)
    return _render(request, status_for(exc), exc.message, exc.hint)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    response = _render(request, exc.status_code, detail)
    if exc.status_code == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid input"}
    detail = f"{'.'.join(first['loc'][1:]) or 'request'}: {first['msg']}"
    if is_api(request):
        return problem(422, detail, errors=errors)
    return _render(request, 400, detail)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, PoolTimeout):
        # Every database connection stayed busy past the pool's wait: the server is overloaded,
        # nothing is wrong with the request. Say so, and when to come back.
        log.warning("database connections exhausted", path=request.url.path)
        busy = "the server is busy; try again in a few seconds"
        response: Response
        if is_api(request):
            response = problem(503, busy)
        else:  # no template: rendering one asks the database, which is what is short
            response = HTMLResponse(
                f"<!doctype html><html lang=en><title>Busy</title><main><p>{busy}</p></main>",
                status_code=503,
            )
        response.headers["Retry-After"] = "5"
        return response
    log.error("unexpected error", path=request.url.path, error=repr(exc))
    return _render(request, 500, "something went wrong on our side; it has been logged")
