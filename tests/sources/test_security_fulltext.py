"""Full text with hostile entry links: one bad link costs its own page, never the whole feed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from newsdesk.config import Settings
from newsdesk.jobs.refresh import refresh
from newsdesk.store import sources as repo
from newsdesk.store.tables import feed_items
from tests.sources.local_server import LocalServer, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Kestrel Point Bulletin</title><link>{base}/</link><description>Town notes</description>
<item><title>Ferry timetable changes for the winter</title><link>{bad}</link>
<guid>kp-ferry</guid><description>The Kestrel Point ferry moves to a winter timetable.</description>
</item>
<item><title>Library opens a seed exchange</title><link>{base}/missing-page.html</link>
<guid>kp-seeds</guid><description>Gardeners may swap seeds at the library.</description>
</item>
</channel></rss>"""


@pytest.mark.parametrize("bad", ["http://[::1", "http://[kestrel.example/ferry", "http://:80/x"])
def test_an_entry_with_a_malformed_link_does_not_lose_the_feed(
    db: Any, server: LocalServer, fast_settings: Settings, bad: str
) -> None:
    server.set("/robots.txt", Reply(404, b""))
    body = FEED.format(base=server.base, bad=bad).encode()
    url = server.set("/bulletin.rss", Reply(200, body, {"Content-Type": "application/rss+xml"}))
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    settings = fast_settings.model_copy(update={"fetch_full_text": True})
    report = refresh(db, settings, force=True)
    assert report.new_items == 2
    with db.connect() as conn:
        rows = conn.execute(select(feed_items).where(feed_items.c.source_id == source_id)).all()
        state = repo.get_source(conn, source_id)
    assert state.consecutive_failures == 0
    by_title = {r.title: r for r in rows}
    ferry = by_title["Ferry timetable changes for the winter"]
    assert ferry.full_text == "failed" and "URL" in ferry.article_error
    assert ferry.article_id is not None  # the entry's own text is kept
    assert by_title["Library opens a seed exchange"].article_id is not None


def test_without_full_text_a_malformed_link_is_left_out_and_the_entry_kept(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    body = FEED.format(base=server.base, bad="http://[::1").encode()
    url = server.set("/bulletin.rss", Reply(200, body, {"Content-Type": "application/rss+xml"}))
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    assert refresh(db, fast_settings, force=True).new_items == 2
    with db.connect() as conn:
        rows = conn.execute(select(feed_items).where(feed_items.c.source_id == source_id)).all()
    assert all(r.article_id is not None for r in rows)


def test_a_malformed_channel_link_and_xml_base_do_not_lose_the_feed(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    body = (
        FEED.format(base=server.base, bad=server.url("/ferry.html"))
        .replace(f"<link>{server.base}/</link>", "<link>http://[kestrel.example</link>")
        .replace('<rss version="2.0">', '<rss version="2.0" xml:base="http://[::1">')
        .encode()
    )
    url = server.set("/bulletin.rss", Reply(200, body, {"Content-Type": "application/rss+xml"}))
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    assert refresh(db, fast_settings, force=True).new_items == 2
    with db.connect() as conn:
        rows = conn.execute(select(feed_items).where(feed_items.c.source_id == source_id)).all()
    assert all(r.article_id is not None for r in rows)
