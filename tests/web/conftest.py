"""Web fixtures: the app on a real uvicorn server on loopback, users with tokens, and
Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SHARED, skip_or_fail

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_NAME = "000_255b32e4bf53a0a0.txt"
# ../shared beside the checkout (a worktree sits one folder deeper than the main checkout).
SEED = next(
    (
        folder / "shared" / "seeds" / SEED_NAME
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "seeds" / SEED_NAME).exists()
    ),
    SHARED / "seeds" / SEED_NAME,
)
CHASE_SECOND = FIXTURES / "web" / "chase_second.html"
PASSWORD = "harbour-lights-42"


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Live:
    """A running server: its address, its app and its store."""

    url: str
    app: Any
    db: Any
    server: Any

    def ingest(self, path: Path) -> int:
        """Ingest one page through the product's door; the stored article's id."""
        from newsdesk.jobs.pipeline import ingest_pages
        from newsdesk.sources.loader import iter_pages

        report = ingest_pages(iter_pages([str(path)]), db=self.db)
        assert not report.failed, report.failed
        from newsdesk.store.follows import max_article_id

        with self.db.connect() as conn:
            return max_article_id(conn)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Any) -> Iterator[Live]:
    import uvicorn

    from newsdesk.config import get_settings
    from newsdesk.web.app import create_app

    settings = get_settings()
    app = create_app(settings, db=db)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web server did not start"
    yield Live(f"http://127.0.0.1:{port}", app, db, server)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live(db: Any) -> Iterator[Live]:
    """The web app served by uvicorn on 127.0.0.1 over the test's store."""
    yield from start_server(db)


@pytest.fixture
def live_sqlite(isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """The web app on SQLite only (browser tests: one engine is enough to drive the UI)."""
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"sqlite:///{isolated_settings / 'web.db'}")
    from newsdesk.config import get_settings
    from newsdesk.store.db import open_database

    get_settings.cache_clear()
    yield from start_server(open_database())


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} (install Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def make_user(db: Any, email: str, *, password: str = PASSWORD) -> Any:
    from newsdesk.follow.accounts import create_user

    with db.begin() as conn:
        return create_user(conn, email, now=now(), password=password)


def make_token(db: Any, user_id: int, name: str = "test") -> str:
    from newsdesk.follow.accounts import create_api_token

    with db.begin() as conn:
        return create_api_token(conn, user_id, name, now=now())


def load_demo(db: Any) -> None:
    from newsdesk.web import demo

    demo.load(db)


@dataclass
class Session:
    """A signed-in browser without a browser: the session cookie and the CSRF token."""

    client: Any
    user: Any
    csrf: str

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(
            path, data={"csrf": self.csrf, **(data or {})}, follow_redirects=False, **kw
        )


def sign_in(app: Any, db: Any, user: Any) -> Session:
    """A TestClient carrying ``user``'s session cookie and a valid CSRF cookie."""
    import re
    from datetime import timedelta

    from fastapi.testclient import TestClient

    from newsdesk.follow.accounts import create_session

    with db.begin() as conn:
        token = create_session(conn, user.id, now=now(), lifetime=timedelta(days=1))
    client = TestClient(app, raise_server_exceptions=False)
    client.cookies.set("nd_session", token)
    page = client.get("/settings")
    assert page.status_code == 200, page.text[:300]
    match = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert match
    return Session(client, user, match.group(1))


@pytest.fixture
def web_app(db: Any) -> Any:
    """The app over the test's store (both engines), for TestClient tests."""
    from newsdesk.config import get_settings
    from newsdesk.web.app import create_app

    return create_app(get_settings(), db=db)


def all_routes(app: Any) -> list[Any]:
    """Every APIRoute of the app, also those of included routers."""
    from fastapi.routing import APIRoute

    found: list[Any] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(list(inner.routes))

    walk(list(app.routes))
    return found
