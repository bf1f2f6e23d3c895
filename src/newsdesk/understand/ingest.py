"""The ingest enricher: understand a newly stored article and keep the results.

Listed in ``newsdesk.pipeline.ENRICHERS``; it runs inside the article's own
transaction, so an article is never stored half-understood. The Understanding
is left in ``ctx.results["understanding"]`` for the stories stage.

Bulk ingest can parse many articles with one ``nlp.pipe`` pass first
(:func:`understand_batch`) and put each result in ``ctx.results`` before the
enrichers run; ``enrich_article`` then only stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.models import Article
    from newsdesk.pipeline import IngestContext
    from newsdesk.understand.models import Understanding

log = get_logger(__name__)

RESULT_KEY = "understanding"


def enrich_article(ctx: IngestContext) -> None:
    """Understand ``ctx.article`` (unless already done for this batch) and store it."""
    from newsdesk.store.understanding import save_understanding
    from newsdesk.understand import understand

    understanding = ctx.results.get(RESULT_KEY)
    if understanding is None:
        understanding = understand(ctx.article)
        ctx.results[RESULT_KEY] = understanding
    entity_ids = save_understanding(ctx.conn, ctx.article_id, understanding, now=ctx.now)
    ctx.results["entity_ids"] = entity_ids
    log.info(
        "article understood",
        article_id=ctx.article_id,
        entities=len(understanding.entities),
        quotes=len(understanding.quotes),
        figures=len(understanding.figures),
    )


def understand_batch(articles: Sequence[Article]) -> list[Understanding]:
    """Understand many articles in one batched parse, for bulk ingest (same order)."""
    from newsdesk.understand import understand_many

    return understand_many(list(articles))
