"""Placing stored articles into stories, on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.jobs.enrichers.stories import assign_article
from newsdesk.jobs.pipeline import IngestContext, store_article
from newsdesk.models import Article
from newsdesk.store import stories as repo
from tests.stories.conftest import load_jsonl

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def article_of(item: dict) -> Article:
    slug = item["id"]
    return Article(
        title=item["title"],
        paragraphs=tuple(item["text"].split("\n\n")),
        url=f"https://{item['outlet'].lower().replace(' ', '-')}.example/{slug}",
        canonical_url=f"https://{item['outlet'].lower().replace(' ', '-')}.example/{slug}",
        outlet=item["outlet"],
        published=datetime.fromisoformat(item["published"]),
    )


def ingest(db, items, now=NOW) -> dict[str, int]:
    """Store each article and run the stories enricher on it, one transaction each."""
    ids = {}
    for item in sorted(items, key=lambda i: i["published"]):
        article = article_of(item)
        with db.begin() as conn:
            outcome = store_article(conn, article, now=now, enrich=False)
            assign_article(IngestContext(conn, outcome.article_id, article, now))
        ids[item["id"]] = outcome.article_id
    return ids


def story_members(db, article_ids):
    with db.connect() as conn:
        return {name: repo.story_of_article(conn, aid).key for name, aid in article_ids.items()}


def test_stored_event_and_three_stories_sharing_a_place_make_four_stories(db):
    ids = ingest(db, load_jsonl("event.jsonl"))
    stories = story_members(db, ids)
    dam = {stories[f"dam-{n}"] for n in range(1, 6)}
    assert len(dam) == 1
    assert len(set(stories.values())) == 4
    assert stories["fc-1"] == stories["fc-2"]
    with db.connect() as conn:
        row = repo.get_story(conn, dam.pop())
        members = repo.members(conn, row.id)
    assert row.size == 5
    assert row.outlet_count == 4
    assert "Brannock" in row.headline or "Ostrel" in row.headline
    assert row.first_seen == datetime(2026, 3, 2, 7, 10, tzinfo=UTC)
    assert row.last_seen == datetime(2026, 3, 3, 18, 5, tzinfo=UTC)
    assert [m.published_at for m in members] == sorted(m.published_at for m in members)
    assert row.factors["outlets"] == 4
    assert row.importance > 0


def test_later_article_adds_a_development_to_the_timeline(db):
    ids = ingest(db, load_jsonl("event.jsonl"))
    with db.connect() as conn:
        row = repo.story_of_article(conn, ids["dam-4"])
    developments = {d["article_id"]: d for d in row.timeline}
    second_crack = developments[ids["dam-4"]]
    assert "Halvard Institute of Engineering" in second_crack["new_entities"] or any(
        "Lindqvist" in name for name in second_crack["new_entities"]
    )
    assert "second crack" in second_crack["sentence"] or "schools" in second_crack["sentence"]
    assert ids["dam-1"] not in developments  # the first report is the story, not a development


def test_wire_copy_is_stored_as_a_duplicate_of_its_original(db):
    ids = ingest(db, load_jsonl("wire.jsonl"))
    with db.connect() as conn:
        story = repo.story_of_article(conn, ids["w-2"])
        members = {m.article_id: m for m in repo.members(conn, story.id)}
    assert members[ids["w-2"]].duplicate_of == ids["w-1"]
    assert members[ids["w-1"]].duplicate_of is None
    assert story.outlet_count == 2


def test_stories_close_after_the_window_and_new_articles_start_fresh(db):
    items = load_jsonl("event.jsonl")
    first = [i for i in items if i["id"] == "dam-1"]
    ids = ingest(db, first, now=NOW)
    later = dict(first[0], id="dam-1-again", published="2026-03-20T08:00:00+00:00")
    later["text"] = later["text"].replace("Monday", "a Monday") + " A follow-up."
    later_ids = ingest(db, [later], now=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    with db.connect() as conn:
        old = repo.story_of_article(conn, ids["dam-1"])
        new = repo.story_of_article(conn, later_ids["dam-1-again"])
    assert old.status == "closed"
    assert new.key != old.key and new.status == "open"


def test_an_unknown_story_is_a_clear_error(db):
    import pytest

    from newsdesk.errors import NotFoundError

    with db.connect() as conn, pytest.raises(NotFoundError, match="stories list"):
        repo.get_story(conn, "s-nothing")


def test_importance_factors_say_why(db):
    ids = ingest(db, load_jsonl("event.jsonl"), now=datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    with db.connect() as conn:
        ranked = repo.list_stories(conn, limit=10)
        dam = repo.story_of_article(conn, ids["dam-1"])
    assert ranked[0].key == dam.key  # most outlets, most recent, most articles
    assert set(dam.factors) >= {"outlets", "velocity", "recency", "entity_weight", "score"}
    assert dam.factors["velocity"] >= 1
    assert timedelta(hours=dam.factors["hours_since_last"]) < timedelta(hours=3)
