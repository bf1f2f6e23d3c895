"""Fast fictional rows for read-state tests: sources, articles (executemany), stories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def add_source(db, url: str, *, title: str, tags: Sequence[str] = ()) -> int:
    from newsdesk.store.tables import sources

    with db.begin() as conn:
        key = conn.execute(
            sources.insert().values(
                url=url, kind="feed", title=title, tags=list(tags), created_at=T0, updated_at=T0
            )
        ).inserted_primary_key
    return int(key[0])


def add_articles(
    db,
    count: int,
    *,
    source_id: int | None,
    authors: Sequence[str] = (),
    start: datetime = T0,
    step: timedelta = timedelta(minutes=1),
    tag: str = "a",
) -> list[int]:
    """Insert ``count`` articles in one executemany; arrival times ``start + i*step``.

    Returns their ids in arrival order.
    """
    from sqlalchemy import func, select

    from newsdesk.store.tables import articles

    rows = []
    for i in range(count):
        when = start + i * step
        rows.append(
            {
                "canonical_url": None,
                "url": f"https://{tag}.example/{i}",
                "content_hash": f"{tag}-{source_id}-{i}-{when.timestamp()}",
                "title": f"Harbour note {tag} {i}",
                "title_generated": False,
                "authors": list(authors),
                "contributors": [],
                "credits": [],
                "outlet_id": None,
                "source_id": source_id,
                "published_at": when,
                "fetched_at": when,
                "language": "en",
                "description": None,
                "paragraphs": ["A short fictional note."],
                "body": "A short fictional note.",
                "word_count": 4,
                "extraction_method": "test",
                "warnings": [],
                "created_at": when,
            }
        )
    with db.begin() as conn:
        first = int(conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one())
        conn.execute(articles.insert(), rows)
        ids = conn.execute(
            select(articles.c.id).where(articles.c.id > first).order_by(articles.c.id)
        ).scalars()
        return [int(i) for i in ids]


def add_story(db, key: str, article_ids: Sequence[int]) -> int:
    from newsdesk.store.tables import stories, story_members

    with db.begin() as conn:
        story_id = int(
            conn.execute(
                stories.insert().values(
                    key=key,
                    status="open",
                    headline=f"Story {key}",
                    first_seen=T0,
                    last_seen=T0,
                    size=len(article_ids),
                    words=0,
                    outlet_count=1,
                    importance=0.0,
                    created_at=T0,
                    updated_at=T0,
                )
            ).inserted_primary_key[0]
        )
        conn.execute(
            story_members.insert(),
            [
                {
                    "article_id": aid,
                    "story_id": story_id,
                    "published_at": T0,
                    "headline": "h",
                    "added_at": T0,
                }
                for aid in article_ids
            ],
        )
    return story_id
