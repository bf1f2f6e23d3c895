"""Story grouping as its own job: understanding then grouping, as the workers split them,
gives the stories the one-step runner gives, and two groupers at once place each article once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from newsdesk.config import Settings
from newsdesk.jobs.enrichment import enrich_batch, enrich_pending, waiting, waiting_grouping
from newsdesk.jobs.grouping import group_batch
from newsdesk.jobs.refresh import refresh_source
from newsdesk.store import sources as repo
from newsdesk.store.db import open_database
from newsdesk.store.tables import articles, story_members
from tests.sources.local_server import LocalServer, Reply
from tests.workers.corpus import feeds


def _corpus(db: Any, server: LocalServer) -> None:
    """The same articles under the same ids in each database: one source after the other."""
    with db.begin() as conn:
        ids = [
            repo.add_source(conn, server.set(path, Reply(200, body)), now=datetime.now(UTC))[0]
            for path, body in sorted(feeds(count=3, per_feed=4).items())
        ]
    for source_id in ids:
        refresh_source(source_id, db=db)


def _stories(db: Any) -> list[list[str]]:
    with db.connect() as conn:
        urls = dict(conn.execute(select(articles.c.id, articles.c.url)).all())
        members = conn.execute(select(story_members.c.story_id, story_members.c.article_id)).all()
    stories: dict[int, set[str]] = {}
    for story_id, article_id in members:
        stories.setdefault(story_id, set()).add(urls[article_id])
    return sorted(sorted(s) for s in stories.values())


def _members(db: Any) -> tuple[int, int]:
    with db.connect() as conn:
        query = select(func.count(), func.count(story_members.c.article_id.distinct()))
        total, distinct = conn.execute(query.select_from(story_members)).one()
    return int(total), int(distinct)


def test_understanding_then_two_groupers_at_once_give_the_one_step_stories(
    db: Any, server: LocalServer, fast_settings: Settings, tmp_path: Path
) -> None:
    # The one-step runner (in-process mode), on a database of its own.
    local = open_database(url=f"sqlite:///{tmp_path / 'one-step.db'}")
    _corpus(local, server)
    enrich_pending(local)
    expected = _stories(local)
    assert len(expected) < 12  # several outlets report each event: stories form

    _corpus(db, server)
    report = enrich_batch(100, db=db, group_later=True)
    assert report.enriched == 12
    # Understood, not grouped: the articles wait for the grouping job, never for understanding.
    assert _members(db) == (0, 0)
    assert waiting(db) == waiting_grouping(db) == 12
    assert enrich_batch(100, db=db, group_later=True).enriched == 0

    def drain() -> int:
        grouped = 0
        while (n := group_batch(3, db=db).grouped) > 0:
            grouped += n
        return grouped

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(drain) for _ in range(2)]
        grouped = [f.result() for f in done]
    assert sum(grouped) == 12
    assert _members(db) == (12, 12)  # each article in one story, once
    assert waiting(db) == waiting_grouping(db) == 0
    assert _stories(db) == expected
    assert group_batch(db=db).grouped == 0  # done again: changes nothing
    assert _stories(db) == expected
