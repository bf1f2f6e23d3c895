"""Headers, cookies, sign-in limits, first run on loopback only, the JSON twins, and the
Atom feeds' private tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, load_demo, make_token, make_user, now, sign_in


def _csrf(client: TestClient) -> str:
    page = client.get("/signin")
    match = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_security_headers_on_pages_and_api(db: Any, web_app: Any) -> None:
    make_user(db, "a@newsdesk.example")
    client = TestClient(web_app)
    for response in (client.get("/signin"), client.get("/api/v1/for-you")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
    page = client.get("/signin").text
    assert "<script>" not in page and " onclick=" not in page and "style=" not in page
    static = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(static) == 2
    for path in static:
        assert re.search(r"\.[0-9a-f]{10}\.(css|js)$", path)
        answer = client.get(path)
        assert answer.status_code == 200
        assert "immutable" in answer.headers["cache-control"]


def test_session_cookie_flags(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.config import load_settings
    from newsdesk.web.app import create_app

    make_user(db, "a@newsdesk.example")
    for base, secure in (("http://127.0.0.1:8040", False), ("https://news.example", True)):
        app = create_app(load_settings(base_url=base), db=db)
        client = TestClient(app, base_url="https://testserver" if secure else "http://testserver")
        token = _csrf(client)
        response = client.post(
            "/signin",
            data={"email": "a@newsdesk.example", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if "nd_session" in c)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert ("Secure" in cookie) is secure


def test_sign_in_is_rate_limited_per_account_and_address(db: Any, web_app: Any) -> None:
    make_user(db, "a@newsdesk.example")
    make_user(db, "b@newsdesk.example")
    client = TestClient(web_app)
    token = _csrf(client)

    def attempt(email: str, password: str) -> int:
        return client.post(
            "/signin",
            data={"email": email, "password": password, "csrf": token},
            follow_redirects=False,
        ).status_code

    for _ in range(5):
        assert attempt("a@newsdesk.example", "wrong-password") == 400
    # The account is locked, even with its right password...
    assert attempt("a@newsdesk.example", PASSWORD) == 429
    # ...another account is not, until the address has failed too often.
    assert attempt("b@newsdesk.example", PASSWORD) == 303
    for i in range(15):
        attempt(f"nobody{i}@newsdesk.example", "wrong-password")
    assert attempt("b@newsdesk.example", PASSWORD) == 429


def test_first_run_only_from_loopback(db: Any, web_app: Any) -> None:
    remote = TestClient(web_app, client=("203.0.113.9", 5000))
    assert remote.get("/", follow_redirects=False).headers["location"] == "/setup"
    assert remote.get("/setup").status_code == 403
    local = TestClient(web_app, client=("127.0.0.1", 5000))
    page = local.get("/setup")
    assert page.status_code == 200
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    weak = local.post(
        "/setup",
        data={
            "email": "a@newsdesk.example",
            "password": "password",
            "confirm": "password",
            "csrf": token,
        },
        follow_redirects=False,
    )
    assert weak.status_code == 400
    made = local.post(
        "/setup",
        data={
            "email": "a@newsdesk.example",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    # Once the admin exists, the page is gone for everyone.
    assert local.get("/setup", follow_redirects=False).status_code == 303
    again = local.post(
        "/setup",
        data={
            "email": "c@newsdesk.example",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf": token,
        },
        follow_redirects=False,
    )
    assert again.status_code == 409


def test_api_twin_is_the_page_data(db: Any, web_app: Any) -> None:
    from newsdesk.follow.follows import follow
    from newsdesk.web import data

    load_demo(db)
    user = make_user(db, "a@newsdesk.example")
    with db.begin() as conn:
        follow(conn, user.id, "outlet", "1", now=now())
    client = TestClient(web_app)
    headers = {"Authorization": "Bearer " + make_token(db, user.id)}
    api_article = client.get("/api/v1/articles/1", headers=headers).json()
    assert api_article == data.article(db, user, 1)
    following = data.following(db, user, now=now())
    assert client.get("/api/v1/following", headers=headers).json() == following
    page = client.get("/api/v1/articles?limit=1", headers=headers).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    more = client.get(f"/api/v1/articles?limit=1&cursor={page['next_cursor']}", headers=headers)
    assert more.json()["items"][0]["id"] < page["items"][-1]["id"]


def test_atom_feeds_with_revocable_tokens(db: Any, web_app: Any) -> None:
    from newsdesk.follow.follows import follow
    from newsdesk.store import follows as store

    load_demo(db)
    user = make_user(db, "a@newsdesk.example")
    with db.begin() as conn:
        follow(conn, user.id, "author", "Amara Nwosu", now=now())
        follow(conn, user.id, "search", "harbour", now=now())
        search_id = store.list_saved_searches(conn, user.id)[0][0]
    session = sign_in(web_app, db, user)
    made = session.post("/settings/tokens", {"name": "reader app", "feed": "1"})
    token = re.search(r'<code class="token">([^<]+)</code>', made.text).group(1)  # type: ignore[union-attr]
    client = session.client
    for path in (
        "/feeds/following.atom",
        "/feeds/stories/1.atom",
        f"/feeds/searches/{search_id}.atom",
    ):
        response = client.get(f"{path}?token={token}")
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("application/atom+xml")
        assert response.text.startswith("<?xml") and "<entry>" in response.text
    editions = client.get(f"/feeds/editions.atom?token={token}")
    assert editions.status_code == 200
    assert editions.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in editions.text
    assert client.get("/feeds/following.atom?token=nd_nope").status_code == 404
    assert client.get("/feeds/editions.atom?token=nd_nope").status_code == 404
    from newsdesk.follow.accounts import list_api_tokens

    with db.connect() as conn:
        token_id = next(t.id for t in list_api_tokens(conn, user.id) if t.name.startswith("feed:"))
    assert session.post(f"/settings/tokens/{token_id}/revoke").status_code == 303
    assert client.get(f"/feeds/following.atom?token={token}").status_code == 404


def test_settings_change_time_zone_and_edition_times(db: Any, web_app: Any) -> None:
    user = make_user(db, "a@newsdesk.example")
    session = sign_in(web_app, db, user)
    assert session.post("/settings/time-zone", {"time_zone": "Europe/Paris"}).status_code == 303
    made = session.post("/settings/editions", {"morning": "07:00", "evening": "off"})
    assert made.status_code == 303
    page = session.client.get("/settings").text
    assert 'value="Europe/Paris"' in page and 'value="07:00"' in page and 'value="off"' in page
    bad = session.post("/settings/editions", {"morning": "25:99", "evening": "off"})
    assert bad.status_code == 400 and "Traceback" not in bad.text
    archive = session.client.get("/editions")
    assert archive.status_code == 200 and "Edition archive" in archive.text
