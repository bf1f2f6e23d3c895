"""NUL characters in feeds: PostgreSQL text cannot hold them, so they must not reach the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from newsdesk import parse_feed
from newsdesk.config import Settings
from newsdesk.jobs.refresh import refresh
from newsdesk.store import sources as repo
from newsdesk.store.tables import articles, feed_items
from tests.sources.local_server import LocalServer, Reply

NUL = "\u0000"


def _json_feed(base: str) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Saltmarsh{NUL} Review",
        "home_page_url": f"{base}/",
        "items": [
            {
                "id": f"sr-1{NUL}",
                "url": f"{base}/tide-gauge.html",
                "title": f"Tide gauge{NUL} repaired at Saltmarsh quay",
                "content_text": f"The quay's tide gauge{NUL} reads again after a winter storm.",
                "authors": [{"name": f"Ilse{NUL} Marrow"}],
                "tags": [f"harbour{NUL}"],
            },
            {
                "id": "sr-2",
                "url": f"{base}/ferry.html",
                "title": "Ferry resumes its morning crossing",
                "content_text": "The morning ferry crossed again on Monday.",
            },
        ],
    }
    return json.dumps(feed).encode()


def test_parsed_json_feed_carries_no_nul_characters() -> None:
    parsed = parse_feed(_json_feed("https://saltmarsh.example"))
    texts = [parsed.feed.title or ""]
    for entry in parsed.entries:
        texts += [entry.key, entry.title or "", entry.content or "", *entry.authors]
        texts += list(entry.categories)
    assert all(NUL not in text for text in texts), texts
    assert parsed.entries[0].title == "Tide gauge repaired at Saltmarsh quay"


def test_a_json_feed_with_nul_characters_is_stored_on_every_engine(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/review.json", Reply(200, _json_feed(server.base)))
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    report = refresh(db, fast_settings, force=True)
    assert report.new_items == 2, report
    with db.connect() as conn:
        rows = conn.execute(select(feed_items).where(feed_items.c.source_id == source_id)).all()
        titles = set(conn.execute(select(articles.c.title)).scalars())
    assert len(rows) == 2
    assert "Tide gauge repaired at Saltmarsh quay" in titles


def test_lone_surrogates_in_a_json_feed_are_dropped(cli, tmp_path) -> None:
    raw = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Saltmarsh\\ud800 Review",'
        b' "items": [{"id": "sr-9", "title": "Gauge \\udfff fixed", "content_text": "Fixed."}]}'
    )
    parsed = parse_feed(raw)
    assert parsed.feed.title == "Saltmarsh Review"
    assert parsed.entries[0].title == "Gauge fixed"
    path = tmp_path / "review.json"
    path.write_bytes(raw)
    result = cli("feeds", "parse", str(path), "--format", "json")
    assert result.code == 0, result
    assert result.json()["feed"]["title"] == "Saltmarsh Review"
