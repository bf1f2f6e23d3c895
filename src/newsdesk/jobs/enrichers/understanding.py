"""The ingest enricher: understand a newly stored article and keep the results.

Listed in ``newsdesk.jobs.pipeline.ENRICHERS``; it runs inside the article's own
transaction, so an article is never stored half-understood. The Understanding
is left in ``ctx.results["understanding"]`` for the stories stage.

Bulk ingest is faster with one ``nlp.pipe`` pass over many articles: the
pipeline runs :func:`understand_batch` over a batch's new articles and hands
each result in ``ctx.results``, so ``enrich_article`` parses only an article
that arrived alone. Nothing is kept between calls: a thread, a process or a
task-queue worker can run it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.jobs.enrichers.context import IngestContext
    from newsdesk.models import Article
    from newsdesk.understand.models import Understanding

log = get_logger(__name__)

#: Where the Understanding is left in ``ctx.results`` (the stories enricher reads it).
RESULT_KEY = "understanding"


def enrich_article(ctx: IngestContext) -> None:
    """Understand ``ctx.article`` (unless its batch already did) and store the results."""
    from newsdesk.store.follow_names import bind_names
    from newsdesk.store.understanding import named_in, save_understanding
    from newsdesk.understand import understand

    understanding = ctx.results.get(RESULT_KEY)
    if understanding is None:
        understanding = understand(ctx.article)
        ctx.results[RESULT_KEY] = understanding
    entity_ids = save_understanding(ctx.conn, ctx.article_id, understanding, now=ctx.now)
    ctx.results["entity_ids"] = entity_ids
    bind_names(ctx.conn, named_in(ctx.conn, understanding, entity_ids))
    log.info(
        "article understood",
        article_id=ctx.article_id,
        entities=len(understanding.entities),
        quotes=len(understanding.quotes),
        figures=len(understanding.figures),
    )


def understand_batch(articles: Sequence[Article], *, n_process: int = 1) -> list[Understanding]:
    """Understand many articles in one batched parse (same order)."""
    from newsdesk.understand import understand_many

    return understand_many(list(articles), n_process=n_process)
