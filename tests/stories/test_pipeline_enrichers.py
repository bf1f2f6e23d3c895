"""The stories enricher in the real ingest path, after the understanding enricher."""

from __future__ import annotations

from newsdesk.jobs.enrichers.stories import assign_article
from newsdesk.jobs.enrichers.understanding import enrich_article
from newsdesk.jobs.pipeline import ENRICHERS, store_article
from newsdesk.store import stories as repo
from tests.stories.conftest import load_jsonl
from tests.stories.test_store_ingest import NOW, article_of


def test_stories_run_after_understanding():
    assert ENRICHERS.index(assign_article) > ENRICHERS.index(enrich_article)


def test_ingest_with_understanding_groups_the_event_with_canonical_entities(db):
    items = sorted(load_jsonl("event.jsonl"), key=lambda i: i["published"])
    ids = {}
    for item in items:
        with db.begin() as conn:
            ids[item["id"]] = store_article(conn, article_of(item), now=NOW).article_id
    with db.connect() as conn:
        keys = {name: repo.story_of_article(conn, aid).key for name, aid in ids.items()}
        dam = repo.story_of_article(conn, ids["dam-1"])
    assert len({keys[f"dam-{n}"] for n in range(1, 6)}) == 1
    assert len(set(keys.values())) == 4
    names = [e["name"] for e in dam.entities]
    assert any("Brannock" in name for name in names), names
