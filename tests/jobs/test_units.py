"""The job units take plain ids, can run in any thread, and running one twice changes nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from newsdesk.config import Settings
from newsdesk.errors import NotFoundError
from newsdesk.jobs.enrichment import enrich_batch, waiting
from newsdesk.jobs.refresh import refresh_due, refresh_source
from newsdesk.store import sources as repo
from newsdesk.store.tables import articles, story_members
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()


def _count(db: Any, table: Any) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def _add(db: Any, url: str) -> int:
    with db.begin() as conn:
        source_id, _ = repo.add_source(conn, url, now=datetime.now(UTC))
    return source_id


def test_refresh_source_twice_from_a_thread_stores_once(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    source_id = _add(db, server.set("/gazette.rss", Reply(200, GAZETTE)))
    with ThreadPoolExecutor(max_workers=1) as pool:  # as a worker thread would run it
        first = pool.submit(refresh_source, source_id).result()
    second = refresh_source(source_id, db=db)
    assert (first.source_id, first.status, first.new_items) == (source_id, "new", 3)
    assert second.new_items == 0 and second.status == "unchanged"
    assert _count(db, articles) == 3 and waiting(db) == 3


def test_refresh_source_with_an_unknown_id_is_our_error(db: Any, fast_settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        refresh_source(4040, db=db)


def test_refresh_due_then_enrich_batch_drain_the_queue_once(
    db: Any, server: LocalServer, fast_settings: Settings
) -> None:
    _add(db, server.set("/gazette.rss", Reply(200, GAZETTE)))
    assert refresh_due(db=db).new_items == 3
    assert refresh_due(db=db).outcomes == []  # nothing is due any more
    assert enrich_batch(2, db=db).to_dict() == {"enriched": 2, "failed": 0}
    assert enrich_batch(2, db=db).to_dict() == {"enriched": 1, "failed": 0}
    assert enrich_batch(2, db=db).to_dict() == {"enriched": 0, "failed": 0}
    assert waiting(db) == 0 and _count(db, story_members) == 3
