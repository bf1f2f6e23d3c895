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

    Goes straight to the driver (one prepared INSERT, pre-serialised JSON):
    through SQLAlchemy's type processing 100,000 rows take several times longer.
    Returns their ids in arrival order.
    """
    import json

    from sqlalchemy import func, select

    from newsdesk.store.tables import articles

    names = ", ".join(_ARTICLE_COLUMNS)
    with db.begin() as conn:
        pg = conn.dialect.name == "postgresql"
        marks = ", ".join(["%s"] * len(_ARTICLE_COLUMNS) if pg else ["?"] * len(_ARTICLE_COLUMNS))
        by_name = json.dumps(list(authors))
        rows = []
        for i in range(count):
            when = start + i * step
            stamp = when if pg else when.strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append(
                (
                    f"https://{tag}.example/{i}",
                    f"{tag}-{source_id}-{i}-{when.timestamp()}",
                    f"Harbour note {tag} {i}",
                    False,
                    by_name,
                    "[]",
                    "[]",
                    source_id,
                    stamp,
                    stamp,
                    "en",
                    '["A short fictional note."]',
                    "A short fictional note.",
                    4,
                    "test",
                    "[]",
                    stamp,
                )
            )
        first = int(conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one())
        conn.exec_driver_sql(f"INSERT INTO articles ({names}) VALUES ({marks})", rows)
        ids = conn.execute(
            select(articles.c.id).where(articles.c.id > first).order_by(articles.c.id)
        ).scalars()
        return [int(i) for i in ids]


_ARTICLE_COLUMNS = (
    "url",
    "content_hash",
    "title",
    "title_generated",
    "authors",
    "contributors",
    "credits",
    "source_id",
    "published_at",
    "fetched_at",
    "language",
    "paragraphs",
    "body",
    "word_count",
    "extraction_method",
    "warnings",
    "created_at",
)


def add_story(db, key: str, article_ids: Sequence[int]) -> int:
    from newsdesk.store.tables import stories

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
        pg = conn.dialect.name == "postgresql"
        stamp = T0 if pg else T0.strftime("%Y-%m-%d %H:%M:%S.%f")
        mark = "%s" if pg else "?"
        conn.exec_driver_sql(
            "INSERT INTO story_members (article_id, story_id, published_at, headline, summary, "
            "terms, entities, topics, signature, confidence, added_at) VALUES ("
            + ", ".join([mark] * 11)
            + ")",
            [
                (aid, story_id, stamp, "h", "", "{}", "[]", "[]", "[]", 0.0, stamp)
                for aid in article_ids
            ],
        )
    return story_id
