"""Deferred enrichment: claims, exactly-once writes, failures kept, overlapping runners."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from newsdesk.jobs import enrichment, pipeline
from newsdesk.jobs.enrichers.stories import assign_article
from newsdesk.jobs.pipeline import IngestContext, store_articles
from newsdesk.store import pending
from newsdesk.store.tables import pending_enrichment, story_members
from tests.store.test_store_batch import _article

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FAILING: set[str] = set()


def refuse_some(ctx: IngestContext) -> None:
    """An enricher that fails on the titles the test names (after the stories enricher)."""
    if ctx.article.title in FAILING:
        raise ValueError(f"cannot enrich {ctx.article.title!r}")


@pytest.fixture(autouse=True)
def stories_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real stories enricher (no spaCy: these tests are about the queue, not the NLP)."""
    FAILING.clear()
    monkeypatch.setattr(pipeline, "ENRICHERS", (assign_article, refuse_some))


def _queue(db: Any, numbers: range) -> list[int]:
    with db.begin() as conn:
        outcomes = store_articles(conn, [_article(n) for n in numbers], now=NOW, enrich="later")
    return [o.article_id for o in outcomes]


def _members(db: Any) -> dict[int, int]:
    query = select(story_members.c.article_id, func.count()).group_by(story_members.c.article_id)
    with db.connect() as conn:
        return {int(a): int(n) for a, n in conn.execute(query)}


def _claim(db: Any, token: str, *, limit: int, now: datetime = NOW) -> list[int]:
    with db.begin() as conn:
        return pending.claim(
            conn, token, limit=limit, now=now, stale_before=now - enrichment.STALE_AFTER
        )


def test_claims_never_overlap_and_finish_needs_the_claim(db: Any) -> None:
    ids = _queue(db, range(1, 6))
    first = _claim(db, "runner-a", limit=3)
    second = _claim(db, "runner-b", limit=3)
    assert first == ids[:3] and second == ids[3:]
    assert _claim(db, "runner-c", limit=3) == []
    with db.begin() as conn:
        assert pending.finish(conn, first, "runner-b") == 0  # not b's rows
        assert pending.finish(conn, first, "runner-a") == 3
        assert pending.count(conn) == {"waiting": 2, "given_up": 0}


def test_every_queued_article_is_enriched_once_in_article_order(db: Any) -> None:
    ids = _queue(db, range(1, 8))
    seen: list[int] = []
    report = enrichment.enrich_pending(db, batch_size=3, on_batch=seen.append)
    assert report.to_dict() == {"enriched": 7, "failed": 0}
    assert seen == [3, 3, 1]
    assert _members(db) == {i: 1 for i in ids}
    assert enrichment.waiting(db) == 0
    assert enrichment.enrich_pending(db).to_dict() == {"enriched": 0, "failed": 0}
    assert _members(db) == {i: 1 for i in ids}


def test_a_stale_claim_is_taken_over_and_the_slow_runner_writes_nothing(db: Any) -> None:
    ids = _queue(db, range(1, 4))
    slow = uuid.uuid4().hex
    assert _claim(db, slow, limit=10) == ids
    # The slow runner stalls past STALE_AFTER; another runner takes the rows over.
    later = NOW + enrichment.STALE_AFTER + timedelta(minutes=1)
    taken = enrichment.enrich_pending(db, now=lambda: later)
    assert taken.enriched == 3
    # The slow runner wakes up and finishes its work: its writes must not land.
    assert enrichment.enrich_claimed(db, slow, ids, now=NOW).to_dict() == {
        "enriched": 0,
        "failed": 0,
    }
    assert _members(db) == {i: 1 for i in ids}


def test_a_failing_article_costs_only_itself_and_keeps_its_error(db: Any) -> None:
    ids = _queue(db, range(1, 5))
    FAILING.add(_article(2).title)
    report = enrichment.enrich_pending(db, batch_size=10, now=lambda: NOW)
    assert report.to_dict() == {"enriched": 3, "failed": 1}
    assert set(_members(db)) == {ids[0], ids[2], ids[3]}
    with db.connect() as conn:
        row = conn.execute(select(pending_enrichment)).one()
    assert row.article_id == ids[1] and "cannot enrich" in row.last_error
    # Put aside: not retried at once, but on a run after the stale time, and after
    # MAX_ATTEMPTS left aside for good, with its reason.
    again = enrichment.enrich_pending(db, now=lambda: NOW + timedelta(minutes=1))
    assert again.to_dict() == {"enriched": 0, "failed": 0}
    step = enrichment.STALE_AFTER + timedelta(minutes=1)
    for n in range(1, pending.MAX_ATTEMPTS + 1):
        retried = enrichment.enrich_pending(db, now=lambda n=n: NOW + n * step)
        assert retried.failed == (1 if n < pending.MAX_ATTEMPTS else 0)
    with db.connect() as conn:
        assert pending.count(conn) == {"waiting": 0, "given_up": 1}
        assert conn.execute(select(pending_enrichment.c.attempts)).scalar_one() == 3
    FAILING.clear()
    much_later = NOW + 10 * step
    assert enrichment.enrich_pending(db, now=lambda: much_later).enriched == 0
