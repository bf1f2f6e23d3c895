"""Labels an app puts on single items (``edit-tag`` with ``user/-/label/NAME``), both engines.

A label's stream holds the sources filed in the folder of that name and the items
labelled so; labels show in the item's categories, in ``tag/list`` and in
``unread-count``; ``rename-tag`` and ``disable-tag`` apply to them; and they are
the labeller's alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.reader_world import LONG, G, World, build

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"


@pytest.fixture
def world(web_app: Any, db: Any) -> World:
    return build(web_app, db)


def _edit(world: World, token: str | None = None, **data: Any) -> Any:
    return world.client.post(
        G + "/edit-tag", headers=world.auth(token), data={"T": world.t(token), **data}
    )


def _post(world: World, path: str, token: str | None = None, **data: Any) -> Any:
    return world.client.post(
        G + path, headers=world.auth(token), data={"T": world.t(token), **data}
    )


def _stream(world: World, stream: str, token: str | None = None, **params: Any) -> Any:
    return world.client.get(
        G + "/stream/contents/" + stream, params={"n": 100, **params}, headers=world.auth(token)
    )


def _ids(body: dict[str, Any]) -> list[int]:
    return sorted(int(i["id"].removeprefix(LONG), 16) for i in body["items"])


def _categories(world: World, article_id: int, token: str | None = None) -> list[str]:
    got = world.client.post(
        G + "/stream/items/contents", headers=world.auth(token), data={"i": str(article_id)}
    ).json()
    (item,) = got["items"]
    return list(item["categories"])


def _counts(world: World, token: str | None = None) -> dict[str, int]:
    got = world.client.get(G + "/unread-count", headers=world.auth(token)).json()
    return {c["id"]: c["count"] for c in got["unreadcounts"]}


def _tags(world: World, token: str | None = None) -> Any:
    return world.client.get(G + "/tag/list", headers=world.auth(token)).json()


def test_a_label_on_items_is_stored_listed_counted_and_streamed(world: World) -> None:
    h, w = world.h, world.w
    got = _edit(world, i=[LONG + f"{h[0]:016x}", str(w[1])], a="user/-/label/Keep")
    assert got.status_code == 200 and got.text == "OK"
    assert _tags(world) == {
        "tags": [
            {"id": "user/-/state/com.google/starred"},
            {"id": "user/-/label/Keep", "type": "tag"},
            {"id": "user/-/label/local", "type": "folder"},
            {"id": "user/-/label/world", "type": "folder"},
            {"id": "user/-/label/Follow: Ines Varga", "type": "tag"},
        ]
    }
    assert _categories(world, h[0]) == [READING_LIST, "user/-/label/local", "user/-/label/Keep"]
    assert _categories(world, w[1]) == [
        READING_LIST,
        "user/-/label/world",
        "user/-/label/local",
        "user/-/label/Keep",
    ]
    assert _categories(world, h[1]) == [READING_LIST, "user/-/label/local"]
    got = _stream(world, "user/-/label/Keep")
    assert got.status_code == 200 and _ids(got.json()) == sorted([h[0], w[1]])
    refs = world.client.get(
        G + "/stream/items/ids", params={"s": "user/-/label/Keep"}, headers=world.auth()
    ).json()
    assert refs["itemRefs"] == [
        {"id": str(i), "directStreamIds": [], "timestampUsec": r["timestampUsec"]}
        for i, r in zip(sorted([h[0], w[1]], reverse=True), refs["itemRefs"], strict=True)
    ]
    assert _counts(world)["user/-/label/Keep"] == 2
    # a label that is also a folder: the folder's sources and the items labelled so
    _edit(world, i=str(h[0]), a="user/-/label/world")
    assert _ids(_stream(world, "user/-/label/world").json()) == sorted([h[0], *w])
    assert _counts(world)["user/-/label/world"] == 5
    assert _categories(world, h[0]) == [
        READING_LIST,
        "user/-/label/local",
        "user/-/label/Keep",
        "user/-/label/world",
    ]
    # the original API's Atom stream carries the label too
    atom = world.client.get("/api/greader/reader/atom/user/-/label/Keep", headers=world.auth())
    assert atom.status_code == 200
    assert 'term="user/-/label/Keep"' in atom.text
    # read state filters a label's stream like any other
    _edit(world, i=str(w[1]), a=READ)
    assert _ids(_stream(world, "user/-/label/Keep", xt=READ).json()) == [h[0]]
    assert _counts(world)["user/-/label/Keep"] == 1
    # taking a label off
    assert _edit(world, i=str(h[0]), r="user/-/label/Keep").text == "OK"
    assert _ids(_stream(world, "user/-/label/Keep").json()) == [w[1]]
    assert _categories(world, h[0]) == [READING_LIST, "user/-/label/local", "user/-/label/world"]
    # labelling twice is one label; the user id in place of "-" is the same label
    _edit(world, i=str(w[2]), a=f"user/{world.noor.id}/label/Keep")
    _edit(world, i=str(w[2]), a="user/-/label/Keep")
    assert _ids(_stream(world, "user/-/label/Keep").json()) == sorted([w[1], w[2]])


def test_mark_all_as_read_on_a_label_marks_its_items(world: World) -> None:
    h = world.h
    _edit(world, i=[str(h[0]), str(h[1])], a="user/-/label/Keep")
    assert _post(world, "/mark-all-as-read", s="user/-/label/Keep").text == "OK"
    counts = _counts(world)
    assert counts.get("user/-/label/Keep", 0) == 0
    assert counts["feed/https://harbour.example/feed"] == 3
    assert counts[READING_LIST] == 7


def test_rename_tag_and_disable_tag_apply_to_item_labels(world: World) -> None:
    h, w = world.h, world.w
    _edit(world, i=[str(h[0]), str(w[0])], a="user/-/label/Keep")
    _edit(world, i=str(h[0]), a="user/-/label/Later")
    got = _post(world, "/rename-tag", s="user/-/label/Keep", dest="user/-/label/Later")
    assert got.status_code == 200 and got.text == "OK"
    assert _stream(world, "user/-/label/Keep").status_code == 404
    assert _ids(_stream(world, "user/-/label/Later").json()) == sorted([h[0], w[0]])
    assert _categories(world, h[0]) == [READING_LIST, "user/-/label/local", "user/-/label/Later"]
    assert [t["id"] for t in _tags(world)["tags"]] == [
        "user/-/state/com.google/starred",
        "user/-/label/Later",
        "user/-/label/local",
        "user/-/label/world",
        "user/-/label/Follow: Ines Varga",
    ]
    # renaming a folder renames the label of that name on items with it
    _edit(world, i=str(h[1]), a="user/-/label/world")
    _post(world, "/rename-tag", s="user/-/label/world", dest="user/-/label/Abroad")
    assert _ids(_stream(world, "user/-/label/Abroad").json()) == sorted([h[1], *w])
    assert _stream(world, "user/-/label/world").status_code == 404
    # disabling drops the label from every item
    assert _post(world, "/disable-tag", s="user/-/label/Later").text == "OK"
    assert _stream(world, "user/-/label/Later").status_code == 404
    assert _categories(world, h[0]) == [READING_LIST, "user/-/label/local"]
    assert "user/-/label/Later" not in _counts(world)
    assert "user/-/label/Later" not in [t["id"] for t in _tags(world)["tags"]]


def test_labels_are_the_labellers_alone(world: World) -> None:
    c, b, h = world.client, world.ines_token, world.h
    _edit(world, i=str(h[0]), a="user/-/label/Keep")
    # B sees no label of A's, and cannot label A's articles
    assert _tags(world, b) == {"tags": [{"id": "user/-/state/com.google/starred"}]}
    assert _stream(world, "user/-/label/Keep", b).status_code == 404
    assert "user/-/label/Keep" not in _counts(world, b)
    assert _edit(world, b, i=str(h[1]), a="user/-/label/Keep").status_code == 404
    # B's rename and disable of a name A uses change nothing of A's
    _post(world, "/rename-tag", b, s="user/-/label/Keep", dest="user/-/label/Gone")
    _post(world, "/disable-tag", b, s="user/-/label/Keep")
    assert _ids(_stream(world, "user/-/label/Keep").json()) == [h[0]]
    # B subscribes to the same source and labels the same article their own way
    got = c.post(
        G + "/subscription/quickadd",
        headers=world.auth(b),
        data={"T": world.t(b), "quickadd": "https://harbour.example/feed"},
    )
    assert got.status_code == 200
    assert _edit(world, b, i=str(h[0]), a="user/-/label/Mine").text == "OK"
    assert _categories(world, h[0], b) == [READING_LIST, "user/-/label/local", "user/-/label/Mine"]
    assert _categories(world, h[0]) == [READING_LIST, "user/-/label/local", "user/-/label/Keep"]
    assert _stream(world, "user/-/label/Mine").status_code == 404
    assert _stream(world, "user/-/label/Keep", b).status_code == 404
    # B taking "Keep" off the article leaves A's label
    _edit(world, b, i=str(h[0]), r="user/-/label/Keep")
    assert _ids(_stream(world, "user/-/label/Keep").json()) == [h[0]]


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("user/-/label/", 400),
        ("user/-/label/   ", 400),
        ("user/-/label/" + "x" * 101, 400),
        ("user/-/label/Follow: Ines Varga", 400),
    ],
)
def test_a_bad_label_gets_400_and_stores_nothing(world: World, label: str, status: int) -> None:
    got = _edit(world, i=str(world.h[0]), a=label)
    assert got.status_code == status
    assert got.headers["content-type"].startswith("text/plain")
    assert _categories(world, world.h[0]) == [READING_LIST, "user/-/label/local"]
    assert [t["id"] for t in _tags(world)["tags"]] == [
        "user/-/state/com.google/starred",
        "user/-/label/local",
        "user/-/label/world",
        "user/-/label/Follow: Ines Varga",
    ]
