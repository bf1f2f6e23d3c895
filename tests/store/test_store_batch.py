"""The batch door ``store_articles``: the same rules as ``store_article``, many at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from newsdesk.jobs import pipeline
from newsdesk.jobs.pipeline import IngestContext, store_article, store_articles
from newsdesk.models import Article
from newsdesk.store import articles as repo
from newsdesk.store import pending
from newsdesk.store.tables import articles, outlets, pending_enrichment

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
#: What the recording enricher saw, in order: (article id, title).
SEEN: list[tuple[int, str]] = []


def record(ctx: IngestContext) -> None:
    """An enricher registered as a callable like the real ones; fails on a title that asks it to."""
    if "refuse" in ctx.article.title:
        raise RuntimeError("the enricher refused this article")
    SEEN.append((ctx.article_id, ctx.article.title))


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    SEEN.clear()
    monkeypatch.setattr(pipeline, "ENRICHERS", (record,))
    return SEEN


def _article(n: int, **changes: Any) -> Article:
    base = Article(
        title=f"Quarry council vote number {n} on the night bus",
        paragraphs=(
            f"The county board met for the {n}th time to weigh the night bus to the quarry.",
            f"Councillor Edda Vranken said item {n} would go to a vote in spring.",
        ),
        url=f"https://quarry-courier.example/news/{n}?ref=feed",
        canonical_url=f"https://quarry-courier.example/news/{n}",
        authors=("Ruth Aldane",),
        outlet="The Quarry Courier",
        published=datetime(2026, 11, 29, 8, n % 60, tzinfo=UTC),
        language="en",
        extraction_method="feed",
    )
    return replace(base, **changes)


def test_batch_stores_in_order_and_finds_duplicates_within_and_against_the_store(
    db: Any, recording: list[tuple[int, str]]
) -> None:
    with db.begin() as conn:
        stored_before = store_article(conn, _article(1), now=NOW)
    recording.clear()
    batch = [
        _article(2),
        _article(1, paragraphs=("An edited first paragraph of item one.",)),  # URL in the store
        _article(3),
        _article(2, paragraphs=("Another text at the same address as item two.",)),  # URL, batch
        _article(3, canonical_url="https://mirror.example/3", url=None),  # content of item 3
        _article(1, canonical_url="https://mirror.example/1", url=None),  # content in the store
        _article(4, canonical_url=None, url=None),
    ]
    with db.begin() as conn:
        outcomes = store_articles(conn, batch, now=NOW, source_id=None)
    assert [o.status for o in outcomes] == [
        "stored",
        "duplicate",
        "stored",
        "duplicate",
        "duplicate",
        "duplicate",
        "stored",
    ]
    assert [o.reason for o in outcomes] == [
        None,
        "same canonical URL",
        None,
        "same canonical URL",
        "same content",
        "same content",
        None,
    ]
    two, three, four = outcomes[0].article_id, outcomes[2].article_id, outcomes[6].article_id
    assert outcomes[1].article_id == outcomes[5].article_id == stored_before.article_id
    assert outcomes[3].article_id == two and outcomes[4].article_id == three
    assert len({two, three, four, stored_before.article_id}) == 4
    # The enrichers ran once per new article, in the batch's order, on the right ids.
    assert recording == [(two, batch[0].title), (three, batch[2].title), (four, batch[6].title)]
    with db.connect() as conn:
        assert repo.count_articles(conn) == 4
        for article_id, original in ((two, batch[0]), (three, batch[2]), (four, batch[6])):
            _, back, fetched = repo.get_article(conn, article_id)
            assert back == original and fetched == NOW
        # One outlet for the domain (shared by the batch), one known by name only (no URL).
        assert conn.scalar(select(func.count()).select_from(outlets)) == 2


def test_one_by_one_and_batch_give_the_same_outcomes(db: Any) -> None:
    items = [_article(n) for n in (5, 6, 5, 7)] + [_article(8, canonical_url=None, url=None)]
    with db.begin() as conn:
        batch = store_articles(conn, items, now=NOW, enrich=False)
    with db.begin() as conn:
        again = [store_article(conn, a, now=NOW, enrich=False) for a in items]
    assert [o.status for o in batch] == ["stored", "stored", "duplicate", "stored", "stored"]
    assert [o.article_id for o in again] == [o.article_id for o in batch]
    assert all(o.status == "duplicate" for o in again)
    assert store_articles.__module__ == "newsdesk.jobs.pipeline"
    with db.begin() as conn:
        assert store_articles(conn, [], now=NOW) == []


def test_a_failing_enricher_rolls_the_whole_batch_back(
    db: Any, recording: list[tuple[int, str]]
) -> None:
    batch = [_article(10), _article(11, title="Please refuse this one"), _article(12)]
    with pytest.raises(RuntimeError, match="refused"), db.begin() as conn:
        store_articles(conn, batch, now=NOW)
    with db.connect() as conn:
        assert repo.count_articles(conn) == 0
        assert conn.scalar(select(func.count()).select_from(outlets)) == 0
    with db.begin() as conn:
        outcomes = store_articles(conn, [batch[0], batch[2]], now=NOW)
    assert [o.status for o in outcomes] == ["stored", "stored"]


def test_later_queues_the_new_articles_without_running_the_enrichers(
    db: Any, recording: list[tuple[int, str]]
) -> None:
    with db.begin() as conn:
        outcomes = store_articles(
            conn, [_article(20), _article(21), _article(20)], now=NOW, enrich="later"
        )
    assert recording == []
    with db.connect() as conn:
        queued = conn.scalars(select(pending_enrichment.c.article_id)).all()
        assert sorted(queued) == sorted({o.article_id for o in outcomes})
        assert pending.count(conn) == {"waiting": 2, "given_up": 0}
        assert conn.scalar(select(func.count()).select_from(articles)) == 2


def test_large_batches_span_several_queries(db: Any) -> None:
    many = [_article(n, title=f"Harbour item {n}") for n in range(1000, 1950)]
    with db.begin() as conn:
        first = store_articles(conn, many, now=NOW, enrich=False)
        second = store_articles(conn, many, now=NOW, enrich=False)
    assert [o.status for o in first] == ["stored"] * len(many)
    assert len({o.article_id for o in first}) == len(many)
    assert [o.article_id for o in second] == [o.article_id for o in first]
    assert {o.reason for o in second} == {"same canonical URL"}
    with db.connect() as conn:
        back = repo.get_articles(conn, [first[900].article_id, first[3].article_id, 10**9])
    assert [a.title for _, a, _ in back] == ["Harbour item 1900", "Harbour item 1003"]
