"""Refresh stores without waiting on the enrichers; the queue is then enriched, once each."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from newsdesk.config import Settings
from newsdesk.jobs.enrichment import enrich_pending, waiting
from newsdesk.jobs.refresh import refresh
from newsdesk.store import sources as repo
from newsdesk.store.tables import article_entities, article_summaries, articles, story_members
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()


def _count(db: Any, table: Any, column: Any = None) -> int:
    query = select(func.count(func.distinct(column)) if column is not None else func.count())
    with db.connect() as conn:
        return int(conn.scalar(query.select_from(table)) or 0)


def test_refresh_queues_articles_and_enrichment_runs_the_real_enrichers_once(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/gazette.rss", Reply(200, GAZETTE))
    with db.begin() as conn:
        repo.add_source(conn, url, now=datetime.now(UTC))
    report = refresh(db, fast_settings)
    assert report.new_items == 3
    # Stored and queued, not yet understood nor in a story.
    assert _count(db, articles) == 3 and waiting(db) == 3
    assert _count(db, article_summaries) == 0 and _count(db, story_members) == 0

    batches: list[int] = []
    done = enrich_pending(db, batch_size=2, on_batch=batches.append)
    assert done.to_dict() == {"enriched": 3, "failed": 0} and batches == [2, 1]
    assert waiting(db) == 0
    assert _count(db, article_summaries) == 3
    assert _count(db, story_members) == 3
    assert _count(db, article_entities, article_entities.c.article_id) >= 2  # names were found

    # A second refresh (nothing new) and a second run store and enrich nothing more.
    assert refresh(db, fast_settings, force=True).new_items == 0
    assert enrich_pending(db).to_dict() == {"enriched": 0, "failed": 0}
    assert _count(db, story_members) == 3 and _count(db, article_summaries) == 3


def test_refresh_cli_enriches_at_the_end_unless_told_not_to(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/gazette.rss", Reply(200, GAZETTE))
    assert cli("sources", "add", url).code == 0
    result = cli("refresh", "--no-enrich", "--format", "json")
    assert result.code == 0, result
    assert result.json()["new_items"] == 3 and "enrichment" not in result.json()
    assert waiting(db) == 3 and _count(db, story_members) == 0

    second = cli("refresh", "--all", "--format", "json")
    assert second.code == 0, second
    assert second.json()["enrichment"] == {"enriched": 3, "failed": 0}
    assert waiting(db) == 0 and _count(db, story_members) == 3


def test_serve_once_refreshes_then_enriches(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/gazette.rss", Reply(200, GAZETTE))
    assert cli("sources", "add", url).code == 0
    result = cli("serve", "--once")
    assert result.code == 0, result
    assert waiting(db) == 0 and _count(db, story_members) == 3


def test_the_background_step_enriches_what_a_refresh_queued(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    import threading

    from newsdesk.jobs.enrichment import run_enrichment_loop

    url = server.set("/gazette.rss", Reply(200, GAZETTE))
    with db.begin() as conn:
        repo.add_source(conn, url, now=datetime.now(UTC))
    assert refresh(db, fast_settings).new_items == 3 and waiting(db) == 3
    stop = threading.Event()
    worker = threading.Thread(target=run_enrichment_loop, args=(db, stop), kwargs={"idle": 0.05})
    worker.start()
    try:
        for _ in range(600):  # up to a minute on a busy machine; usually a few seconds
            if waiting(db) == 0:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        worker.join()
    assert waiting(db) == 0 and _count(db, story_members) == 3
