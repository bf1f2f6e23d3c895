"""One feed cannot make a refresh fetch without end (issue 17, points 2 and 7).

* A feed of many summary-only entries: at most ``max_full_text_fetches`` pages
  are fetched per feed per refresh; the other entries keep their own text.
* Pages that answer slowly: the source's refresh deadline stops the waiting, and
  what was read is stored.
* An OPML file of 990 nested outlines imports (it ended in RecursionError).
* Discovery whose every candidate the SSRF guard refuses says so.
"""

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


def _feed(base: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>Harbour note {n}</title><link>{base}/page{n}.html</link>"
        f"<guid>note-{n}</guid><description>Short summary {n} of a harbour note.</description>"
        "</item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Kestrel Point Bulletin</title>'
        f"<link>{base}/</link><description>Town notes</description>{items}</channel></rss>"
    ).encode()


PAGE = (
    "<html><head><title>Harbour note</title></head><body><article><h1>Harbour note</h1>"
    + "<p>The harbour board of Kestrel Point met on Tuesday and agreed to repair the north "
    "quay before the winter storms, after a long debate about the ferry timetable.</p>"
    * 4
    + "</article></body></html>"
).encode()


def _source(db: Any, url: str) -> int:
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    return source_id


def _items(db: Any, source_id: int) -> list[Any]:
    with db.connect() as conn:
        return list(conn.execute(select(feed_items).where(feed_items.c.source_id == source_id)))


def test_full_text_fetches_per_feed_are_capped(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/robots.txt", Reply(404, b""))
    for n in range(40):
        server.set(f"/page{n}.html", Reply(200, PAGE, {"Content-Type": "text/html"}))
    url = server.set(
        "/feed.rss", Reply(200, _feed(server.base, 40), {"Content-Type": "application/rss+xml"})
    )
    source_id = _source(db, url)
    settings = fast_settings.model_copy(
        update={
            "fetch_full_text": True,
            "max_full_text_fetches": 5,
            "read_timeout": 10.0,  # a loaded machine: only the cap is under test here
            "fetch_timeout": 30.0,
        }
    )
    report = refresh(db, settings, force=True)
    assert report.new_items == 40, [o.error for o in report.failed]
    pages_asked = [s.path for s in server.seen if s.path.startswith("/page")]
    assert len(pages_asked) == 5
    rows = _items(db, source_id)
    assert len(rows) == 40 and all(r.article_id is not None for r in rows)
    skipped = [r for r in rows if r.full_text == "skipped"]
    assert len(skipped) == 35
    assert "NEWSDESK_MAX_FULL_TEXT_FETCHES" in skipped[0].article_error


def test_the_default_cap_is_25() -> None:
    assert Settings().max_full_text_fetches == 25


def test_a_source_deadline_stops_waiting_for_slow_pages(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/robots.txt", Reply(404, b""))
    for n in range(3):
        server.set(f"/page{n}.html", Reply(200, PAGE, {"Content-Type": "text/html"}, delay=6.0))
    url = server.set(
        "/feed.rss", Reply(200, _feed(server.base, 3), {"Content-Type": "application/rss+xml"})
    )
    source_id = _source(db, url)
    settings = fast_settings.model_copy(
        update={
            "fetch_full_text": True,
            "read_timeout": 30.0,
            "fetch_timeout": 30.0,
            "source_deadline": 2.5,
        }
    )
    report = refresh(db, settings, force=True)
    assert report.new_items == 3 and not report.failed, [o.error for o in report.failed]
    rows = _items(db, source_id)
    assert {r.full_text for r in rows} == {"failed"}
    assert all("NEWSDESK_SOURCE_DEADLINE" in r.article_error for r in rows)
    assert all(r.article_id is not None for r in rows)  # the entries' own text is kept


def test_an_opml_file_of_990_nested_outlines_imports() -> None:
    from newsdesk.sources.opml import MAX_FOLDER_TAGS, parse_opml

    depth = 990
    opened = "".join(f'<outline text="folder {n}">' for n in range(depth))
    feed = '<outline text="Deep" xmlUrl="https://deep.example/feed.xml"/>'
    data = (
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        + opened
        + feed
        + "</outline>" * depth
        + "</body></opml>"
    ).encode()
    [found] = parse_opml(data)
    assert found.url == "https://deep.example/feed.xml"
    assert len(found.tags) == MAX_FOLDER_TAGS


def test_sources_import_of_a_deep_opml_file(cli, db, tmp_path) -> None:
    depth = 990
    data = (
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        + "".join(
            f'<outline text="f{n}"><outline text="F{n}" xmlUrl="https://deep.example/{n}.xml"/>'
            for n in range(depth)
        )
        + "</outline>" * depth
        + "</body></opml>"
    )
    path = tmp_path / "deep.opml"
    path.write_text(data, encoding="utf-8")
    result = cli("sources", "import", str(path))
    assert result.code == 0, result
    assert f"imported {depth} feeds" in result.stdout


def test_discovery_refused_by_the_ssrf_guard_gives_the_reason(
    server: LocalServer, fast_settings: Settings
) -> None:
    from newsdesk.errors import BlockedURLError
    from newsdesk.sources.discover import discover

    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" '
        b'href="http://10.20.30.40/feed.xml"></head></html>'
    )
    url = server.set("/", Reply(200, page, {"Content-Type": "text/html"}))
    with pytest.raises(BlockedURLError) as caught:
        discover(url, fast_settings)
    assert "SSRF guard" in str(caught.value) and "10.20.30.40" in str(caught.value)


def test_sources_add_shows_the_ssrf_reason(cli, db, server: LocalServer, fast_settings) -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" '
        b'href="http://192.168.7.7/feed.xml"></head></html>'
    )
    url = server.set("/", Reply(200, page, {"Content-Type": "text/html"}))
    result = cli("sources", "add", url)
    assert result.code == 1
    assert "SSRF guard" in result.stderr and "192.168.7.7" in result.stderr
