"""Follow-test fixtures: the generated corpus, and loading it into a store.

The corpus is built once per session. Loading stores each article through the
pipeline's one door (``store_article``) without the language enrichers (spaCy
on 200 articles is slow here), then, when the test needs them, writes the
corpus's ground-truth entities and topics through the understanding stage's
``save_understanding`` and runs the real stories enricher on them;
``test_pipeline_end_to_end`` runs the real language enrichers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from tests.fixtures.follow.corpus import Corpus, CorpusArticle, build_corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return build_corpus()


def load(
    db: object, items: Sequence[CorpusArticle], *, understanding: bool = False
) -> dict[str, int]:
    """Store ``items``; returns canonical URL -> article id."""
    from newsdesk.jobs.pipeline import store_article

    ids: dict[str, int] = {}
    with db.begin() as conn:  # type: ignore[attr-defined]
        for item in items:
            assert item.article.published is not None
            fetched = item.article.published + timedelta(minutes=5)
            outcome = store_article(conn, item.article, now=fetched, enrich=False)
            assert outcome.status == "stored", outcome
            ids[item.article.canonical_url or ""] = outcome.article_id
            if understanding:
                from newsdesk.jobs.enrichers.stories import assign_article
                from newsdesk.jobs.pipeline import IngestContext
                from tests.follow.understanding_rows import understanding_of, write_understanding

                write_understanding(conn, outcome.article_id, item, now=fetched)
                # The real stories enricher, fed the ground truth instead of spaCy's reading.
                ctx = IngestContext(conn, outcome.article_id, item.article, fetched)
                ctx.results["understanding"] = understanding_of(item)
                assign_article(ctx)
    return ids


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def loaded_store(
    request: pytest.FixtureRequest, corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
):
    """The whole corpus with understanding rows and real stories, loaded once per module and engine.

    Loading runs the stories enricher on every article, which takes seconds, so
    the tests that only read share one store; each makes its own users, so no
    test sees another's follows.
    """
    import uuid

    from newsdesk.store.db import Database, make_engine, migrate
    from tests.conftest import PG_ADMIN_URL, skip_or_fail

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('follow') / 'newsdesk.db'}"
    else:
        import psycopg

        plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        name = f"newsdesk_follow_{uuid.uuid4().hex[:10]}"
        try:
            with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as exc:
            skip_or_fail(f"PostgreSQL is not reachable at {plain}: {exc}".splitlines()[0])
        url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"

        def drop() -> None:
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    engine = make_engine(url)
    migrate(engine)
    database = Database(engine)
    ids = load(database, corpus.articles, understanding=True)
    yield database, ids
    database.close()
    if drop is not None:
        drop()
