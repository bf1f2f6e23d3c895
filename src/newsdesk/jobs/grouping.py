"""Story grouping as a job unit of its own: place understood articles into stories.

In distributed mode understanding (spaCy, the costly part) and story grouping
are two jobs on two queues: an enrich job understands a batch and leaves its
articles queued for grouping (``pending_enrichment`` rows claimed ``GROUP``),
and this job groups them, oldest first, with the same enricher the in-process
runner uses (:func:`newsdesk.jobs.enrichers.stories.assign_article`), fed from
what understanding stored.

Consistent with several workers: a grouping job holds the grouping lock for its
whole transaction (:func:`newsdesk.store.pending.lock_grouping`), so there is
one grouper at a time over the window's open stories; a second one waits and
then finds the articles already grouped. Idempotent: an article leaves the
queue in the transaction that places it, so a job done again (its worker died
before acknowledging) finds nothing left to do, or only what it did not finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store.db import Database

log = get_logger(__name__)

#: Articles grouped in one job (one transaction under the grouping lock).
GROUP_BATCH = 64


@dataclass
class GroupReport:
    grouped: int = 0
    #: Articles whose understanding was not in the store (grouped from their text alone).
    without_understanding: int = 0


def group_batch(limit: int = GROUP_BATCH, *, db: Database | None = None) -> GroupReport:
    """The job unit: group at most ``limit`` understood articles into stories, oldest first.

    Each article is placed as of its fetch time, as the in-process runner does.
    """
    from newsdesk.jobs.enrichers.context import IngestContext
    from newsdesk.jobs.enrichers.stories import STORED_FEATURES, assign_article
    from newsdesk.store import articles as repo
    from newsdesk.store import pending
    from newsdesk.store.db import open_database
    from newsdesk.store.understanding import story_features

    db = db or open_database()
    report = GroupReport()
    with db.begin() as conn:
        pending.lock_grouping(conn)
        ids = pending.waiting_grouping(conn, limit=limit)
        for article_id, article, fetched in repo.get_articles(conn, ids):
            features = story_features(conn, article_id)
            results = {} if features is None else {STORED_FEATURES: features}
            report.without_understanding += features is None
            ctx = IngestContext(
                conn=conn, article_id=article_id, article=article, now=fetched, results=results
            )
            assign_article(ctx)
            report.grouped += 1
        pending.finish_grouping(conn, ids)  # an id whose article is gone leaves, too
    if report.grouped:
        log.info("articles grouped into stories", grouped=report.grouped)
    return report
