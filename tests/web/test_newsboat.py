"""A real client: Debian's newsboat 2.21, through its ``feedhq`` source, against our Google Reader
API on a uvicorn server, over a store filled by refreshing fictional feeds from a local server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, skip_or_fail
from tests.sources.conftest import fast_settings, server
from tests.sources.local_server import LocalServer, Reply
from tests.web.conftest import Live, make_token, make_user, start_server

__all__ = ["fast_settings", "server"]
pytestmark = pytest.mark.client
NEWSBOAT = shutil.which("newsboat") or "/usr/bin/newsboat"
EMAIL = "noor@example.org"
FEEDS = {
    "/estuary.xml": ("atom10_estuary_courier.xml", ["coast"]),
    "/gazette.rdf": ("rss10_valley_gazette.rdf", ["valley", "coast"]),
}


@pytest.fixture
def live_store(db: Any, server: LocalServer, fast_settings: Any) -> Iterator[tuple[Live, str]]:
    from newsdesk.follow import follows
    from newsdesk.jobs.refresh import refresh_source
    from newsdesk.store import sources as repo

    if not Path(NEWSBOAT).exists():
        skip_or_fail("newsboat is not installed (Debian package newsboat)")
    now = datetime.now(UTC)
    user = make_user(db, EMAIL)
    for path, (name, tags) in FEEDS.items():
        url = server.set(path, Reply(200, (FIXTURES / "feeds" / name).read_bytes()))
        with db.begin() as conn:
            source_id, _ = repo.add_source(conn, url, now=now, tags=tags)
        refresh_source(source_id, db=db, enrich=False)
        with db.begin() as conn:
            follows.follow(
                conn, user.id, "source", str(source_id), now=now, window=timedelta(days=3650)
            )
    # another user's source newsboat must not see
    with db.begin() as conn:
        other = make_user(db, "ines@example.org")
        url = server.set(
            "/mill.xml", Reply(200, (FIXTURES / "feeds" / "rss091_old_mill.xml").read_bytes())
        )
        source_id, _ = repo.add_source(conn, url, now=now, tags=["mill"])
    refresh_source(source_id, db=db, enrich=False)
    with db.begin() as conn:
        follows.follow(conn, other.id, "source", str(source_id), now=now)
    token = make_token(db, user.id, "newsboat")
    yield from ((live, token) for live in start_server(db))


def _newsboat(tmp: Path, live: Live, token: str, *commands: str) -> str:
    config = tmp / "config"
    config.write_text(
        'urls-source "feedhq"\n'
        f'feedhq-url "{live.url}/api/greader/"\n'
        f'feedhq-login "{EMAIL}"\n'
        f'feedhq-password "{token}"\n'
        "feedhq-min-items 100\n"
    )
    urls = tmp / "urls"
    urls.touch()
    args = [
        NEWSBOAT,
        "-C",
        str(config),
        "-u",
        str(urls),
        "-c",
        str(tmp / "cache.db"),
        "-d",
        str(tmp / "newsboat.log"),
        "-l",
        "6",
    ]
    for command in commands:
        args += ["-x", command]
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": str(tmp), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _unread_in_newsdesk(cli: Any) -> list[dict[str, Any]]:
    got = cli("articles", "list", "--user", EMAIL, "--unread", "--format", "json", "--limit", "500")
    assert got.code == 0, got.stderr
    return list(json.loads(got.stdout))


def _printed(out: str) -> int:
    match = re.search(r"(\d+) unread articles", out)
    assert match, out
    return int(match.group(1))


def test_newsboat_reads_the_same_unread_count(
    live_store: tuple[Live, str], tmp_path: Path, cli: Any
) -> None:
    live, token = live_store
    expected = _unread_in_newsdesk(cli)
    assert len(expected) >= 4
    try:
        assert _printed(_newsboat(tmp_path, live, token, "reload", "print-unread")) == len(expected)
        # mark two read in newsdesk; newsboat sees the new count after a reload
        ids = [str(a["id"]) for a in expected[:2]]
        marked = cli("mark", "read", *ids, "--user", EMAIL)
        assert marked.code == 0, marked.stderr
        after = len(_unread_in_newsdesk(cli))
        assert after == len(expected) - 2
        assert _printed(_newsboat(tmp_path, live, token, "reload", "print-unread")) == after
    except AssertionError:
        log = tmp_path / "newsboat.log"
        print(log.read_text()[-6000:] if log.exists() else "no log")
        raise
    # the feeds newsboat stored are the user's, with their tags, and not the other user's
    import sqlite3

    with sqlite3.connect(tmp_path / "cache.db") as cache:
        feeds = {row[0] for row in cache.execute("SELECT rssurl FROM rss_feed")}
    assert not any("mill" in f for f in feeds), feeds
    assert any("estuary" in f for f in feeds) and any("gazette" in f for f in feeds), feeds
