"""The store's side of For you: the stories and articles a user's follows reach.

All reads are bounded: the time window (``since``), a page of articles per
follow (``follow_reads``), a fixed number of top stories by importance, and
members only of the stories the follow stage decided to look at. Ranking is
the follow stage's decision (``newsdesk.follow.for_you``); nothing here scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select

from newsdesk.store import follow_targets as targets
from newsdesk.store.records import ArticleCard, Follow, StorySummary
from newsdesk.store.tables import articles
from newsdesk.store.tables.accounts import article_authors
from newsdesk.store.tables.stories import stories, story_members
from newsdesk.store.tables.understanding import article_entities, article_topics, topics


def top_story_ids(conn: Connection, *, since: datetime, limit: int) -> list[int]:
    """The ``limit`` most important stories seen since ``since`` (merged ones left out)."""
    rows = conn.execute(
        select(stories.c.id)
        .where(stories.c.last_seen >= since, stories.c.status != "merged")
        .order_by(stories.c.importance.desc())
        .limit(limit)
    )
    return [int(r.id) for r in rows]


def story_summaries(
    conn: Connection, story_ids: Sequence[int], *, since: datetime
) -> dict[int, StorySummary]:
    """What the stories table says about each of ``story_ids`` still seen since ``since``."""
    if not story_ids:
        return {}
    rows = conn.execute(
        select(
            stories.c.id,
            stories.c.headline,
            stories.c.importance,
            stories.c.outlet_count,
            stories.c.last_seen,
        ).where(
            targets.id_in(stories.c.id, list(story_ids), conn.dialect.name),
            stories.c.last_seen >= since,
        )
    )
    return {
        int(r.id): StorySummary(
            id=int(r.id),
            headline=str(r.headline),
            importance=float(r.importance or 0.0),
            outlet_count=int(r.outlet_count or 0),
            last_seen=r.last_seen,
        )
        for r in rows
    }


def story_member_cards(
    conn: Connection, story_ids: Sequence[int], *, since: datetime
) -> tuple[dict[int, ArticleCard], dict[int, list[int]]]:
    """Light cards (from ``story_members`` alone) of the stories' recent articles, and the
    article ids of each story. The follow stage swaps in full cards for what it shows."""
    cards: dict[int, ArticleCard] = {}
    members: dict[int, list[int]] = {}
    if not story_ids:
        return cards, members
    for r in conn.execute(
        select(
            story_members.c.article_id,
            story_members.c.story_id,
            story_members.c.published_at,
            story_members.c.outlet,
            story_members.c.headline,
        ).where(
            targets.id_in(story_members.c.story_id, list(story_ids), conn.dialect.name),
            story_members.c.published_at >= since,
        )
    ):
        cards[int(r.article_id)] = ArticleCard(
            id=int(r.article_id),
            title=r.headline,
            url=None,
            outlet_id=None,
            outlet=r.outlet,
            authors=(),
            published_at=r.published_at,
            fetched_at=r.published_at,
            story_id=int(r.story_id),
        )
        members.setdefault(int(r.story_id), []).append(int(r.article_id))
    return cards, members


def follows_reaching(
    conn: Connection,
    follow_list: Sequence[Follow],
    article_ids: Sequence[int],
    *,
    stories: dict[int, int] | None = None,
) -> dict[int, list[str]]:
    """Labels of the follows that reach each of ``article_ids`` (exact, for the shown entries).

    Ranking matches stories through each follow's newest articles only; the
    entries finally shown get their "you follow ..." reasons from this full
    check. It reads what each shown article is (its authors, entities, topics,
    outlet, source, story) by article id, a few index lookups per article
    however popular the followed things are, and matches that against the follows.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    dialect = conn.dialect.name
    reached: dict[tuple[str, str], set[int]] = {}
    followed = {(f.kind, f.target) for f in follow_list}

    def add(kind: str, target: object, article_id: int) -> None:
        key = (kind, str(target))
        if key in followed:
            reached.setdefault(key, set()).add(int(article_id))

    for r in conn.execute(
        select(article_authors.c.article_id, article_authors.c.author_key).where(
            targets.id_in(article_authors.c.article_id, ids, dialect)
        )
    ):
        add("author", r.author_key, r.article_id)
    for r in conn.execute(
        select(article_entities.c.article_id, article_entities.c.entity_id).where(
            targets.id_in(article_entities.c.article_id, ids, dialect)
        )
    ):
        for kind in ("person", "org", "place"):  # entity ids are unique across kinds
            add(kind, r.entity_id, r.article_id)
    for r in conn.execute(
        select(article_topics.c.article_id, topics.c.key)
        .join(topics, topics.c.id == article_topics.c.topic_id)
        .where(targets.id_in(article_topics.c.article_id, ids, dialect))
    ):
        add("topic", r.key, r.article_id)
    for r in conn.execute(
        select(articles.c.id, articles.c.outlet_id, articles.c.source_id).where(
            targets.id_in(articles.c.id, ids, dialect)
        )
    ):
        add("outlet", r.outlet_id, r.id)
        add("source", r.source_id, r.id)
    known = stories if stories is not None else targets.story_of(conn, ids)
    for article_id, story_id in known.items():
        add("story", story_id, article_id)
    found: dict[int, list[str]] = {}
    for follow in follow_list:
        for article_id in reached.get((follow.kind, follow.target), ()):
            found.setdefault(article_id, []).append(follow.label)
    return found
