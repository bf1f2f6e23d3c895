"""Stored understanding: one entity row across articles, whatever alias each article used."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from newsdesk.models import Article
from newsdesk.store import understanding as repo
from newsdesk.store.tables import entities, entity_aliases, quotes
from newsdesk.understand.models import Entity, Figure, Mention, Quote, Topic, Understanding

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _article(conn: Any, n: int) -> int:
    from newsdesk.store.articles import insert_article

    article = Article(title=f"Harbour story {n}", paragraphs=(f"Harbour story number {n} text.",))
    return int(insert_article(conn, article, now=NOW))


def _person(name: str, *aliases: str, salience: float = 1.0) -> Entity:
    return Entity(
        name=name,
        kind="person",
        aliases=aliases,
        mentions=(Mention(0, len(name), name, 0),),
        salience=salience,
    )


def _understanding(*ents: Entity, quote_by: Entity | None = None) -> Understanding:
    quoted: tuple[Quote, ...] = ()
    if quote_by is not None:
        quoted = (Quote("We will sail.", quote_by.name, quote_by.key, "said", 10, 23, 1),)
    return Understanding(
        headline="Harbour reopens",
        headline_generated=False,
        summary="The harbour reopened.",
        summary_sentences=(0,),
        entities=ents,
        topics=(Topic("ferries", "ferry", 0.8),),
        quotes=quoted,
        figures=(Figure("300", 300.0, "guards", "guards", sentence=0),),
        sentences=("The harbour reopened.",),
    )


def _entity_count(conn: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(entities)).scalar())


def test_aliases_across_two_articles_are_one_entity(db: Any) -> None:
    with db.begin() as conn:
        first, second = _article(conn, 1), _article(conn, 2)
        repo.save_understanding(
            conn,
            first,
            _understanding(_person("Clara Ostrowski", "Ostrowski", "Ms. Ostrowski")),
            now=NOW,
        )
        # The second article only ever says "Ms. Ostrowski".
        repo.save_understanding(
            conn, second, _understanding(_person("Ostrowski", "Ms. Ostrowski")), now=NOW
        )
    with db.begin() as conn:
        assert _entity_count(conn) == 1
        found = repo.resolve_entity(conn, "person", "ms ostrowski")
        assert found is not None and found[1] == "Clara Ostrowski"
        by_name = repo.article_ids_for(conn, repo.entity_article_ids_by_name("person", "Ostrowski"))
        assert by_name == [second, first]
        assert repo.article_ids_for(conn, repo.entity_article_ids([found[0]])) == [second, first]


def test_surname_first_then_full_name_upgrades_the_entity(db: Any) -> None:
    with db.begin() as conn:
        first, second = _article(conn, 1), _article(conn, 2)
        repo.save_understanding(conn, first, _understanding(_person("Ostrowski")), now=NOW)
        repo.save_understanding(
            conn, second, _understanding(_person("Clara Ostrowski", "Ostrowski")), now=NOW
        )
    with db.begin() as conn:
        rows = conn.execute(select(entities.c.name, entities.c.key)).all()
        assert [tuple(r) for r in rows] == [("Clara Ostrowski", "person:clara ostrowski")]
        found = repo.resolve_entity(conn, "person", "Clara Ostrowski")
        assert found is not None
        assert set(repo.entity_aliases_of(conn, found[0])) == {"Clara Ostrowski", "Ostrowski"}


def test_shared_surname_of_two_people_stays_apart(db: Any) -> None:
    with db.begin() as conn:
        a, b, c = _article(conn, 1), _article(conn, 2), _article(conn, 3)
        repo.save_understanding(
            conn, a, _understanding(_person("Clara Ostrowski", "Ostrowski")), now=NOW
        )
        repo.save_understanding(
            conn, b, _understanding(_person("Piotr Ostrowski", "Ostrowski")), now=NOW
        )
        repo.save_understanding(conn, c, _understanding(_person("Ostrowski")), now=NOW)
    with db.begin() as conn:
        names = set(conn.execute(select(entities.c.name)).scalars())
        assert {"Clara Ostrowski", "Piotr Ostrowski"} <= names


def test_resave_replaces_and_delete_cascades(db: Any) -> None:
    from sqlalchemy import delete

    from newsdesk.store.tables import articles

    person = _person("Clara Ostrowski", "Ostrowski")
    with db.begin() as conn:
        article_id = _article(conn, 1)
        repo.save_understanding(conn, article_id, _understanding(person, quote_by=person), now=NOW)
        repo.save_understanding(conn, article_id, _understanding(person, quote_by=person), now=NOW)
    with db.begin() as conn:
        stored = repo.load_understanding(conn, article_id)
        assert stored is not None
        assert [q["speaker"] for q in stored["quotes"]] == ["Clara Ostrowski"]
        assert [e["name"] for e in stored["entities"]] == ["Clara Ostrowski"]
        assert stored["topics"][0]["key"] == "ferry"
        assert stored["figures"][0]["value"] == 300.0
        speaker_id = conn.execute(select(quotes.c.speaker_entity_id)).scalar()
        assert speaker_id == repo.resolve_entity(conn, "person", "Ostrowski")[0]  # type: ignore[index]
        assert repo.resolve_topic(conn, "Ferries") == ("ferry", "ferries")
        assert repo.article_ids_for(conn, repo.topic_article_ids_by_name("ferries")) == [article_id]
    with db.begin() as conn:
        conn.execute(delete(articles).where(articles.c.id == article_id))
    with db.begin() as conn:
        assert repo.load_understanding(conn, article_id) is None
        # The entity and its aliases outlive the article: follows keep pointing at them.
        assert _entity_count(conn) == 1
        assert conn.execute(select(func.count()).select_from(entity_aliases)).scalar() == 2


def test_ingest_understands_and_stores_in_one_transaction(db: Any) -> None:
    from newsdesk.jobs.pipeline import store_article
    from tests.understand.articles import FERRY, FERRY_HEADLINE

    article = Article(title=FERRY_HEADLINE, paragraphs=FERRY)
    with db.begin() as conn:
        outcome = store_article(conn, article, now=NOW)
    with db.begin() as conn:
        stored = repo.load_understanding(conn, outcome.article_id)
        assert stored is not None
        assert stored["entities"][0]["name"] == "Clara Ostrowski"
        assert stored["quotes"][0]["speaker"] == "Clara Ostrowski"
        found = repo.resolve_entity(conn, "person", "Ms. Ostrowski")
        assert found is not None and found[1] == "Clara Ostrowski"


def test_a_batch_is_understood_in_one_pass_and_its_results_are_stored(db: Any) -> None:
    """store_articles prepares the batch's understanding once; nothing is cached between calls."""
    from newsdesk.jobs import pipeline
    from newsdesk.jobs.enrichers.understanding import understand_batch
    from newsdesk.jobs.pipeline import store_articles
    from tests.understand.articles import FERRY, FERRY_HEADLINE, MISSION

    ferry = Article(title=FERRY_HEADLINE, paragraphs=FERRY)
    mission = Article(title="Coastal patrols to end", paragraphs=MISSION)
    expected = understand_batch([ferry, mission])
    prepared = pipeline.prepare([ferry, mission])
    assert [p["understanding"].summary for p in prepared] == [u.summary for u in expected]
    with db.begin() as conn:
        ids = [o.article_id for o in store_articles(conn, [ferry, mission], now=NOW)]
    with db.begin() as conn:
        stored = [repo.load_understanding(conn, i) for i in ids]
    assert [s["summary"] for s in stored if s] == [u.summary for u in expected]
    assert (
        stored[1] is not None and stored[1]["entities"][0]["name"] == expected[1].entities[0].name
    )


