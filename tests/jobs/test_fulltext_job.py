"""Full text as its own job: a refresh that leaves the pages to full-text jobs stores the
articles the one-step refresh stores, and a job done twice changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsdesk.config import Settings
from newsdesk.jobs.enrichment import waiting
from newsdesk.jobs.fulltext import fetch_full_text
from newsdesk.jobs.refresh import refresh_source
from newsdesk.store import sources as repo
from newsdesk.store.db import open_database
from newsdesk.store.tables import articles, feed_items
from tests.sources.local_server import LocalServer, Reply
from tests.sources.test_refresh import add, fixture


def _serve(server: LocalServer) -> str:
    server.set("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    server.set("/articles/cider-press.html", Reply(200, fixture("cider-press.html")))
    server.set("/private/night-bus.html", Reply(200, fixture("cider-press.html")))
    return server.set("/courier.atom", Reply(200, fixture("valley_courier.atom", server)))


def _stored(db: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with db.connect() as conn:
        arts = conn.execute(
            select(articles.c.url, articles.c.title, articles.c.body, articles.c.description)
        ).all()
        entries = conn.execute(
            select(feed_items.c.title, feed_items.c.full_text, feed_items.c.article_error)
        ).all()
    return sorted(tuple(a) for a in arts), sorted(tuple(e) for e in entries)


def test_full_text_jobs_store_what_the_one_step_refresh_stores(
    db: Any, server: LocalServer, fast_settings: Settings, tmp_path: Path
) -> None:
    settings = fast_settings.model_copy(update={"fetch_full_text": True})
    url = _serve(server)
    one_step = open_database(url=f"sqlite:///{tmp_path / 'one-step.db'}")
    refresh_source(add(one_step, url), db=one_step, settings=settings)
    expected = _stored(one_step)
    assert {e[1] for e in expected[1]} == {"fetched", "skipped"}

    page_hits = len(server.hits("/articles/cider-press.html"))
    source_id = add(db, url)
    outcome = refresh_source(source_id, db=db, settings=settings, defer_full_text=True)
    assert outcome.new_items == 2
    with db.connect() as conn:
        queued = repo.queued_full_text(conn, source_id)
    # The refresh fetched no page and stored no article: both entries wait for their jobs.
    assert len(queued) == 2 and _stored(db)[0] == []
    assert len(server.hits("/articles/cider-press.html")) == page_hits
    done = [fetch_full_text(item_id, db=db, settings=settings) for item_id in queued]
    assert all(d.done and d.article_id is not None for d in done)
    assert _stored(db) == expected
    assert waiting(db) == 2  # queued for the enrichers, as a refresh queues its articles
    # Done again (a redelivered or duplicated job): nothing changes, nothing is fetched.
    hits = len(server.hits("/articles/cider-press.html"))
    again = [fetch_full_text(item_id, db=db, settings=settings) for item_id in queued]
    assert [a.done for a in again] == [False, False]
    assert len(server.hits("/articles/cider-press.html")) == hits
    assert _stored(db) == expected and waiting(db) == 2
    with db.connect() as conn:
        assert repo.queued_full_text(conn, source_id) == []
