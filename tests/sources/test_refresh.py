"""Refreshing sources from a real local server into the store, on both engines.

Each case checks what a user would: which items and articles are stored (never
twice), and what the source shows (last error, failures, paused and why).
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from newsdesk.config import Settings
from newsdesk.jobs.refresh import RefreshReport, refresh
from newsdesk.store import sources as repo
from newsdesk.store.tables import articles, feed_items
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply, conditional

SRC = FIXTURES / "sources"


def fixture(name: str, server: LocalServer | None = None, **values: str) -> bytes:
    data = (SRC / name).read_bytes()
    if server is not None:
        data = data.replace(b"{base}", server.base.encode())
    for key, value in values.items():
        data = data.replace(b"{" + key.encode() + b"}", value.encode())
    return data


def add(db: Any, url: str) -> int:
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    return source_id


def source(db: Any, source_id: int) -> repo.SourceRow:
    with db.connect() as conn:
        return repo.get_source(conn, source_id)


def items(db: Any, source_id: int) -> list[Any]:
    with db.connect() as conn:
        query = select(feed_items).where(feed_items.c.source_id == source_id)
        return list(conn.execute(query.order_by(feed_items.c.id)))


def article_count(db: Any) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def run(db: Any, settings: Settings, **kwargs: Any) -> RefreshReport:
    return refresh(db, settings, force=True, **kwargs)


def test_new_items_stored_then_unchanged_refresh_is_conditional(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/gazette.rss", conditional(fixture("harbour_gazette.rss"), etag='"g1"'))
    sid = add(db, url)
    report = run(db, fast_settings)
    assert report.new_items == 3 and not report.failed
    stored = items(db, sid)
    assert stored[0].title == "Saltmere ferry gets a second evening crossing"
    assert all(i.article_id is not None for i in stored)
    assert article_count(db) == 3
    row = source(db, sid)
    assert row.title == "The Harbour Gazette"
    assert row.etag == '"g1"' and row.last_success_at is not None and row.last_error is None
    assert row.next_refresh_at is not None and row.next_refresh_at > datetime.now(UTC)

    again = run(db, fast_settings)
    assert again.new_items == 0 and again.count("unchanged") == 1
    assert server.hits("/gazette.rss")[-1].headers.get("if-none-match") == '"g1"'
    assert len(items(db, sid)) == 3 and article_count(db) == 3


def test_last_modified_conditional_refresh(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    stamp = "Wed, 25 Nov 2026 07:00:00 GMT"
    body = fixture("harbour_gazette.rss")
    url = server.set("/g.rss", conditional(body, last_modified=stamp))
    sid = add(db, url)
    run(db, fast_settings)
    second = run(db, fast_settings)
    assert second.count("unchanged") == 1
    assert server.hits("/g.rss")[-1].headers.get("if-modified-since") == stamp
    assert len(items(db, sid)) == 3 and article_count(db) == 3


def test_same_feed_without_validators_stores_nothing_new(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/plain.rss", Reply(200, fixture("harbour_gazette.rss")))
    sid = add(db, url)
    run(db, fast_settings)
    second = run(db, fast_settings)
    assert second.new_items == 0 and second.updated_items == 0
    assert len(items(db, sid)) == 3 and article_count(db) == 3


def test_edited_entry_is_updated_not_duplicated(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    body = fixture("harbour_gazette.rss")
    url = server.set("/g.rss", Reply(200, body))
    sid = add(db, url)
    run(db, fast_settings)
    edited = body.replace(b"Lighthouse museum reopens", b"Lighthouse museum reopens its doors")
    server.set("/g.rss", Reply(200, edited))
    report = run(db, fast_settings)
    assert report.new_items == 0 and report.updated_items == 1
    titles = [i.title for i in items(db, sid)]
    assert len(titles) == 3
    assert "Lighthouse museum reopens its doors after roof repairs" in titles


def test_entries_without_guid_link_or_date(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/notes.rss", Reply(200, fixture("no_ids.rss")))
    sid = add(db, url)
    assert run(db, fast_settings).new_items == 3
    assert run(db, fast_settings).new_items == 0
    stored = items(db, sid)
    assert len(stored) == 3
    assert all(i.article_id is not None for i in stored)
    assert any(i.title is None and "Bin collection" in (i.summary or "") for i in stored)


@pytest.mark.parametrize(
    ("name", "title", "text"),
    [
        ("ozyorsk_cp1251.rss", "Новый мост через Сельгу откроют весной", "глава района Пётр Лунин"),
        ("tidewater_utf16.atom", "Café Möwe wins the harbour chowder contest", "Café Möwe’s"),
    ],
)
def test_feeds_in_other_encodings(
    db: Any, server: LocalServer, fast_settings: Settings, name: str, title: str, text: str
) -> None:
    url = server.set("/f", Reply(200, fixture(name), {"Content-Type": "application/xml"}))
    sid = add(db, url)
    assert run(db, fast_settings).new_items == 1
    [item] = items(db, sid)
    assert item.title == title
    assert text in (item.summary or "") + (item.content or "")


def test_summary_only_entries_get_full_text_and_keep_the_summary(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    server.set("/articles/cider-press.html", Reply(200, fixture("cider-press.html")))
    server.set("/private/night-bus.html", Reply(200, fixture("cider-press.html")))
    url = server.set("/courier.atom", Reply(200, fixture("valley_courier.atom", server)))
    sid = add(db, url)
    settings = fast_settings.model_copy(update={"fetch_full_text": True})
    assert run(db, settings).new_items == 2
    by_title = {i.title: i for i in items(db, sid)}
    cider = by_title["Orchard co-operative doubles its cider press"]
    assert cider.full_text == "fetched"
    assert cider.summary == "The Brackenford orchard co-operative has bought a second press."
    with db.connect() as conn:
        body = conn.execute(select(articles.c.body).where(articles.c.id == cider.article_id))
        text = body.scalar_one()
    assert "forty member farms" in text and "Home" not in text
    night = by_title["Night bus trial extended to the upper valley"]
    assert night.full_text == "skipped" and "robots.txt" in night.article_error
    assert server.hits("/private/night-bus.html") == []  # robots.txt was obeyed
    assert night.article_id is not None  # the entry's own text is stored instead


def _states(db: Any, ids: dict[str, int]) -> dict[str, repo.SourceRow]:
    return {name: source(db, sid) for name, sid in ids.items()}


def test_broken_and_hostile_sources_do_not_stop_the_run(
    db: Any, server: LocalServer, fast_settings: Settings, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-LINE")
    bomb = gzip.compress(b"<rss>" + b" " * 30_000_000, compresslevel=9)
    routes: dict[str, Reply] = {
        "/good.rss": Reply(200, fixture("harbour_gazette.rss")),
        "/missing.rss": Reply(404, b"no"),
        "/gone.rss": Reply(410, b"gone"),
        "/broken.rss": Reply(500, b"oops"),
        "/slow.rss": Reply(200, b"<rss/>", delay=1.5),
        "/dropped.rss": Reply(200, fixture("harbour_gazette.rss"), drop_after=300),
        "/huge.rss": Reply(200, b"<rss>" + b"x" * 3_000_000),
        "/bomb.rss": Reply(200, bomb, {"Content-Encoding": "gzip"}),
        "/laughs.rss": Reply(200, fixture("billion_laughs.xml")),
        "/xxe.rss": Reply(200, fixture("xxe.xml", server, secret_path=str(secret))),
        "/loop.rss": Reply(302, b"", {"Location": "/loop.rss"}),
        "/to-metadata.rss": Reply(302, b"", {"Location": "http://169.254.169.254/latest/"}),
        "/html.rss": Reply(200, b"<html><body><p>Not a feed at all</p></body></html>"),
    }
    for path, reply in routes.items():
        server.set(path, reply)
    server.set("/xxe-probe", Reply(200, b"PROBED"))
    settings = fast_settings.model_copy(update={"max_feed_bytes": 2_000_000})
    ids = {path: add(db, server.url(path)) for path in routes}
    # Servers asking for a pause get their own hosts: newsdesk then leaves the whole host alone.
    busy_server, limited_server = LocalServer(), LocalServer()
    ids["/busy.rss"] = add(
        db, busy_server.set("/busy.rss", Reply(503, b"", {"Retry-After": "3600"}))
    )
    ids["/limited.rss"] = add(
        db, limited_server.set("/limited.rss", Reply(429, b"", {"Retry-After": "600"}))
    )
    ids["private"] = add(db, "http://10.0.0.1/feed.xml")
    ids["localhost"] = add(db, f"http://localhost:{server.port}/good.rss")

    try:
        report = run(db, settings)
    finally:
        busy_server.close()
        limited_server.close()
    assert len(report.outcomes) == len(ids), report
    state = _states(db, ids)

    good = state["/good.rss"]
    assert good.last_error is None and len(items(db, ids["/good.rss"])) == 3

    def failed(name: str, words: str) -> repo.SourceRow:
        row = state[name]
        outcome = [o for o in report.outcomes if o.source_id == ids[name]]
        assert row.consecutive_failures == 1, (name, row, outcome)
        assert row.last_error is not None and words in row.last_error, (name, row.last_error)
        return row

    assert not failed("/missing.rss", "HTTP 404").paused
    gone = failed("/gone.rss", "HTTP 410")
    assert gone.paused and "removed" in (gone.pause_reason or "")
    assert not failed("/broken.rss", "HTTP 500").paused
    busy = failed("/busy.rss", "Retry-After 3600")
    assert busy.next_refresh_at is not None
    assert busy.next_refresh_at >= datetime.now(UTC) + timedelta(seconds=3500)
    failed("/limited.rss", "HTTP 429")
    failed("/slow.rss", "sent nothing")
    failed("/dropped.rss", "closed before the whole response")
    failed("/huge.rss", "over the 2,000,000-byte limit")
    failed("/bomb.rss", "inflates to more than")
    failed("/loop.rss", "loop")
    meta = failed("/to-metadata.rss", "cloud metadata")
    assert meta.paused and "SSRF" in (meta.pause_reason or "")
    assert failed("private", "private network").paused
    assert failed("localhost", "loopback").paused
    failed("/html.rss", "")

    # Entities are never expanded: the feed either fails or stores the text without them.
    for name in ("/laughs.rss", "/xxe.rss"):
        for item in items(db, ids[name]):
            stored = f"{item.title} {item.summary} {item.content}"
            assert "lollol" not in stored and "TOPSECRET" not in stored and "PROBED" not in stored
    assert server.hits("/xxe-probe") == []
    assert article_count(db) == 3 + len(items(db, ids["/laughs.rss"])) + len(
        items(db, ids["/xxe.rss"])
    )


def test_failures_pause_after_the_limit_and_resume_by_hand(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/flaky.rss", Reply(500, b"down"))
    sid = add(db, url)
    for expected in (1, 2):
        run(db, fast_settings)
        row = source(db, sid)
        assert row.consecutive_failures == expected and not row.paused
    run(db, fast_settings)
    row = source(db, sid)
    assert row.paused and row.consecutive_failures == 3
    assert "3 failed refreshes in a row" in (row.pause_reason or "")
    assert "HTTP 500" in (row.pause_reason or "")
    assert run(db, fast_settings).outcomes == []  # paused sources are left alone

    server.set("/flaky.rss", Reply(200, fixture("harbour_gazette.rss")))
    with db.begin() as conn:
        repo.set_paused(conn, sid, False, now=datetime.now(UTC))
    assert run(db, fast_settings).new_items == 3
    row = source(db, sid)
    assert not row.paused and row.consecutive_failures == 0 and row.last_error is None


def test_failing_sources_back_off(db: Any, server: LocalServer, fast_settings: Settings) -> None:
    url = server.set("/down.rss", Reply(500, b""))
    sid = add(db, url)
    waits = []
    for _ in range(2):
        before = datetime.now(UTC)
        run(db, fast_settings)
        waits.append((source(db, sid).next_refresh_at - before).total_seconds())
    assert waits[1] > waits[0] * 1.5


@pytest.mark.parametrize(("status", "moves"), [(301, True), (308, True), (302, False)])
def test_permanent_redirect_updates_the_source_url(
    db: Any, server: LocalServer, fast_settings: Settings, status: int, moves: bool
) -> None:
    server.set("/new.rss", Reply(200, fixture("harbour_gazette.rss")))
    old = server.set("/old.rss", Reply(status, b"", {"Location": "/new.rss"}))
    sid = add(db, old)
    assert run(db, fast_settings).new_items == 3
    assert source(db, sid).url == (server.url("/new.rss") if moves else old)
    assert run(db, fast_settings).new_items == 0
    assert len(items(db, sid)) == 3


def test_only_due_sources_are_refreshed(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/g.rss", Reply(200, fixture("harbour_gazette.rss")))
    add(db, url)
    assert len(refresh(db, fast_settings).outcomes) == 1
    assert refresh(db, fast_settings).outcomes == []  # scheduled for later
    assert len(server.hits("/g.rss")) == 1


def test_retry_after_defers_the_rest_of_the_host(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    settings = fast_settings.model_copy(update={"per_host_concurrency": 1})
    first = add(db, server.set("/a.rss", Reply(429, b"", {"Retry-After": "900"})))
    second = add(db, server.set("/b.rss", Reply(200, fixture("harbour_gazette.rss"))))
    report = run(db, settings)
    statuses = {o.source_id: o.status for o in report.outcomes}
    assert statuses == {first: "failed", second: "deferred"}
    assert server.hits("/b.rss") == []  # never sent while the host asked for a pause
    deferred = source(db, second)
    assert deferred.consecutive_failures == 0 and deferred.last_error is None
    assert deferred.next_refresh_at is not None
    assert deferred.next_refresh_at >= datetime.now(UTC) + timedelta(seconds=800)


def test_nul_characters_are_dropped_not_fatal(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    """PostgreSQL refuses NUL in text; a JSON Feed can carry one. The entry is kept without it."""
    import json

    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Null Harbour Bulletin",
        "items": [
            {
                "id": "nb-1\u0000",
                "url": "https://null-harbour.example/1",
                "title": "Pier\u0000 lights repaired",
                "content_html": "<p>The pier lights\u0000 work again after the storm.</p>",
            },
            {
                "id": "nb-2",
                "url": "https://null-harbour.example/2",
                "title": "Tide tables printed",
                "content_text": "The harbour office has printed next year's tide tables.",
            },
        ],
    }
    body = json.dumps(feed).encode()
    url = server.set("/feed.json", Reply(200, body, {"Content-Type": "application/feed+json"}))
    sid = add(db, url)
    report = run(db, fast_settings)
    assert report.new_items == 2 and not report.failed
    titles = sorted(i.title for i in items(db, sid))
    assert titles == ["Pier lights repaired", "Tide tables printed"]
    assert all(i.article_id is not None for i in items(db, sid))
    assert run(db, fast_settings).new_items == 0
