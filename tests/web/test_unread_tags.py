"""Unread by tag (a source's tags, or the reader's own folders for it) on the page and in
the API, and read/star on articles beyond one's follows: both engines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.follow.read_state_rows import T0, add_articles, add_source
from tests.web.conftest import make_token, make_user, sign_in


@pytest.fixture
def world(db: Any, web_app: Any) -> dict[str, Any]:
    from newsdesk.follow.follows import follow

    harbour = add_source(db, "https://harbour.example/feed", title="Harbour", tags=["local"])
    wire = add_source(db, "https://wire.example/feed", title="Wire", tags=["world", "local"])
    h = add_articles(db, 5, source_id=harbour, tag="h", start=T0)
    w = add_articles(db, 4, source_id=wire, tag="w", start=T0 + timedelta(hours=1))
    a = make_user(db, "a@newsdesk.example")
    b = make_user(db, "b@newsdesk.example")
    with db.begin() as conn:
        for source in (harbour, wire):
            follow(conn, a.id, "source", str(source), now=T0)
    client = TestClient(web_app, raise_server_exceptions=False)
    return {
        "harbour": harbour,
        "wire": wire,
        "h": h,
        "w": w,
        "a": a,
        "b": b,
        "client": client,
        "auth_a": {"Authorization": "Bearer " + make_token(db, a.id)},
        "auth_b": {"Authorization": "Bearer " + make_token(db, b.id)},
    }


def _unread(world: dict[str, Any], query: str = "", who: str = "auth_a") -> dict[str, Any]:
    got = world["client"].get("/api/v1/unread" + query, headers=world[who])
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


def test_unread_by_tag_in_the_api(world: dict[str, Any]) -> None:
    h, w = world["h"], world["w"]
    body = _unread(world)
    assert {t["tag"]: t["unread"] for t in body["counts"]["tags"]} == {"local": 9, "world": 4}
    world_only = _unread(world, "?tag=world")
    assert world_only["tag"] == "world"
    assert sorted(i["id"] for i in world_only["items"]) == w
    assert sorted(i["id"] for i in _unread(world, "?tag=local&limit=100")["items"]) == h + w
    assert _unread(world, "?tag=nothing")["items"] == []
    # Paging keeps the tag.
    first = _unread(world, "?tag=local&limit=3")
    rest = _unread(world, "?tag=local&limit=100&cursor=" + first["next_cursor"])
    assert sorted(i["id"] for i in first["items"] + rest["items"]) == h + w
    # Read ones leave the list and the count.
    got = world["client"].post("/api/v1/read", headers=world["auth_a"], json={"article_ids": w[:2]})
    assert got.status_code == 200
    again = _unread(world, "?tag=world")
    assert sorted(i["id"] for i in again["items"]) == w[2:]
    assert {t["tag"]: t["unread"] for t in again["counts"]["tags"]} == {"local": 7, "world": 2}
    # B follows nothing: the tag shows B nothing of A's.
    assert _unread(world, "?tag=world", who="auth_b")["items"] == []


def test_the_readers_own_folders_replace_the_source_tags(db: Any, world: dict[str, Any]) -> None:
    from newsdesk.store.reader_apps import set_source_label

    with db.begin() as conn:
        set_source_label(conn, world["a"].id, world["harbour"], title=None, tags=["Port"])
    body = _unread(world)
    assert {t["tag"]: t["unread"] for t in body["counts"]["tags"]} == {
        "Port": 5,
        "local": 4,
        "world": 4,
    }
    assert sorted(i["id"] for i in _unread(world, "?tag=Port")["items"]) == world["h"]
    assert sorted(i["id"] for i in _unread(world, "?tag=local")["items"]) == world["w"]


def test_unread_page_by_tag(db: Any, web_app: Any, world: dict[str, Any]) -> None:
    session = sign_in(web_app, db, world["a"])
    page = session.client.get("/unread")
    assert page.status_code == 200
    assert 'href="/unread?tag=world"' in page.text
    tagged = session.client.get("/unread?tag=world")
    assert tagged.status_code == 200
    assert 'href="/unread?tag=world" aria-current="page"' in tagged.text
    assert "showing tag world" in tagged.text
    assert "Harbour note w 0" in tagged.text and "Harbour note h 0" not in tagged.text
    assert session.client.get("/unread?tag=" + "x" * 300).status_code == 400


def test_read_and_star_an_article_beyond_ones_follows(
    db: Any, web_app: Any, world: dict[str, Any]
) -> None:
    client, h = world["client"], world["h"]
    # B follows nothing, yet opens A's source's article (search, a story, an outlet page).
    assert client.put(f"/api/v1/articles/{h[0]}/star", headers=world["auth_b"]).status_code == 200
    assert client.put(f"/api/v1/articles/{h[0]}/read", headers=world["auth_b"]).status_code == 200
    mine = client.get(f"/api/v1/articles/{h[0]}", headers=world["auth_b"]).json()
    assert (mine["read"], mine["starred"], mine["state_kept"]) == (True, True, True)
    starred = client.get("/api/v1/articles?starred=true", headers=world["auth_b"]).json()
    assert [i["id"] for i in starred["items"]] == [h[0]]
    # A's state of the same article is A's own: unread, not starred, still counted.
    theirs = client.get(f"/api/v1/articles/{h[0]}", headers=world["auth_a"]).json()
    assert (theirs["read"], theirs["starred"]) == (False, False)
    assert _unread(world)["counts"]["total"] == 9
    assert client.delete(f"/api/v1/articles/{h[0]}/read", headers=world["auth_b"]).json() == {
        "id": h[0],
        "read": False,
    }
    missing = client.put("/api/v1/articles/987654/star", headers=world["auth_b"])
    assert missing.status_code == 404
    # The page: B sees the buttons and they work without script.
    session = sign_in(web_app, db, world["b"])
    page = session.client.get(f"/articles/{h[1]}")
    assert page.status_code == 200 and "Star article" in page.text and "Mark read" in page.text
    done = session.post(f"/articles/{h[1]}/star", {"on": "1"})
    assert done.status_code in (200, 303), done.text[:300]
    assert "Unstar article" in session.client.get(f"/articles/{h[1]}").text
