"""Issue 10, point 3 through the API and the web app's Follow button: a name no stored
article names yet is followed (201, ``pending``, with a note), reaches the article that
names it once ingested, and is the same follow whether made by name or later by the
button; unfollow by id works for it. Both engines."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import FIXTURES
from tests.web.conftest import make_token, make_user, sign_in

PAGE = FIXTURES / "follow" / "quillan_pilots.txt"


def _ingest(db: Any) -> None:
    from newsdesk.jobs.pipeline import ingest_pages
    from newsdesk.sources.loader import iter_pages

    report = ingest_pages(iter_pages([str(PAGE)]), db=db)
    assert not report.failed, report.failed


def test_api_follows_a_name_before_the_news(db: Any, web_app: Any) -> None:
    user = make_user(db, "a@newsdesk.example")
    client = TestClient(web_app, raise_server_exceptions=False)
    headers = {"Authorization": "Bearer " + make_token(db, user.id)}
    made = {}
    for kind, name in (("person", "Ottoline Varnsby"), ("org", "Quillan Pilots Guild")):
        answer = client.post("/api/v1/follows", headers=headers, json={"kind": kind, "value": name})
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["pending"] is True and body["label"] == name
        assert "new articles that do will match" in body["note"]
        made[kind] = body["id"]
    nobody = client.post(
        "/api/v1/follows", headers=headers, json={"kind": "place", "value": "Nowhere Atall"}
    )
    assert nobody.status_code == 201, nobody.text

    _ingest(db)

    listed = {
        f["kind"]: f for f in client.get("/api/v1/follows", headers=headers).json()["follows"]
    }
    assert listed["person"]["pending"] is False and listed["person"]["id"] == made["person"]
    assert listed["place"]["pending"] is True  # nothing names it yet
    following = client.get("/api/v1/following", headers=headers)
    assert following.status_code == 200, following.text
    counts = {f["label"]: f["new_count"] for f in following.json()["follows"]}
    assert counts["Ottoline Varnsby"] == 1 and counts["Quillan Pilots Guild"] == 1
    assert counts["Nowhere Atall"] == 0

    # The web app's Follow button on the person, now that an article names them: no second follow.
    session = sign_in(web_app, db, user)
    pressed = session.post("/follow", {"kind": "person", "value": "Ottoline Varnsby", "on": "1"})
    assert pressed.status_code in (200, 303), pressed.text[:300]
    follows = client.get("/api/v1/follows", headers=headers).json()["follows"]
    assert [f["kind"] for f in follows].count("person") == 1

    for follow_id in (made["person"], nobody.json()["id"]):
        gone = client.delete(f"/api/v1/follows/{follow_id}", headers=headers)
        assert gone.status_code == 200, gone.text
    left = client.get("/api/v1/follows", headers=headers).json()["follows"]
    assert [f["label"] for f in left] == ["Quillan Pilots Guild"]


def test_api_mutes_a_name_before_the_news(db: Any, web_app: Any) -> None:
    user = make_user(db, "b@newsdesk.example")
    client = TestClient(web_app, raise_server_exceptions=False)
    headers = {"Authorization": "Bearer " + make_token(db, user.id)}
    muted = client.post(
        "/api/v1/mutes", headers=headers, json={"kind": "topic", "value": "Zzyzx Canal"}
    )
    assert muted.status_code == 201, muted.text
    assert muted.json()["pending"] is True
    gone = client.delete(f"/api/v1/mutes/{muted.json()['id']}", headers=headers)
    assert gone.status_code == 200, gone.text
