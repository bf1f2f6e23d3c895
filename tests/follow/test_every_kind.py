"""Every follow kind through Following, For you and search, on both engines (issue 10, point 1).

A saved-search follow used to crash For you: the per-follow reads returned
three columns for search follows and two for the others, and ``newest_ids``
failed to unpack them. Here one user follows one thing of each kind, and
another user follows each kind alone, and every view must hold together.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from newsdesk.follow import accounts, follows
from newsdesk.follow.following import load_following
from newsdesk.follow.for_you import load_for_you
from newsdesk.follow.query import parse_query
from newsdesk.store import search
from newsdesk.store.records import FOLLOW_KINDS
from newsdesk.store.tables import articles, outlets
from newsdesk.store.tables.stories import story_members

T0 = datetime(2026, 11, 20, tzinfo=UTC)
WHOLE_CORPUS = timedelta(days=60)

# kind -> (what the user types, the search query that finds the same articles, or None)
FOLLOWED = {
    "author": ("Ines Varga", 'author:"Ines Varga"'),
    "person": ("Okafor", 'person:"Amara Okafor"'),
    "org": ("HWU", 'org:"Harbour Workers Union"'),
    "place": ("Port Ellery", 'place:"Port Ellery"'),
    "topic": ("water", "topic:water"),
    "outlet": ("kestrel-daily.example", "outlet:kestrel-daily.example"),
    "source": (None, None),  # filled in by the fixture: a source holding Kestrel Daily's items
    "story": (None, None),  # filled in by the fixture: the largest story
    "search": ('gales -outlet:"Kestrel Daily"', 'gales -outlet:"Kestrel Daily"'),
}


@pytest.fixture
def db(loaded_store):
    return loaded_store[0]


@pytest.fixture
def world(loaded_store, corpus):
    """The values to follow for every kind, and the time the views are read at."""
    database, _ = loaded_store
    from newsdesk.store import sources as source_repo

    values = {kind: value for kind, (value, _) in FOLLOWED.items()}
    with database.begin() as conn:
        source_id, _created = source_repo.add_source(
            conn, "https://kestrel-daily.example/feed.xml", now=T0, title="Kestrel Daily feed"
        )
        kestrel = select(outlets.c.id).where(outlets.c.domain == "kestrel-daily.example")
        conn.execute(
            update(articles)
            .where(articles.c.outlet_id.in_(kestrel.scalar_subquery()))
            .values(source_id=source_id)
        )
        members = conn.execute(select(story_members.c.story_id, story_members.c.article_id)).all()
    sizes: dict[int, int] = {}
    for story_id, _article in members:
        sizes[int(story_id)] = sizes.get(int(story_id), 0) + 1
    values["source"] = str(source_id)
    values["story"] = str(max(sizes, key=lambda s: sizes[s]))
    assert set(values) == set(FOLLOW_KINDS)
    now = corpus.articles[-1].article.published + timedelta(hours=1)
    return values, now


def _user(db):
    with db.begin() as conn:
        return accounts.create_user(conn, f"u-{uuid.uuid4().hex[:8]}@example.org", now=T0)


def _search(db, query: str, now: datetime) -> set[int]:
    with db.connect() as conn:
        return set(search.search_ids(conn, parse_query(query), now=now, limit=1000))


@pytest.mark.parametrize("kind", FOLLOW_KINDS)
def test_each_kind_alone_in_following_for_you_and_search(db, world, kind) -> None:
    values, now = world
    user = _user(db)
    with db.begin() as conn:
        made = follows.follow(conn, user.id, kind, values[kind], now=T0, window=WHOLE_CORPUS)
    with db.connect() as conn:
        view = load_following(conn, user.id, now=now, per_follow=1000)
        for_you = load_for_you(conn, user.id, now=now, window=WHOLE_CORPUS, limit=200)
    (news,) = view.follows
    reached = {a.id for a in news.articles}
    assert reached and news.new_count == len(reached)
    assert {a.id for e in view.entries for a in (e.lead, *e.others)} == reached
    assert all(made.label in e.follows for e in view.entries)
    query = FOLLOWED[kind][1]
    if query is not None:
        assert reached == _search(db, query, now)
    assert for_you
    followed = [e for e in for_you if f"you follow {made.label}" in e.reasons]
    assert followed and for_you[0] in followed
    assert all({a.id for a in e.articles} & reached for e in followed if e.story_id is None)


def test_all_kinds_at_once_with_mutes(db, world) -> None:
    values, now = world
    user = _user(db)
    with db.begin() as conn:
        for kind in FOLLOW_KINDS:
            follows.follow(conn, user.id, kind, values[kind], now=T0, window=WHOLE_CORPUS)
        follows.mute(conn, user.id, "topic", "sport", now=T0)
    sport = _search(db, "topic:sport", now)
    with db.connect() as conn:
        view = load_following(conn, user.id, now=now, per_follow=1000)
        for_you = load_for_you(conn, user.id, now=now, window=WHOLE_CORPUS, limit=200)
    assert {n.follow.kind for n in view.follows} == set(FOLLOW_KINDS)
    assert all(n.new_count > 0 for n in view.follows), [
        (n.follow.kind, n.new_count) for n in view.follows
    ]
    assert not {a.id for n in view.follows for a in n.articles} & sport
    assert for_you and not {a.id for e in for_you for a in e.articles} & sport
    search_label = next(n.follow.label for n in view.follows if n.follow.kind == "search")
    assert any(f"you follow {search_label}" in e.reasons for e in for_you)
