"""The ingest enricher: understand a newly stored article and keep the results.

Listed in ``newsdesk.jobs.pipeline.ENRICHERS``; it runs inside the article's own
transaction, so an article is never stored half-understood. The Understanding
is left in ``ctx.results["understanding"]`` for the stories stage.

Bulk ingest is faster with one ``nlp.pipe`` pass over many articles: call
:func:`prime` with the batch's articles before storing them one by one, and
``enrich_article`` takes each primed result instead of parsing again (it also
honours an Understanding a caller already put in ``ctx.results``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.jobs.pipeline import IngestContext
    from newsdesk.models import Article
    from newsdesk.understand.models import Understanding

log = get_logger(__name__)

RESULT_KEY = "understanding"
#: Primed results kept at most (oldest dropped): a batch that is never stored cannot grow memory.
MAX_PRIMED = 2000

_primed: OrderedDict[str, Understanding] = OrderedDict()
_primed_lock = threading.Lock()


def enrich_article(ctx: IngestContext) -> None:
    """Understand ``ctx.article`` (unless already done for this batch) and store it."""
    from newsdesk.store.understanding import save_understanding
    from newsdesk.understand import understand

    understanding = ctx.results.get(RESULT_KEY) or _take_primed(ctx.article)
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


def understand_batch(articles: Sequence[Article], *, n_process: int = 1) -> list[Understanding]:
    """Understand many articles in one batched parse (same order)."""
    from newsdesk.understand import understand_many

    return understand_many(list(articles), n_process=n_process)


def prime(articles: Sequence[Article], *, n_process: int = 1) -> list[Understanding]:
    """Understand ``articles`` in one batch now; ``enrich_article`` will use the results."""
    results = understand_batch(articles, n_process=n_process)
    with _primed_lock:
        for article, understanding in zip(articles, results, strict=True):
            _primed[article.content_hash] = understanding
            _primed.move_to_end(article.content_hash)
        while len(_primed) > MAX_PRIMED:
            _primed.popitem(last=False)
    return results


def _take_primed(article: Article) -> Understanding | None:
    with _primed_lock:
        return _primed.pop(article.content_hash, None)
