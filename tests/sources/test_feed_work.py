"""Big refreshes parse and write in worker processes; the outcome is the same as in-process."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from newsdesk.config import Settings
from newsdesk.jobs import feed_work
from newsdesk.jobs.feed_work import prepare_feed
from newsdesk.jobs.refresh import refresh
from newsdesk.store import sources as repo
from newsdesk.store.tables import articles, feed_items
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()
NOT_A_FEED = b"<html><body><p>This page is not a feed at all.</p></body></html>"


def test_prepare_feed_makes_each_entry_article_and_its_hash() -> None:
    prepared = prepare_feed(GAZETTE, "https://harbour-gazette.example/feed", "application/rss+xml")
    assert prepared.feed.title == "The Harbour Gazette"
    assert len(prepared.entries) == len(prepared.articles) == len(prepared.hashes) == 3
    for article, digest in zip(prepared.articles, prepared.hashes, strict=True):
        assert article is not None and digest == article.content_hash
    assert prepared.articles[0].title == "Saltmere ferry gets a second evening crossing"


def _stored(db: Any) -> tuple[list[tuple[str, str]], list[tuple[str | None, str | None]]]:
    with db.connect() as conn:
        arts = conn.execute(
            select(articles.c.title, articles.c.content_hash).order_by(articles.c.title)
        ).all()
        items = conn.execute(
            select(feed_items.c.title, feed_items.c.article_error).order_by(feed_items.c.title)
        ).all()
    return [tuple(r) for r in arts], [tuple(r) for r in items]


@pytest.mark.parametrize("processes", [False, True], ids=["thread", "worker-process"])
def test_refresh_with_and_without_the_worker_process(
    db: Any,
    server: LocalServer,
    fast_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    processes: bool,
) -> None:
    monkeypatch.setattr(feed_work, "PROCESS_MIN_FEEDS", 1 if processes else 10**6)
    good = server.set("/gazette.rss", Reply(200, GAZETTE))
    bad = server.set("/not-a-feed.rss", Reply(200, NOT_A_FEED, {"Content-Type": "text/html"}))
    with db.begin() as conn:
        for url in (good, bad):
            repo.add_source(conn, url, now=datetime.now(UTC))
    report = refresh(db, fast_settings)
    # The writer process reports its CPU time: the writes went through it (or did not).
    assert ("writer_process_writer" in report.cpu_seconds) is processes
    assert report.new_items == 3
    [failed] = report.failed
    assert failed.url == bad and "feed" in (failed.error or "")
    stored_articles, stored_items = _stored(db)
    assert [t for t, _ in stored_articles] == [
        "Fish market moves to the old rope works",
        "Lighthouse museum reopens after roof repairs",
        "Saltmere ferry gets a second evening crossing",
    ]
    assert [t for t, _ in stored_items] == [t for t, _ in stored_articles]
    with db.connect() as conn:
        row = repo.get_source(conn, bad)
    assert row.consecutive_failures == 1 and row.last_error == failed.error
    # Unchanged on a second run: nothing stored twice, conditional requests answered.
    again = refresh(db, fast_settings, force=True)
    assert again.new_items == 0 and len(again.failed) == 1
    assert _stored(db) == (stored_articles, stored_items)
