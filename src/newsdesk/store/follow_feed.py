"""Gathering For-you candidates: the stories a user's follows reach, and the most important ones.

All reads are bounded: the time window (a floor article id), a page of
articles per follow, a fixed number of top stories by importance. Mutes are
applied here, before ranking: an outlet, source or author mute removes those
articles; a topic, person, organisation or place mute removes the whole story.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from newsdesk.follow.feed import StoryCandidate, score_parts
from newsdesk.follow.models import ArticleCard, Follow
from newsdesk.store import follow_targets as targets
from newsdesk.store import follows as store
from newsdesk.store.tables.stories import stories, story_members

TOP_STORIES = 30
PER_FOLLOW = 6
STORY_LEVEL_MUTES = ("topic", "person", "org", "place")


def _reached(conn: Connection, kind: str, target: str, ids: list[int]) -> set[int]:
    """Which of ``ids`` a mute reaches: one range scan of the muted target, no long IN list."""
    if not ids:
        return set()
    sql = targets.target_sql(kind, "m")
    if sql is None:
        return set()
    rows = conn.execute(
        store._text(
            sql + " AND " + ("id" if kind in ("outlet", "source") else "article_id") + " <= :hi"
        ),
        {"mt": targets.target_value(kind, target), "ma": min(ids) - 1, "hi": max(ids)},
    )
    wanted = set(ids)
    return {int(r[0]) for r in rows} & wanted


def follows_reaching(
    conn: Connection,
    follow_list: list[Any],
    article_ids: list[int],
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
    from newsdesk.store.tables import articles
    from newsdesk.store.tables.accounts import article_authors
    from newsdesk.store.tables.understanding import article_entities, article_topics, topics

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


def _light_card(row: Any) -> ArticleCard:
    """A card from the stories table alone; ``load_feed`` swaps in full cards for what it shows."""
    return ArticleCard(
        id=int(row.article_id),
        title=row.headline,
        url=None,
        outlet_id=None,
        outlet=row.outlet,
        authors=(),
        published_at=row.published_at,
        fetched_at=row.published_at,
        story_id=int(row.story_id),
    )


def _most_promising(
    story_rows: dict[int, Any],
    story_of: dict[int, int],
    labels: dict[int, list[str]],
    *,
    now: datetime,
    keep: int,
) -> list[int]:
    """The ``keep`` stories that score best on what the stories table alone says.

    The final score needs each story's articles; reading them for every story a
    follow touches would be most of the work, so stories are first ranked by
    the same formula with the story's last article standing in for its newest.
    """
    matched: dict[int, set[str]] = {}
    for article_id, story_id in story_of.items():
        matched.setdefault(story_id, set()).update(labels.get(article_id, ()))
    top = max((float(r.importance or 0.0) for r in story_rows.values()), default=0.0)
    ranked = sorted(
        story_rows,
        key=lambda sid: score_parts(
            len(matched.get(sid, ())),
            float(story_rows[sid].importance or 0.0),
            story_rows[sid].last_seen,
            now=now,
            top_importance=top,
        ),
        reverse=True,
    )
    return sorted(ranked[:keep])


def feed_candidates(
    conn: Connection,
    user_id: int,
    *,
    now: datetime,
    window: timedelta,
    keep: int = 90,
    follow_list: list[Follow] | None = None,
) -> list[StoryCandidate]:
    """Candidate stories for the feed: at most ``keep`` stories, plus lone followed articles."""
    if follow_list is None:
        follow_list = store.list_follows(conn, user_id)
    mute_list = store.list_mutes(conn, user_id)
    since = now - window
    per_follow = store.newest_ids(
        conn,
        user_id,
        follow_list,
        floor=0,
        now=now,
        per_follow=PER_FOLLOW,  # mutes are applied below, on the candidates only
        only_new=False,
    )
    labels: dict[int, list[str]] = {}
    for follow in follow_list:
        for article_id in per_follow.get(follow.id, []):
            labels.setdefault(article_id, []).append(follow.label)
    story_of = targets.story_of(conn, list(labels))
    top = conn.execute(
        select(stories.c.id)
        .where(stories.c.last_seen >= since, stories.c.status != "merged")
        .order_by(stories.c.importance.desc())
        .limit(TOP_STORIES)
    )
    story_ids = sorted(set(story_of.values()) | {int(r.id) for r in top})
    story_rows: dict[int, Any] = {}
    cards: dict[int, ArticleCard] = {}
    members: dict[int, list[int]] = {}
    if story_ids:
        story_rows = {
            int(r.id): r
            for r in conn.execute(
                select(
                    stories.c.id,
                    stories.c.headline,
                    stories.c.importance,
                    stories.c.outlet_count,
                    stories.c.last_seen,
                ).where(
                    targets.id_in(stories.c.id, story_ids, conn.dialect.name),
                    stories.c.last_seen >= since,
                )
            )
        }
        story_ids = _most_promising(story_rows, story_of, labels, now=now, keep=keep)
        for r in conn.execute(
            select(
                story_members.c.article_id,
                story_members.c.story_id,
                story_members.c.published_at,
                story_members.c.outlet,
                story_members.c.headline,
            ).where(
                targets.id_in(story_members.c.story_id, story_ids, conn.dialect.name),
                story_members.c.published_at >= since,
            )
        ):
            cards[int(r.article_id)] = _light_card(r)
            members.setdefault(int(r.story_id), []).append(int(r.article_id))
    lone = [i for i in labels if i not in story_of]
    cards.update(store.article_cards(conn, lone, stories={}))  # lone: in no story
    all_ids = sorted(cards)
    dropped: set[int] = set()  # articles removed by outlet, source and author mutes
    story_muted: set[int] = set()  # articles that mute their whole story
    for mute in mute_list:
        reached = _reached(conn, mute.kind, mute.target, all_ids)
        (story_muted if mute.kind in STORY_LEVEL_MUTES else dropped).update(reached)
    for article_id in dropped:
        cards.pop(article_id, None)

    def newest_first(ids: list[int]) -> tuple[ArticleCard, ...]:
        found = [cards[i] for i in ids if i in cards and cards[i].when >= since]
        return tuple(sorted(found, key=lambda a: (a.when, a.id), reverse=True))

    def matched(ids: list[int]) -> tuple[str, ...]:
        out: list[str] = []
        for i in ids:
            out += [label for label in labels.get(i, []) if label not in out]
        return tuple(out)

    candidates = []
    for story_id, ids in members.items():
        row = story_rows.get(story_id)
        if row is None:
            continue
        candidates.append(
            StoryCandidate(
                story_id=story_id,
                headline=row.headline,
                importance=float(row.importance or 0.0),
                outlet_count=int(row.outlet_count or 0),
                articles=newest_first(ids),
                matched=matched(ids),
                muted=any(i in story_muted for i in ids),
            )
        )
    for article_id in lone:
        if not newest_first([article_id]):
            continue  # older than the window
        candidates.append(
            StoryCandidate(
                story_id=None,
                headline="",
                importance=0.0,
                outlet_count=1,
                articles=newest_first([article_id]),
                matched=matched([article_id]),
                muted=article_id in story_muted,
            )
        )
    return candidates