def test_very_long_names_are_stored_cut_not_refused(db: Any) -> None:
    long_name = "Harbour " * 80 + "Authority"
    org = Entity(name=long_name.strip(), kind="org", mentions=(Mention(0, 5, "Harb", 0),))
    u = _understanding(org)
    u = Understanding(
        **{
            **{f: getattr(u, f) for f in u.__dataclass_fields__},
            "topics": (Topic("long", "x" * 600, 0.5),),
        }
    )
    with db.begin() as conn:
        first, second = _article(conn, 1), _article(conn, 2)
        repo.save_understanding(conn, first, u, now=NOW)
        repo.save_understanding(conn, second, u, now=NOW)
    with db.begin() as conn:
        assert _entity_count(conn) == 1


def test_surname_finds_a_person_only_ever_named_in_full(db: Any) -> None:
    with db.begin() as conn:
        first, second = _article(conn, 1), _article(conn, 2)
        repo.save_understanding(
            conn, first, _understanding(_person("Tobias Wrenfield", "Tobias Wrenfield")), now=NOW
        )
        repo.save_understanding(
            conn, second, _understanding(_person("Ines Okafor", "Ines Okafor")), now=NOW
        )
    with db.begin() as conn:
        found = repo.resolve_entity(conn, "person", "Wrenfield")
        assert found is not None and found[1] == "Tobias Wrenfield"
        assert repo.resolve_entity(conn, "person", "Tobias") is None
        assert repo.resolve_entity(conn, "org", "Wrenfield") is None
