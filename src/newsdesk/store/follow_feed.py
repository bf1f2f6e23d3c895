"""Gathering For-you candidates: the stories a user's follows reach, and the most important ones.

All reads are bounded: the time window (a floor article id), a page of
articles per follow, a fixed number of top stories by importance. Mutes are
applied here, before ranking: an outlet, source or author mute removes those
articles; a topic, person, organisation or place mute removes the whole story.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from newsdesk.follow.feed import StoryCandidate
from newsdesk.follow.models import ArticleCard
from newsdesk.store import follow_targets as targets
from newsdesk.store import follows as store
from newsdesk.store.tables.stories import stories, story_members

TOP_STORIES = 40
PER_FOLLOW = 50
STORY_LEVEL_MUTES = ("topic", "person", "org", "place")


def _reached(conn: Connection, kind: str, target: str, ids: list[int], floor: int) -> set[int]:
    if not ids:
        return set()
    sub = targets.ids_for(kind, target, after_id=floor).subquery()
    rows = conn.execute(select(sub.c.id).where(sub.c.id.in_(ids)))
    return {int(r.id) for r in rows}


def feed_candidates(
    conn: Connection, user_id: int, *, now: datetime, window: timedelta
) -> list[StoryCandidate]:
    follow_list = store.list_follows(conn, user_id)
    mute_list = store.list_mutes(conn, user_id)
    floor = 0
    since = now - window
    per_follow = store.newest_ids(
        conn,
        user_id,
        follow_list,
        floor=floor,
        now=now,
        mute_list=mute_list,
        per_follow=PER_FOLLOW,
        only_new=False,
    )
    labels: dict[int, list[str]] = {}
    for follow in follow_list:
        for article_id in per_follow.get(follow.id, []):
            labels.setdefault(article_id, []).append(follow.label)
    story_of = targets.story_of(conn, list(labels))
    top = conn.execute(
        select(stories.c.id)
        .where(stories.c.last_seen >= now - window, stories.c.status != "merged")
        .order_by(stories.c.importance.desc())
        .limit(TOP_STORIES)
    )
    story_ids = set(story_of.values()) | {int(r.id) for r in top}
    story_rows = {}
    members: dict[int, list[int]] = {}
    if story_ids:
        ids = sorted(story_ids)
        story_rows = {
            int(r.id): r
            for r in conn.execute(
                select(
                    stories.c.id, stories.c.headline, stories.c.importance, stories.c.outlet_count
                ).where(stories.c.id.in_(ids))
            )
        }
        for r in conn.execute(
            select(story_members.c.article_id, story_members.c.story_id).where(
                story_members.c.story_id.in_(ids), story_members.c.published_at >= since
            )
        ):
            members.setdefault(int(r.story_id), []).append(int(r.article_id))
    lone = [i for i in labels if i not in story_of]
    all_ids = sorted({i for m in members.values() for i in m} | set(lone))
    dropped: set[int] = set()  # articles removed by outlet, source and author mutes
    story_muted: set[int] = set()  # articles that mute their whole story
    for mute in mute_list:
        reached = _reached(conn, mute.kind, mute.target, all_ids, floor)
        (story_muted if mute.kind in STORY_LEVEL_MUTES else dropped).update(reached)
    cards = store.article_cards(conn, [i for i in all_ids if i not in dropped])

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
