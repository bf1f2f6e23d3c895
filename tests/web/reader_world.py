"""A store for reader-app protocol tests: two users, tagged sources, articles, app passwords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.follow.read_state_rows import T0, add_articles, add_source
from tests.web.conftest import make_token, make_user

LONG = "tag:google.com,2005:reader/item/"
G = "/api/greader/reader/api/0"


@dataclass
class World:
    client: TestClient
    db: Any
    noor: Any
    noor_token: str
    ines: Any
    ines_token: str
    harbour: int
    wire: int
    h: list[int]
    w: list[int]

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={token or self.noor_token}"}

    def t(self, token: str | None = None) -> str:
        got = self.client.get(G + "/token", headers=self.auth(token))
        assert got.status_code == 200
        return got.text


def build(app: Any, db: Any) -> World:
    from newsdesk.follow import follows

    now = datetime.now(UTC)
    harbour = add_source(db, "https://harbour.example/feed", title="Harbour", tags=["local"])
    wire = add_source(db, "https://wire.example/feed", title="Wire", tags=["world", "local"])
    h = add_articles(db, 5, source_id=harbour, tag="h", start=T0)
    w = add_articles(
        db, 4, source_id=wire, tag="w", authors=["Ines Varga"], start=T0 + timedelta(hours=1)
    )
    noor = make_user(db, "noor@example.org")
    ines = make_user(db, "ines@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "source", str(harbour), now=now, window=timedelta(days=999))
        follows.follow(conn, noor.id, "source", str(wire), now=now, window=timedelta(days=999))
        follows.follow(conn, noor.id, "author", "Ines Varga", now=now, window=timedelta(days=999))
    client = TestClient(app, raise_server_exceptions=False)
    return World(
        client,
        db,
        noor,
        make_token(db, noor.id, "app"),
        ines,
        make_token(db, ines.id, "app"),
        harbour,
        wire,
        h,
        w,
    )
