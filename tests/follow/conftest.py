"""Follow-test fixtures: the generated corpus, and loading it into a store.

The corpus is built once per session. Loading stores each article through the
pipeline's one door (``store_article``) without the language enrichers (spaCy
on 200 articles is slow here), then writes the corpus's ground-truth entities
and topics through the understanding stage's own store functions when the
test needs them; ``test_pipeline_end_to_end`` runs the real enrichers.
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
    from newsdesk.pipeline import store_article

    ids: dict[str, int] = {}
    with db.begin() as conn:  # type: ignore[attr-defined]
        for item in items:
            assert item.article.published is not None
            fetched = item.article.published + timedelta(minutes=5)
            outcome = store_article(conn, item.article, now=fetched, enrich=False)
            assert outcome.status == "stored", outcome
            ids[item.article.canonical_url or ""] = outcome.article_id
            if understanding:
                from tests.follow.understanding_rows import write_understanding

                write_understanding(conn, outcome.article_id, item, now=fetched)
    return ids
