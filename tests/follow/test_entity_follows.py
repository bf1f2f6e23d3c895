"""Follows of people (through an alias), organisations, places, topics and stories, and the
For-you feed, over the corpus with its understanding rows and real stories, on both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from newsdesk.follow import accounts, follows
from newsdesk.follow.following import load_following
from newsdesk.follow.for_you import load_for_you as load_feed
from newsdesk.store import search
from newsdesk.store.tables.stories import story_members

T0 = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def db(loaded_store):
    """This module's tests read one shared, fully loaded store per engine."""
    return loaded_store[0]


@pytest.fixture
def loaded(loaded_store, corpus):
    database, ids = loaded_store
    tag = uuid.uuid4().hex[:8]
    with database.begin() as conn:
        noor = accounts.create_user(conn, f"noor-{tag}@example.org", now=T0)
        ilse = accounts.create_user(conn, f"ilse-{tag}@example.org", now=T0)
    now = corpus.articles[-1].article.published + timedelta(hours=1)
    return ids, noor, ilse, now


def _view(db, user, now):
    with db.connect() as conn:
        return load_following(conn, user.id, now=now, per_follow=200)


def _about(corpus, ids, name):
    return {
        ids[a.article.canonical_url]
        for a in corpus.articles
        if name in {e.name for e in a.entities}
    }


def test_person_followed_by_an_alias_matches_every_article_about_them(db, corpus, loaded) -> None:
    ids, noor, _, now = loaded
    with db.begin() as conn:
        made = follows.follow(conn, noor.id, "person", "Okafor", now=T0)
    assert made.label == "Amara Okafor"
    expected = _about(corpus, ids, "Amara Okafor")
    (news,) = _view(db, noor, now).follows
    assert {a.id for a in news.articles} == expected
    assert news.new_count == len(expected)


@pytest.mark.parametrize(
    ("kind", "value", "name"),
    [("org", "HWU", "Harbour Workers Union"), ("place", "Port Ellery", "Port Ellery")],
)
def test_org_and_place_follows(db, corpus, loaded, kind, value, name) -> None:
    ids, noor, _, now = loaded
    with db.begin() as conn:
        follows.follow(conn, noor.id, kind, value, now=T0)
    (news,) = _view(db, noor, now).follows
    assert {a.id for a in news.articles} == _about(corpus, ids, name)


def test_topic_follow_and_query_field(db, corpus, loaded) -> None:
    ids, noor, _, now = loaded
    with db.begin() as conn:
        follows.follow(conn, noor.id, "topic", "water", now=T0)
    expected = {ids[a.article.canonical_url] for a in corpus.articles if a.topic == "water"}
    (news,) = _view(db, noor, now).follows
    assert {a.id for a in news.articles} == expected
    from newsdesk.follow.query import parse_query

    with db.connect() as conn:
        found = search.search_ids(
            conn, parse_query("topic:water -place:Saltmarsh"), now=now, limit=500
        )
    assert set(found) == expected - _about(corpus, ids, "Saltmarsh")


def test_story_follow_and_grouping(db, corpus, loaded) -> None:
    _, noor, _, now = loaded
    with db.connect() as conn:
        members = conn.execute(select(story_members.c.story_id, story_members.c.article_id)).all()
    by_story: dict[int, set[int]] = {}
    for story_id, article_id in members:
        by_story.setdefault(int(story_id), set()).add(int(article_id))
    story_id, articles = max(by_story.items(), key=lambda kv: len(kv[1]))
    assert len(articles) > 1
    with db.begin() as conn:
        follows.follow(conn, noor.id, "story", str(story_id), now=T0)
    view = _view(db, noor, now)
    assert {a.id for a in view.follows[0].articles} == articles
    (entry,) = view.entries  # one event, one entry
    assert {entry.lead.id, *(a.id for a in entry.others)} == articles
    outlets = {a.outlet for a in (entry.lead, *entry.others)}
    assert entry.more_outlets == len(outlets) - 1
    if entry.more_outlets:
        assert f"and {entry.more_outlets} more outlet" in entry.line


def test_muted_topic_never_appears_even_when_followed_otherwise(db, corpus, loaded) -> None:
    ids, noor, _, now = loaded
    with db.begin() as conn:
        follows.follow(conn, noor.id, "place", "Northgate", now=T0)
        follows.mute(conn, noor.id, "topic", "sport", now=T0)
    sport = {ids[a.article.canonical_url] for a in corpus.articles if a.topic == "sport"}
    expected = _about(corpus, ids, "Northgate") - sport
    (news,) = _view(db, noor, now).follows
    assert {a.id for a in news.articles} == expected
    with db.connect() as conn:
        feed = load_feed(conn, noor.id, now=now, window=timedelta(hours=48), limit=200)
    shown = {a.id for e in feed for a in e.articles}
    assert feed and not shown & sport


def test_for_you_entries_carry_reasons_and_show_each_event_once(db, corpus, loaded) -> None:
    ids, noor, ilse, now = loaded
    with db.begin() as conn:
        follows.follow(conn, noor.id, "person", "Brannigan", now=T0)
    with db.connect() as conn:
        feed = load_feed(conn, noor.id, now=now, window=timedelta(hours=48), limit=200)
        other = load_feed(conn, ilse.id, now=now, window=timedelta(hours=48), limit=200)
    assert feed and all(e.reasons for e in feed)
    stories = [e.story_id for e in feed if e.story_id is not None]
    assert len(stories) == len(set(stories))
    brannigan = _about(corpus, ids, "Teodor Brannigan")
    followed = [e for e in feed if any(a.id in brannigan for a in e.articles)]
    assert followed and all("you follow Teodor Brannigan" in e.reasons for e in followed)
    # Followed stories outrank the rest; the other user follows nothing, so sees no such reason.
    assert feed[0] in followed
    assert all(not r.startswith("you follow") for e in other for r in e.reasons)
    for entry in feed:
        outlets = len({a.outlet for a in entry.articles})
        if outlets > 1:
            assert any(r.endswith("outlets covered it") for r in entry.reasons)
    # No run of one outlet: two leads in a row share an outlet only when every later
    # entry could offer nothing but that outlet.
    for i in range(len(feed) - 1):
        outlet = feed[i].lead.outlet
        if feed[i + 1].lead.outlet == outlet:
            assert all(a.outlet == outlet for e in feed[i + 1 :] for a in e.articles)
