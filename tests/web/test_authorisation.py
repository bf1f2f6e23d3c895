"""Every /api/v1 route and every page, asked by user B about user A's things, gives 404 or
403 and never A's data (on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import all_routes, load_demo, make_token, make_user, now, sign_in

SECRET_LABEL = "Zebulon Quartermaine"  # A's follow: a name that appears nowhere else
SECRET_SEARCH = "quartermaine harbour"


def _setup_a(db: Any) -> dict[str, Any]:
    from newsdesk.follow.follows import follow, mute
    from newsdesk.follow.read_state import MarkTarget, mark_articles, star_articles
    from newsdesk.store import follows as store

    load_demo(db)
    a = make_user(db, "a@newsdesk.example")
    with db.begin() as conn:
        f = follow(conn, a.id, "author", SECRET_LABEL, now=now())
        follow(conn, a.id, "search", SECRET_SEARCH, now=now())
        follow(conn, a.id, "outlet", "1", now=now())
        m = mute(conn, a.id, "topic", "flood", now=now())
        search_id = store.list_saved_searches(conn, a.id)[0][0]
    from newsdesk.views.read_state import user_articles

    mine = [i.id for i in user_articles(a.email, db=db).items]
    star_articles(a.email, [mine[0]], starred=True, db=db)
    mark_articles(a.email, MarkTarget("ids", ids=(mine[1],)), read=True, db=db)
    token = make_token(db, a.id, "a-token")
    feed_token = make_token(db, a.id, "feed:a-feed")
    from newsdesk.follow.accounts import list_api_tokens

    with db.connect() as conn:
        token_ids = [t.id for t in list_api_tokens(conn, a.id)]
    return {
        "user": a,
        "follow_id": f.id,
        "mute_id": m.id,
        "search_id": search_id,
        "token": token,
        "feed_token": feed_token,
        "token_ids": token_ids,
        "starred_id": mine[0],
        "read_id": mine[1],
    }


def _values(a: dict[str, Any]) -> dict[str, str]:
    return {
        # B may mark and star any article it opens (its own rows): walk one that is not
        # A's starred or read one, so the checks below still see A's marks, not B's.
        "article_id": str(
            next(i for i in range(1, 99) if i not in (a["starred_id"], a["read_id"]))
        ),
        "follow_id": str(a["follow_id"]),
        "mute_id": str(a["mute_id"]),
        "key": "1",
        "search_id": str(a["search_id"]),
        "token_id": str(a["token_ids"][0]),
        "user_id": str(a["user"].id),
        "source_id": "1",
        "entity_id": "1",
        "outlet_id": "1",
        "name": "app.css",
    }


def _fill(path: str, values: dict[str, str]) -> str:
    import re

    return re.sub(r"\{(\w+)(:path)?\}", lambda m: values.get(m.group(1), "1"), path)


def _assert_private(text: str, where: str) -> None:
    assert SECRET_LABEL not in text, where
    assert SECRET_SEARCH not in text, where
    assert "a@newsdesk.example" not in text, where


def test_every_api_route_as_another_user(db: Any, web_app: Any) -> None:
    a = _setup_a(db)
    b = make_user(db, "b@newsdesk.example")
    client = TestClient(web_app, raise_server_exceptions=False)
    headers = {"Authorization": "Bearer " + make_token(db, b.id)}
    values = _values(a)
    seen = 0
    for route in all_routes(web_app):
        if not route.path.startswith("/api/v1"):
            continue
        for method in route.methods:
            path = _fill(route.path, values)
            body = (
                {"kind": "author", "value": "Someone Else"}
                if "follows" in path or "mutes" in path
                else None
            )
            if path.endswith("/read") and method == "POST" and "stories" not in path:
                body = {"article_ids": [int(values["article_id"])]}
            if path.endswith("/checked"):
                body = {}
            if path == "/api/v1/sources":
                body = {"url": "https://feeds.example/rss", "check": False}
            response = client.request(method, path, headers=headers, json=body)
            seen += 1
            assert response.status_code < 500, (method, path, response.text)
            _assert_private(response.text, f"{method} {path}")
            if method == "DELETE" and ("follows" in path or "mutes" in path):
                assert response.status_code == 404, (path, response.text)
    assert seen >= 20
    # A's star and read mark are A's alone.
    article = client.get(f"/api/v1/articles/{a['starred_id']}", headers=headers).json()
    assert article["starred"] is False
    assert client.get("/api/v1/articles?starred=true", headers=headers).json()["items"] == []
    assert (
        client.get(f"/api/v1/articles/{a['read_id']}", headers=headers).json()["read"] is not True
    )
    # A's things are still there.
    a_headers = {"Authorization": "Bearer " + a["token"]}
    assert any(
        f["label"] == SECRET_LABEL
        for f in client.get("/api/v1/follows", headers=a_headers).json()["follows"]
    )
    # A feed-only token opens no API route; B's token opens none of A's feeds.
    feed_only = {"Authorization": "Bearer " + a["feed_token"]}
    assert client.get("/api/v1/follows", headers=feed_only).status_code == 403
    b_token = headers["Authorization"].split()[1]
    assert client.get(f"/feeds/searches/{a['search_id']}.atom?token={b_token}").status_code == 404


def test_every_page_as_another_user(db: Any, web_app: Any) -> None:
    a = _setup_a(db)
    b = make_user(db, "b@newsdesk.example")
    session = sign_in(web_app, db, b)
    values = _values(a)
    # Before the walk (which stars and marks things as B): A's star is not B's.
    assert "Quartermaine" not in session.client.get("/starred").text
    starred = session.client.get("/starred").text
    from newsdesk.store.cards import article_cards

    with db.connect() as conn:
        title = article_cards(conn, [a["starred_id"]])[a["starred_id"]].title
    assert title not in starred
    for route in all_routes(web_app):
        if route.path.startswith("/api/") or route.path == "/signout":
            continue  # signing out would end the walk's own session
        path = _fill(route.path, values)
        for method in route.methods:
            if method == "GET":
                response = session.client.get(path, follow_redirects=False)
            elif method == "POST":
                data = {"kind": "author", "value": "Someone Else", "upto": "0", "on": "1"}
                response = session.post(path, data)
            else:
                continue
            assert response.status_code < 500, (method, path, response.text[:500])
            _assert_private(response.text, f"{method} {path}")
    # B cannot touch A's token, account or the admin pages.
    token_id = a["token_ids"][0]
    assert session.post(f"/settings/tokens/{token_id}/revoke").status_code == 404
    assert session.post(f"/admin/users/{a['user'].id}/delete").status_code == 403
    assert session.client.get("/admin/users").status_code == 403
    assert session.post("/sources/1/pause").status_code == 403
    from newsdesk.follow.accounts import list_api_tokens

    with db.connect() as conn:
        assert not any(t.revoked for t in list_api_tokens(conn, a["user"].id))
