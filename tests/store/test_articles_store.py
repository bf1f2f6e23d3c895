"""The articles store on SQLite and PostgreSQL: round trips, duplicates, atomic writes, schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from newsdesk.jobs.pipeline import store_article
from newsdesk.models import Article, Credit
from newsdesk.store import articles as repo
from newsdesk.store.tables import articles, outlets

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _article(**changes: object) -> Article:
    base = Article(
        title="Tide gauge records highest autumn surge in Port Calloway",
        paragraphs=(
            "The tide gauge at the north pier recorded a surge of 1.9 metres on Sunday night.",
            "Harbour master Ines Okafor said the sea wall held and no homes were flooded.",
        ),
        url="https://harbour-ledger.example/news/tide-gauge?utm_source=feed",
        canonical_url="https://harbour-ledger.example/news/tide-gauge",
        authors=("Maren Holloway",),
        contributors=("Pia Lindqvist",),
        credits=(Credit("Maren Holloway"), Credit("Pia Lindqvist", "contributor", place="Ostmark")),
        outlet="The Harbour Ledger",
        published=datetime(2026, 11, 29, 22, 30, tzinfo=timezone(timedelta(hours=-5))),
        language="en",
        extraction_method="html",
        warnings=("date taken from URL",),
    )
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def test_round_trip_keeps_every_field(db):
    article = _article()
    with db.begin() as conn:
        outcome = store_article(conn, article, now=NOW)
    assert outcome.status == "stored"
    with db.connect() as conn:
        _, stored, fetched = repo.get_article(conn, outcome.article_id)
    assert stored == article
    assert stored.published == datetime(2026, 11, 30, 3, 30, tzinfo=UTC)
    assert fetched == NOW


def test_duplicate_by_canonical_url_and_by_content(db):
    with db.begin() as conn:
        first = store_article(conn, _article(), now=NOW)
        same_url = store_article(
            conn, _article(paragraphs=("An updated first paragraph of the tide story.",)), now=NOW
        )
        same_text = store_article(
            conn, _article(canonical_url="https://mirror.example/tide", url=None), now=NOW
        )
    assert same_url.status == "duplicate" and same_url.reason == "same canonical URL"
    assert same_text.status == "duplicate" and same_text.reason == "same content"
    assert same_url.article_id == same_text.article_id == first.article_id
    with db.connect() as conn:
        assert repo.count_articles(conn) == 1


def test_content_hash_ignores_typography():
    a = _article()
    b = _article(paragraphs=tuple(p.upper().replace(".", " .") for p in a.paragraphs))
    assert a.content_hash == b.content_hash
    c = _article(paragraphs=(*a.paragraphs, "A third paragraph changes the story."))
    assert c.content_hash != a.content_hash


def test_outlets_are_shared_by_domain(db):
    with db.begin() as conn:
        store_article(conn, _article(), now=NOW)
        store_article(
            conn,
            _article(
                canonical_url="https://www.harbour-ledger.example/news/other",
                paragraphs=("A different story from the same outlet.",),
            ),
            now=NOW,
        )
    with db.connect() as conn:
        rows = conn.execute(select(outlets.c.name, outlets.c.domain)).all()
    assert [tuple(r) for r in rows] == [("The Harbour Ledger", "harbour-ledger.example")]


def test_failed_transaction_leaves_nothing_behind(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.begin() as conn:
        store_article(conn, _article(), now=NOW)
        raise Boom
    with db.connect() as conn:
        assert conn.execute(select(articles.c.id)).first() is None
        assert conn.execute(select(outlets.c.id)).first() is None


def test_list_is_newest_first_and_filters_by_outlet(db):
    with db.begin() as conn:
        for day in (1, 3, 2):
            store_article(
                conn,
                _article(
                    canonical_url=f"https://harbour-ledger.example/{day}",
                    paragraphs=(f"Story number {day} about the harbour.",),
                    published=datetime(2026, 11, day, tzinfo=UTC),
                ),
                now=NOW,
            )
        store_article(
            conn,
            _article(
                canonical_url="https://valley-courier.example/x",
                outlet="The Valley Courier",
                paragraphs=("A valley story.",),
                published=datetime(2026, 11, 4, tzinfo=UTC),
            ),
            now=NOW,
        )
    with db.connect() as conn:
        days = [a.published.day for _, a, _ in repo.list_articles(conn)]
        harbour = repo.list_articles(conn, outlet="harbour-ledger.example")
    assert days == [4, 3, 2, 1]
    assert [a.published.day for _, a, _ in harbour] == [3, 2, 1]


def _is_search_index(diff: tuple) -> bool:  # type: ignore[type-arg]
    """Full-text search tables (SQLite FTS5, PostgreSQL tsvector) are engine-specific and
    made by raw SQL in the search migration, so they have no portable Table definition."""
    kind, obj = diff[0], diff[1]
    table = obj if kind == "remove_table" else getattr(obj, "table", None)
    name = getattr(table, "name", "")
    return kind in {"remove_table", "remove_index"} and name.startswith(
        ("article_fts", "article_search")
    )


def test_migrations_match_table_definitions(db):
    """The live schema built by Alembic agrees with the tables queries are written against."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from newsdesk.store.tables import metadata

    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # Type-rendering differences between engines are not schema drift; missing tables,
    # columns or indexes are.
    significant = [
        d
        for d in diff
        if not (isinstance(d, list) or d[0].startswith("modify_")) and not _is_search_index(d)
    ]
    assert significant == []


def test_sqlite_uses_wal(isolated_settings):
    from newsdesk.store.db import open_database

    database = open_database()
    assert database.dialect == "sqlite"
    with database.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (isolated_settings / "newsdesk.db").exists()


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.harbour-ledger.example/a", "harbour-ledger.example"),
        ("https://Valley-Courier.example:8443/x", "valley-courier.example"),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_outlet_domain_never_fails_on_a_malformed_url(url, domain):
    assert repo.outlet_domain(url) == domain


def test_article_with_malformed_url_is_stored_without_an_outlet_domain(db):
    with db.begin() as conn:
        outcome = store_article(
            conn, _article(canonical_url="http://[::1", url=None, outlet=None), now=NOW
        )
    assert outcome.status == "stored"
