"""Bad input gets a 4xx with a clear problem document (the API) or error page (the pages):
over-long fields, bad cursors, unknown ids, wrong content types, missing or bad CSRF."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import load_demo, make_token, make_user, sign_in

PROBLEM = "application/problem+json"


@pytest.fixture
def api(db: Any, web_app: Any) -> tuple[TestClient, dict[str, str]]:
    user = make_user(db, "a@newsdesk.example")
    client = TestClient(web_app, raise_server_exceptions=False)
    return client, {"Authorization": "Bearer " + make_token(db, user.id)}


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:400])
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"], body
    assert "Traceback" not in response.text
    return body


BAD_CURSORS = [
    "garbage!",
    "x" * 65,
    base64.urlsafe_b64encode(b"b:abc").decode(),
    base64.urlsafe_b64encode(b"z:12").decode(),
    "%00",
    "\u00e9t\u00e9",
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_bad_cursor_is_a_problem(api: Any, cursor: str) -> None:
    client, headers = api
    for path in ("/api/v1/articles", "/api/v1/unread", "/api/v1/search?q=harbour"):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}cursor={cursor}", headers=headers)
        assert response.status_code in (400, 422), response.text
        _is_problem(response, response.status_code)


def test_over_long_fields(api: Any) -> None:
    client, headers = api
    _is_problem(
        client.post(
            "/api/v1/follows", headers=headers, json={"kind": "author", "value": "x" * 5000}
        ),
        422,
    )
    _is_problem(client.get("/api/v1/search?q=" + "a" * 600, headers=headers), 422)
    _is_problem(
        client.post(
            "/api/v1/sources", headers=headers, json={"url": "https://a.example/" + "x" * 3000}
        ),
        422,
    )
    _is_problem(client.get("/api/v1/stories/" + "s" * 300, headers=headers), 404)
    _is_problem(client.get("/api/v1/articles?limit=100000", headers=headers), 422)


def test_unknown_ids(db: Any, api: Any) -> None:
    client, headers = api
    load_demo(db)
    _is_problem(client.get("/api/v1/articles/999999", headers=headers), 404)
    _is_problem(client.get("/api/v1/articles/abc", headers=headers), 422)
    _is_problem(client.get("/api/v1/stories/nope", headers=headers), 404)
    _is_problem(client.put("/api/v1/articles/999999/star", headers=headers), 404)
    _is_problem(client.delete("/api/v1/follows/424242", headers=headers), 404)
    _is_problem(client.delete("/api/v1/mutes/424242", headers=headers), 404)
    _is_problem(
        client.post("/api/v1/follows", headers=headers, json={"kind": "story", "value": "424242"}),
        404,
    )
    _is_problem(
        client.post("/api/v1/follows", headers=headers, json={"kind": "planet", "value": "Mars"}),
        400,
    )
    _is_problem(client.get("/api/v1/nowhere", headers=headers), 404)
    _is_problem(client.put("/api/v1/for-you", headers=headers), 405)


def test_wrong_content_types_and_sizes(api: Any) -> None:
    client, headers = api
    for content_type, body in (
        ("text/plain", b"kind=author&value=x"),
        ("application/xml", b"<follow kind='author'>x</follow>"),
        ("application/json", b"{not json"),
        ("application/json", b"[1, 2, 3]"),
    ):
        response = client.post(
            "/api/v1/follows", headers={**headers, "Content-Type": content_type}, content=body
        )
        _is_problem(response, 422)
    big = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    response = client.post(
        "/api/v1/follows", headers={**headers, "Content-Type": "application/json"}, content=big
    )
    _is_problem(response, 413)


def test_auth_problems(api: Any) -> None:
    client, _headers = api
    _is_problem(client.get("/api/v1/for-you"), 401)
    _is_problem(client.get("/api/v1/for-you", headers={"Authorization": "Bearer nd_wrong"}), 401)
    _is_problem(client.get("/api/v1/for-you", headers={"Authorization": "Basic abc"}), 401)
    _is_problem(
        client.get("/api/v1/for-you", headers={"Authorization": "Bearer " + "x" * 5000}), 401
    )


def test_csrf_missing_or_bad(db: Any, web_app: Any) -> None:
    user = make_user(db, "a@newsdesk.example")
    session = sign_in(web_app, db, user)
    data = {"kind": "author", "value": "Ines Varga", "on": "1"}
    missing = session.client.post("/follow", data=data, follow_redirects=False)
    assert missing.status_code == 403 and "security token" in missing.text
    bad = session.client.post(
        "/follow", data={**data, "csrf": "forged.token"}, follow_redirects=False
    )
    assert bad.status_code == 403
    # A token signed by another instance's secret, planted in both places, fails too.
    planted = "abc.0123456789abcdef0123456789abcdef"
    session.client.cookies.set("nd_csrf", planted)
    assert session.client.post("/follow", data={**data, "csrf": planted}).status_code == 403
    # Nothing was followed.
    from newsdesk.store import follows as store

    with db.connect() as conn:
        assert store.list_follows(conn, user.id) == []


def test_page_bad_input_is_an_error_page(db: Any, web_app: Any) -> None:
    user = make_user(db, "a@newsdesk.example")
    session = sign_in(web_app, db, user)
    for response in (
        session.post("/follow", {"kind": "author", "value": "x" * 5000}),
        session.post("/settings/time-zone", {"time_zone": "Mars/Olympus"}),
        session.post("/settings/email", {"email": "not-an-email"}),
        session.post("/sources", {"url": "ftp://nowhere"}),
        session.client.get("/articles/999999"),
        session.client.get("/articles/abc"),
        session.client.get("/unread?cursor=%%%"),
        session.client.get("/search?q=" + "x" * 700),
    ):
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
        assert "Traceback" not in response.text
        assert "<h1>Error" in response.text


def test_nul_in_a_search_is_no_server_error(api: Any) -> None:
    client, headers = api
    for q in ("a%00b", "harbour%00", "%00"):
        response = client.get(f"/api/v1/search?q={q}", headers=headers)
        assert response.status_code in (200, 400), response.text


def test_an_exhausted_connection_pool_is_a_503_not_a_500(
    db: Any, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overload (every database connection busy past the pool's wait) is "busy, retry",
    with Retry-After; the page answer renders without asking the database."""
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from newsdesk.web import data

    def busy(*_: Any, **__: Any) -> Any:
        raise PoolTimeout("QueuePool limit reached")

    monkeypatch.setattr(data, "following", busy)
    client, headers = api
    response = client.get("/api/v1/following", headers=headers)
    body = _is_problem(response, 503)
    assert "busy" in body["detail"] and response.headers["retry-after"] == "5"
    session = sign_in(client.app, db, make_user(db, "b@newsdesk.example"))
    page = session.client.get("/following")
    assert page.status_code == 503 and "busy" in page.text
    assert page.headers["retry-after"] == "5"
