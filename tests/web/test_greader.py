"""The Google Reader API as the apps use it, on both engines, with expected bodies."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.reader_world import LONG, G, World, build


@pytest.fixture
def world(web_app: Any, db: Any) -> World:
    return build(web_app, db)


def test_client_login_gives_the_auth_lines_and_401_on_wrong_credentials(world: World) -> None:
    c = world.client
    got = c.post(
        "/api/greader/accounts/ClientLogin",
        data={"Email": "noor@example.org", "Passwd": world.noor_token},
    )
    assert got.status_code == 200
    assert got.text == f"SID={world.noor_token}\nLSID={world.noor_token}\nAuth={world.noor_token}\n"
    wrong = c.post(
        "/api/greader/accounts/ClientLogin", data={"Email": "noor@example.org", "Passwd": "nope"}
    )
    assert wrong.status_code == 401
    # another user's app password with this email is wrong too
    other = c.post(
        "/api/greader/accounts/ClientLogin",
        data={"Email": "noor@example.org", "Passwd": world.ines_token},
    )
    assert other.status_code == 401


def test_sign_in_is_rate_limited(world: World) -> None:
    for _ in range(5):
        world.client.post(
            "/api/greader/accounts/ClientLogin", data={"Email": "noor@example.org", "Passwd": "x"}
        )
    got = world.client.post(
        "/api/greader/accounts/ClientLogin",
        data={"Email": "noor@example.org", "Passwd": world.noor_token},
    )
    assert got.status_code == 429


def test_token_and_user_info(world: World) -> None:
    assert len(world.t()) == 57
    info = world.client.get(G + "/user-info", headers=world.auth()).json()
    assert info == {
        "userId": str(world.noor.id),
        "userName": "noor@example.org",
        "userProfileId": str(world.noor.id),
        "userEmail": "noor@example.org",
    }
    assert world.client.get(G + "/user-info").status_code == 401


def test_subscription_list_and_tag_list(world: World) -> None:
    subs = world.client.get(G + "/subscription/list", headers=world.auth()).json()
    assert [(s["id"], s["title"], s["categories"]) for s in subs["subscriptions"]] == [
        (
            "feed/https://harbour.example/feed",
            "Harbour",
            [{"id": "user/-/label/local", "label": "local"}],
        ),
        (
            "feed/https://wire.example/feed",
            "Wire",
            [
                {"id": "user/-/label/world", "label": "world"},
                {"id": "user/-/label/local", "label": "local"},
            ],
        ),
    ]
    tags = world.client.get(G + "/tag/list", headers=world.auth()).json()
    assert tags == {
        "tags": [
            {"id": "user/-/state/com.google/starred"},
            {"id": "user/-/label/local", "type": "folder"},
            {"id": "user/-/label/world", "type": "folder"},
            {"id": "user/-/label/Follow: Ines Varga", "type": "tag"},
        ]
    }


def _counts(world: World, token: str | None = None) -> dict[str, int]:
    got = world.client.get(G + "/unread-count", headers=world.auth(token)).json()
    return {c["id"]: c["count"] for c in got["unreadcounts"]}


def test_unread_count(world: World) -> None:
    assert _counts(world) == {
        "feed/https://harbour.example/feed": 5,
        "feed/https://wire.example/feed": 4,
        "user/-/label/Follow: Ines Varga": 4,
        "user/-/label/local": 9,
        "user/-/label/world": 4,
        "user/-/state/com.google/reading-list": 9,
    }


def _ids(body: dict[str, Any]) -> list[int]:
    return [int(i["id"].removeprefix(LONG), 16) for i in body["items"]]


def test_stream_contents_pages_with_continuations(world: World) -> None:
    c, every = world.client, sorted(world.h + world.w, reverse=True)
    first = c.get(
        G + "/stream/contents/user/-/state/com.google/reading-list?n=4", headers=world.auth()
    ).json()
    assert _ids(first) == every[:4]
    assert first["continuation"] == str(every[3])
    second = c.get(
        G + "/stream/contents/user/-/state/com.google/reading-list",
        params={"n": 4, "c": first["continuation"]},
        headers=world.auth(),
    ).json()
    assert _ids(second) == every[4:8]
    third = c.get(
        G + "/stream/contents/user/-/state/com.google/reading-list",
        params={"n": 4, "c": second["continuation"]},
        headers=world.auth(),
    ).json()
    assert _ids(third) == every[8:] and "continuation" not in third
    item = first["items"][0]
    assert item["origin"]["streamId"] == "feed/https://wire.example/feed"
    assert item["summary"]["content"] == "<p>A short fictional note.</p>"
    assert "user/-/label/world" in item["categories"]
    oldest = c.get(
        G + "/stream/contents/user/-/state/com.google/reading-list",
        params={"n": 2, "r": "o"},
        headers=world.auth(),
    ).json()
    assert _ids(oldest) == sorted(every)[:2]


def test_streams_for_feeds_labels_follows_and_states(world: World) -> None:
    c = world.client

    def ids(stream: str, **params: Any) -> list[int]:
        got = c.get(
            G + "/stream/contents/" + stream, params={"n": 100, **params}, headers=world.auth()
        )
        assert got.status_code == 200, got.text
        return sorted(_ids(got.json()))

    assert ids("feed/https://harbour.example/feed") == world.h
    assert ids("user/-/label/world") == world.w
    assert ids("user/-/label/local") == sorted(world.h + world.w)
    assert ids("user/-/label/Follow: Ines Varga") == world.w
    # mark two read, star one; then the read, starred and xt views
    t = world.t()
    got = c.post(
        G + "/edit-tag",
        headers=world.auth(),
        data={
            "T": t,
            "i": [LONG + f"{world.h[0]:016x}", str(world.h[1])],
            "a": "user/-/state/com.google/read",
        },
    )
    assert got.status_code == 200 and got.text == "OK"
    c.post(
        G + "/edit-tag",
        headers=world.auth(),
        data={"T": t, "i": str(world.w[0]), "a": "user/-/state/com.google/starred"},
    )
    assert ids("user/-/state/com.google/read") == world.h[:2]
    assert ids("user/-/state/com.google/starred") == [world.w[0]]
    assert ids("user/-/state/com.google/reading-list", xt="user/-/state/com.google/read") == sorted(
        world.h[2:] + world.w
    )
    assert _counts(world)["user/-/state/com.google/reading-list"] == 7
    c.post(
        G + "/edit-tag",
        headers=world.auth(),
        data={"T": t, "i": str(world.h[0]), "r": "user/-/state/com.google/read"},
    )
    assert _counts(world)["feed/https://harbour.example/feed"] == 4


def test_ot_and_nt_window(world: World) -> None:
    from tests.follow.read_state_rows import T0

    start = int(T0.timestamp())
    got = world.client.get(
        G + "/stream/items/ids",
        params={
            "s": "user/-/state/com.google/reading-list",
            "n": 100,
            "ot": start + 60,
            "nt": start + 180,
        },
        headers=world.auth(),
    ).json()
    assert sorted(int(r["id"]) for r in got["itemRefs"]) == world.h[1:4]


def test_items_ids_and_contents_by_long_and_short_ids(world: World) -> None:
    c = world.client
    refs = c.get(
        G + "/stream/items/ids",
        params={"s": "feed/https://wire.example/feed", "n": 2},
        headers=world.auth(),
    ).json()
    assert [r["id"] for r in refs["itemRefs"]] == [str(i) for i in sorted(world.w)[::-1][:2]]
    assert refs["continuation"] == str(sorted(world.w)[-2])
    got = c.post(
        G + "/stream/items/contents",
        headers=world.auth(),
        data={"i": [LONG + f"{world.w[0]:016x}", str(world.h[0])]},
    ).json()
    assert sorted(_ids(got)) == sorted([world.w[0], world.h[0]])


def test_mark_all_as_read_with_ts(world: World) -> None:
    from tests.follow.read_state_rows import T0

    t = world.t()
    cut = int(T0.timestamp()) + 150  # the first three harbour articles arrived before it
    got = world.client.post(
        G + "/mark-all-as-read",
        headers=world.auth(),
        data={"T": t, "s": "feed/https://harbour.example/feed", "ts": str(cut * 1_000_000)},
    )
    assert got.status_code == 200
    assert _counts(world)["feed/https://harbour.example/feed"] == 2
    world.client.post(
        G + "/mark-all-as-read",
        headers=world.auth(),
        data={"T": t, "s": "user/-/state/com.google/reading-list"},
    )
    assert _counts(world)["user/-/state/com.google/reading-list"] == 0


def test_subscription_edit_quickadd_rename_and_disable_tag(world: World) -> None:
    c, t = world.client, world.t()

    def subs(token: str | None = None) -> dict[str, list[str]]:
        got = c.get(G + "/subscription/list", headers=world.auth(token)).json()
        return {s["id"]: [x["label"] for x in s["categories"]] for s in got["subscriptions"]}

    got = c.post(
        G + "/subscription/edit",
        headers=world.auth(),
        data={
            "T": t,
            "ac": "edit",
            "s": "feed/https://harbour.example/feed",
            "a": "user/-/label/Quay",
            "r": "user/-/label/local",
            "t": "Harbour Notes",
        },
    )
    assert got.status_code == 200
    assert subs()["feed/https://harbour.example/feed"] == ["Quay"]
    c.post(
        G + "/rename-tag",
        headers=world.auth(),
        data={"T": t, "s": "user/-/label/Quay", "dest": "user/-/label/Docks"},
    )
    assert subs()["feed/https://harbour.example/feed"] == ["Docks"]
    c.post(G + "/disable-tag", headers=world.auth(), data={"T": t, "s": "user/-/label/Docks"})
    assert subs()["feed/https://harbour.example/feed"] == []
    added = c.post(
        G + "/subscription/quickadd",
        headers=world.auth(),
        data={"T": t, "quickadd": "https://ferry.example/rss"},
    )
    assert added.json()["streamId"] == "feed/https://ferry.example/rss"
    assert "feed/https://ferry.example/rss" in subs()
    # the other user sees none of it; the shared source keeps its own tags
    assert subs(world.ines_token) == {}
    c.post(
        G + "/subscription/edit",
        headers=world.auth(),
        data={"T": t, "ac": "unsubscribe", "s": "feed/https://ferry.example/rss"},
    )
    assert "feed/https://ferry.example/rss" not in subs()
    from newsdesk.store.reader_apps import source_id_by_url

    with world.db.connect() as conn:
        assert source_id_by_url(conn, "https://ferry.example/rss") is None  # nobody follows it
        assert source_id_by_url(conn, "https://harbour.example/feed") is not None


def test_unsubscribe_keeps_a_source_someone_else_follows(world: World) -> None:
    c = world.client
    t_ines = world.t(world.ines_token)
    c.post(
        G + "/subscription/edit",
        headers=world.auth(world.ines_token),
        data={"T": t_ines, "ac": "subscribe", "s": "feed/https://harbour.example/feed"},
    )
    c.post(
        G + "/subscription/edit",
        headers=world.auth(),
        data={"T": world.t(), "ac": "unsubscribe", "s": "feed/https://harbour.example/feed"},
    )
    got = c.get(G + "/subscription/list", headers=world.auth(world.ines_token)).json()
    assert [s["id"] for s in got["subscriptions"]] == ["feed/https://harbour.example/feed"]


def test_isolation_b_sees_none_of_a(world: World) -> None:
    c, b = world.client, world.ines_token
    t = world.t()
    c.post(
        G + "/edit-tag",
        headers=world.auth(),
        data={"T": t, "i": str(world.h[0]), "a": "user/-/state/com.google/starred"},
    )
    assert c.get(G + "/subscription/list", headers=world.auth(b)).json() == {"subscriptions": []}
    assert c.get(G + "/tag/list", headers=world.auth(b)).json() == {
        "tags": [{"id": "user/-/state/com.google/starred"}]
    }
    for stream in (
        "user/-/state/com.google/reading-list",
        "user/-/state/com.google/starred",
        "user/-/state/com.google/read",
    ):
        got = c.get(G + "/stream/contents/" + stream, headers=world.auth(b)).json()
        assert got["items"] == []
    assert (
        c.get(
            G + "/stream/contents/feed/https://harbour.example/feed", headers=world.auth(b)
        ).status_code
        == 404
    )
    got = c.post(G + "/stream/items/contents", headers=world.auth(b), data={"i": str(world.h[0])})
    assert got.json()["items"] == []
    # B's mark on an article A follows is B's own row: A's count does not move
    t_b = world.t(b)
    got = c.post(
        G + "/edit-tag",
        headers=world.auth(b),
        data={"T": t_b, "i": str(world.h[1]), "a": "user/-/state/com.google/read"},
    )
    assert got.status_code == 200
    got = c.post(
        G + "/edit-tag",
        headers=world.auth(b),
        data={"T": t_b, "i": "987654", "a": "user/-/state/com.google/read"},
    )
    assert got.status_code == 404  # no such article
    assert _counts(world)["feed/https://harbour.example/feed"] == 5


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("post", "/stream/items/contents", {"i": "tag:google.com,2005:reader/item/xyz"}, 400),
        ("post", "/stream/items/contents", {"i": "-3"}, 400),
        ("post", "/stream/items/contents", {"i": "\u00b9"}, 400),
        ("get", "/stream/contents/user/-/state/com.google/reading-list?n=\u00b9", None, 400),
        ("get", "/stream/contents/user/-/state/com.google/reading-list?c=\u00b2", None, 400),
        ("get", "/stream/contents/user/-/label/Nowhere", None, 404),
        ("get", "/stream/contents/feed/https://nowhere.example/", None, 404),
        ("get", "/stream/contents/splat", None, 404),
        ("get", "/stream/contents/user/-/state/com.google/reading-list?n=99999999999", None, 200),
        ("get", "/stream/contents/user/-/state/com.google/reading-list?n=ten", None, 400),
        ("get", "/stream/contents/user/-/state/com.google/reading-list?c=zz", None, 400),
        ("get", "/stream/items/ids?s=user/-/state/com.google/reading-list&ot=-1", None, 400),
    ],
)
def test_bad_input_gets_the_protocol_status(
    world: World, method: str, path: str, data: Any, status: int
) -> None:
    call = getattr(world.client, method)
    kw = {"data": data} if data is not None else {}
    got = call(G + path, headers=world.auth(), **kw)
    assert got.status_code == status, got.text


def test_huge_n_is_capped(world: World) -> None:
    got = world.client.get(G + "/stream/items/ids", params={"n": 10**9}, headers=world.auth())
    assert got.status_code == 200 and len(got.json()["itemRefs"]) == 9


def test_missing_token_and_wrong_t(world: World) -> None:
    c = world.client
    assert c.get(G + "/subscription/list").status_code == 401
    assert (
        c.get(
            G + "/subscription/list", headers={"Authorization": "GoogleLogin auth=nd_wrong"}
        ).status_code
        == 401
    )
    for path, data in [
        ("/edit-tag", {"i": "1", "a": "user/-/state/com.google/read"}),
        ("/mark-all-as-read", {"s": "user/-/state/com.google/reading-list"}),
        ("/subscription/edit", {"ac": "unsubscribe", "s": "feed/https://harbour.example/feed"}),
    ]:
        got = c.post(G + path, headers=world.auth(), data={**data, "T": "wrong"})
        assert got.status_code == 401 and got.headers["x-reader-google-bad-token"] == "true"
        got = c.post(G + path, headers=world.auth(), data=data)
        assert got.status_code == 401
    assert _counts(world)["user/-/state/com.google/reading-list"] == 9


def test_atom_streams(world: World) -> None:
    got = world.client.get(
        "/api/greader/reader/atom/user/-/state/com.google/reading-list",
        params={"n": 3},
        headers=world.auth(),
    )
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/atom+xml")
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(got.text)
    ns = {"a": "http://www.w3.org/2005/Atom", "gr": "http://www.google.com/schemas/reader/atom/"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 3
    assert feed.find("gr:continuation", ns) is not None
    first = entries[0].find("a:id", ns)
    assert first is not None and first.text == LONG + f"{max(world.w):016x}"
    got = world.client.get(
        "/api/greader/reader/atom/feed/https://harbour.example/feed", headers=world.auth()
    )
    assert len(ET.fromstring(got.text).findall("a:entry", ns)) == 5
