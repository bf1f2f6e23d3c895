"""The Fever API as Reeder and Unread call it, on both engines, with expected bodies."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.follow.accounts import fever_key
from tests.web.reader_world import World, build

F = "/api/fever/"


@pytest.fixture
def world(web_app: Any, db: Any) -> World:
    return build(web_app, db)


def _key(world: World, who: str = "noor") -> str:
    if who == "noor":
        return fever_key("noor@example.org", world.noor_token)
    return fever_key("ines@example.org", world.ines_token)


def call(world: World, query: str, who: str = "noor", **form: Any) -> dict[str, Any]:
    got = world.client.post(F + "?api" + query, data={"api_key": _key(world, who), **form})
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


def test_auth_and_wrong_credentials(world: World) -> None:
    body = call(world, "")
    assert body["api_version"] == 3 and body["auth"] == 1 and "last_refreshed_on_time" in body
    wrong = world.client.post(F + "?api", data={"api_key": "0" * 32}).json()
    assert wrong == {"api_version": 3, "auth": 0}
    # the key follows Fever's rule: md5 of "email:password", here the app password
    import hashlib

    assert _key(world) == hashlib.md5(f"noor@example.org:{world.noor_token}".encode()).hexdigest()


def test_a_revoked_token_no_longer_opens_fever(world: World, cli: Any) -> None:
    from newsdesk.follow.accounts import list_api_tokens

    with world.db.connect() as conn:
        (token,) = list_api_tokens(conn, world.noor.id)
    got = cli("tokens", "revoke", str(token.id), "--user", "noor@example.org")
    assert got.code == 0, got.stderr
    assert world.client.post(F + "?api", data={"api_key": _key(world)}).json()["auth"] == 0


def test_groups_and_feeds(world: World) -> None:
    from newsdesk.web.fever import group_id

    body = call(world, "&groups")
    local, world_tag = group_id("local"), group_id("world")
    assert body["groups"] == [{"id": local, "title": "local"}, {"id": world_tag, "title": "world"}]
    assert body["feeds_groups"] == [
        {"group_id": local, "feed_ids": f"{world.harbour},{world.wire}"},
        {"group_id": world_tag, "feed_ids": f"{world.wire}"},
    ]
    feeds = call(world, "&feeds")["feeds"]
    assert [(f["id"], f["title"], f["url"]) for f in feeds] == [
        (world.harbour, "Harbour", "https://harbour.example/feed"),
        (world.wire, "Wire", "https://wire.example/feed"),
    ]
    assert call(world, "&favicons")["favicons"][0]["id"] == 1


def test_items_since_max_and_with_ids(world: World) -> None:
    every = sorted(world.h + world.w)
    body = call(world, "&items")
    assert [i["id"] for i in body["items"]] == every[::-1]
    assert body["total_items"] == 9
    first = body["items"][-1]
    assert first == {
        "id": world.h[0],
        "feed_id": world.harbour,
        "title": "Harbour note h 0",
        "author": "",
        "html": "<p>A short fictional note.</p>",
        "url": "https://h.example/0",
        "is_saved": 0,
        "is_read": 0,
        "created_on_time": first["created_on_time"],
    }
    assert [i["id"] for i in call(world, f"&items&since_id={every[5]}")["items"]] == every[6:]
    assert [i["id"] for i in call(world, f"&items&max_id={every[2]}")["items"]] == every[:2][::-1]
    got = call(world, f"&items&with_ids={every[0]},{every[4]}")["items"]
    assert sorted(i["id"] for i in got) == [every[0], every[4]]


def test_unread_and_saved_ids_and_every_mark(world: World) -> None:
    from newsdesk.web.fever import group_id

    def unread() -> list[int]:
        text = call(world, "&unread_item_ids")["unread_item_ids"]
        return sorted(int(i) for i in text.split(",") if i)

    def saved() -> list[int]:
        text = call(world, "&saved_item_ids")["saved_item_ids"]
        return sorted(int(i) for i in text.split(",") if i)

    assert unread() == sorted(world.h + world.w)
    call(world, "", mark="item", **{"as": "read"}, id=str(world.h[0]))
    assert world.h[0] not in unread()
    call(world, "", mark="item", **{"as": "unread"}, id=str(world.h[0]))
    assert world.h[0] in unread()
    call(world, "", mark="item", **{"as": "saved"}, id=str(world.w[1]))
    assert saved() == [world.w[1]]
    call(world, "", mark="item", **{"as": "unsaved"}, id=str(world.w[1]))
    assert saved() == []
    from tests.follow.read_state_rows import T0

    call(
        world,
        "",
        mark="feed",
        **{"as": "read"},
        id=str(world.harbour),
        before=str(int(T0.timestamp()) + 90),
    )
    assert unread() == sorted(world.h[2:] + world.w)
    call(world, "", mark="group", **{"as": "read"}, id=str(group_id("world")), before=str(2**31))
    assert unread() == world.h[2:]
    call(world, "", mark="group", **{"as": "read"}, id="0", before=str(2**31))
    assert unread() == []


def test_isolation_and_bad_input(world: World) -> None:
    call(world, "", mark="item", **{"as": "saved"}, id=str(world.h[0]))
    body = call(world, "&groups&feeds&items&unread_item_ids&saved_item_ids", who="ines")
    assert body["groups"] == [] and body["feeds"] == [] and body["items"] == []
    assert body["unread_item_ids"] == "" and body["saved_item_ids"] == ""
    # Ines marking an article Noor follows writes Ines's row only (any stored article can be
    # marked); an id naming no article is 404; she cannot read Noor's items by id.
    got = world.client.post(
        F + "?api",
        data={"api_key": _key(world, "ines"), "mark": "item", "as": "read", "id": str(world.h[1])},
    )
    assert got.status_code == 200
    assert str(world.h[1]) in call(world, "&unread_item_ids")["unread_item_ids"].split(",")
    got = world.client.post(
        F + "?api",
        data={"api_key": _key(world, "ines"), "mark": "item", "as": "read", "id": "987654"},
    )
    assert got.status_code == 404
    assert call(world, f"&items&with_ids={world.h[1]}", who="ines")["items"] == []
    for bad in (
        "&items&since_id=x",
        "&items&with_ids=1,a",
        "&items&max_id=-1",
        "&items&since_id=\u00b9",
        "&items&with_ids=\u00b2",
    ):
        got = world.client.post(F + "?api" + bad, data={"api_key": _key(world)})
        assert got.status_code == 400, bad
    got = world.client.post(
        F + "?api", data={"api_key": _key(world), "mark": "item", "as": "x", "id": "1"}
    )
    assert got.status_code == 400
    assert world.client.get(F + "?api").json()["auth"] == 0
