"""Runs articles through the stages after extraction and stores them.

``store_articles`` (and ``store_article``, its one-article case) is the one
door into the articles table: the CLI's ``ingest``, the feed refresher and the
web app all go through it, so duplicate detection and the enrichers
(understanding, stories) run the same way everywhere. Everything an article
brings is written inside the caller's transaction: either the article and all
its enrichments land, or nothing does. The refresher passes ``enrich="later"``:
its articles are queued in that same transaction and enriched afterwards, in
batches, by :mod:`newsdesk.jobs.enrichment` (through :func:`enrich_stored`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection

from newsdesk.errors import NewsdeskError
from newsdesk.jobs.enrichers.context import IngestContext
from newsdesk.jobs.enrichers.stories import assign_article
from newsdesk.jobs.enrichers.understanding import RESULT_KEY, enrich_article, understand_batch
from newsdesk.logs import get_logger
from newsdesk.models import Article, BatchReport, ItemFailure, Page

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.store.db import Database

__all__ = [
    "ENRICHERS",
    "IngestContext",  # defined beside the enrichers, which take it; re-exported for callers
    "StoreOutcome",
    "enrich_stored",
    "ingest_pages",
    "prepare",
    "store_article",
    "store_articles",
]

log = get_logger(__name__)

Enricher = Callable[[IngestContext], None]
#: Batch work for an enricher: a batch's new Articles in, one result per article, in order.
BatchPreparer = Callable[[list[Article]], list[Any]]

#: Enrichers run in order after an article row is inserted, in the same transaction; earlier
#: results are in ctx.results (the understanding stage puts its Understanding under
#: "understanding", which the stories enricher reads).
ENRICHERS: tuple[Enricher, ...] = (enrich_article, assign_article)

#: Batch work an enricher can use, done once over all new articles of a batch (one
#: ``nlp.pipe`` pass instead of one parse per article): enricher -> (the ``ctx.results``
#: key it reads, the preparer). Only run when that enricher is listed.
BATCH_PREPARERS: dict[Enricher, tuple[str, BatchPreparer]] = {
    enrich_article: (RESULT_KEY, understand_batch),
}


#: ``enrich`` values: run the enrichers now, not at all, or queue the article for
#: :mod:`newsdesk.jobs.enrichment` (the feed refresher: storing never waits on NLP).
EnrichMode = bool | Literal["later"]


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    article_id: int
    status: Literal["stored", "duplicate"]
    reason: str | None = None  # for duplicates: "same canonical URL" / "same content"


def store_article(
    conn: Connection,
    article: Article,
    *,
    now: datetime,
    source_id: int | None = None,
    enrich: EnrichMode = True,
) -> StoreOutcome:
    """Insert ``article`` (or find its duplicate) and run the enrichers on a new one."""
    return store_articles(conn, [article], now=now, source_id=source_id, enrich=enrich)[0]


def store_articles(
    conn: Connection,
    articles: Sequence[Article],
    *,
    now: datetime,
    source_id: int | None = None,
    enrich: EnrichMode = True,
    hashes: Sequence[str | None] | None = None,
    prepared: Sequence[dict[str, Any]] | None = None,
) -> list[StoreOutcome]:
    """Store many articles at once: one outcome per article, in order.

    The same rules as one by one: an article whose canonical URL or content is
    already stored (or came earlier in this batch) is a duplicate of that one,
    with the reason; the new ones are inserted and enriched in order. All in
    the caller's transaction. Batched because the refresher stores 25 articles
    per feed: one duplicate query and one multi-row insert cost about a fifth
    of 25 separate round trips. ``hashes`` are the articles' content hashes where
    the caller already computed them (the refresher does, in its parse worker);
    ``prepared`` is the enrichers' batch work per article (:func:`prepare`), done
    before the transaction.
    """
    from newsdesk.config import get_settings
    from newsdesk.safe_text import clean_article
    from newsdesk.store import articles as repo

    # The door: what is stored is safe to print in a terminal and to link from a page
    # (no control characters, http(s) links only, one-line fields of a sane size).
    limit = get_settings().max_title_chars
    given = hashes if hashes is not None else [None] * len(articles)
    cleaned = [clean_article(a, max_title_chars=limit) for a in articles]
    given = [
        h if c.paragraphs is a.paragraphs else None
        for a, c, h in zip(articles, cleaned, given, strict=True)
    ]
    articles = cleaned
    # Computed once per article: it normalises the whole text.
    digests = [h or a.content_hash for a, h in zip(articles, given, strict=True)]
    found = repo.find_duplicates(conn, articles, digests)
    outcomes: list[StoreOutcome | None] = [None] * len(articles)
    new: list[Article] = []
    new_hashes: list[str] = []
    new_positions: list[int] = []
    later: list[tuple[int, int, str]] = []  # (position, index in new, reason)
    by_url: dict[str, int] = {}
    by_hash: dict[str, int] = {}
    for position, (article, digest, duplicate) in enumerate(
        zip(articles, digests, found, strict=True)
    ):
        if duplicate is not None:
            outcomes[position] = StoreOutcome(duplicate[0], "duplicate", duplicate[1])
        elif article.canonical_url and article.canonical_url in by_url:
            later.append((position, by_url[article.canonical_url], "same canonical URL"))
        elif digest in by_hash:
            later.append((position, by_hash[digest], "same content"))
        else:
            if article.canonical_url:
                by_url[article.canonical_url] = len(new)
            by_hash[digest] = len(new)
            new_positions.append(position)
            new.append(article)
            new_hashes.append(digest)
    inserted = _insert_racing(conn, new, new_hashes, now=now, source_id=source_id)
    ids = [article_id for article_id, _ in inserted]
    for position, (article_id, reason) in zip(new_positions, inserted, strict=True):
        if reason is None:
            outcomes[position] = StoreOutcome(article_id, "stored")
        else:
            outcomes[position] = StoreOutcome(article_id, "duplicate", reason)
    for position, index, reason in later:
        outcomes[position] = StoreOutcome(ids[index], "duplicate", reason)
    # only what this call inserted is enriched or queued
    fresh_at = [k for k, (_, r) in enumerate(inserted) if r is None]
    ids = [inserted[k][0] for k in fresh_at]
    work = [prepared[new_positions[k]] for k in fresh_at] if prepared is not None else None
    new = [new[k] for k in fresh_at]
    if enrich == "later":
        from newsdesk.store import pending

        pending.queue(conn, ids, now=now)
    elif enrich:
        enrich_stored(conn, list(zip(ids, new, strict=True)), now=now, prepared=work)
    if ids:
        log.debug("articles stored", count=len(ids), first_id=ids[0], source_id=source_id)
    return [o for o in outcomes if o is not None]


def _insert_racing(
    conn: Connection,
    new: Sequence[Article],
    hashes: Sequence[str],
    *,
    now: datetime,
    source_id: int | None,
) -> list[tuple[int, str | None]]:
    """Insert ``new``: ``(id, None)`` for each inserted, ``(id, reason)`` for a duplicate
    another writer stored between our duplicate check and our insert.

    Why: two processes (two ``ingest`` runs, a refresh beside an ingest) can both
    find an article missing and both insert it; the second then hit the unique
    content hash and died with IntegrityError. The batch insert runs in a
    savepoint; when it collides, each article is inserted alone, and one that
    collides is looked up again and reported as the duplicate it is.
    """
    from sqlalchemy.exc import IntegrityError

    from newsdesk.store import articles as repo
    from newsdesk.store.db import statement_savepoint

    if not new:
        return []
    try:
        with statement_savepoint(conn):
            ids = repo.insert_articles(conn, new, now=now, source_id=source_id, hashes=hashes)
        return [(i, None) for i in ids]
    except IntegrityError:
        pass
    out: list[tuple[int, str | None]] = []
    for article, digest in zip(new, hashes, strict=True):
        try:
            with statement_savepoint(conn):
                [article_id] = repo.insert_articles(
                    conn, [article], now=now, source_id=source_id, hashes=[digest]
                )
            out.append((article_id, None))
        except IntegrityError:
            [found] = repo.find_duplicates(conn, [article], [digest])
            if found is None:
                raise  # a constraint other than "already stored": a real error
            out.append(found)
    return out


def prepare(articles: Sequence[Article], *, single: bool = False) -> list[dict[str, Any]]:
    """The batch work of the listed enrichers (see BATCH_PREPARERS): results per article.

    Pure of the store, so the deferred runner calls it outside any transaction
    (spaCy never holds the write lock). A single article is left to its enricher,
    unless ``single`` (a bounded child process does the work for one, too).
    """
    results: list[dict[str, Any]] = [{} for _ in articles]
    if len(articles) < (1 if single else 2):
        return results
    for enricher in ENRICHERS:
        if enricher in BATCH_PREPARERS:
            key, fn = BATCH_PREPARERS[enricher]
            for slot, value in zip(results, fn(list(articles)), strict=True):
                slot[key] = value
    return results


def enrich_stored(
    conn: Connection,
    stored: Sequence[tuple[int, Article]],
    *,
    now: datetime | Sequence[datetime],
    prepared: Sequence[dict[str, Any]] | None = None,
    enrichers: Sequence[Enricher] | None = None,
) -> None:
    """Run the enrichers on stored articles, in the given order, in ``conn``'s transaction.

    ``now`` may be one time for all, or one per article (the deferred runner
    passes each article's fetch time, as if it had been enriched when stored).
    ``enrichers`` is all of them (``ENRICHERS``) unless a job runs only its own (distributed mode
    understands in one job and groups into stories in another).
    """
    if not stored:
        return
    prepared = prepared if prepared is not None else prepare([a for _, a in stored])
    times = [now] * len(stored) if isinstance(now, datetime) else list(now)
    for (article_id, article), results, when in zip(stored, prepared, times, strict=True):
        ctx = IngestContext(
            conn=conn, article_id=article_id, article=article, now=when, results=dict(results)
        )
        for enricher in ENRICHERS if enrichers is None else enrichers:
            enricher(ctx)
        log.info(
            "article enriched", article_id=article_id, url=article.canonical_url or article.url
        )


def _already_stored(db: Database, article: Article) -> bool:
    """A quick look before the costly work: is this article in the store already?"""
    from newsdesk.store import articles as repo

    with db.connect() as conn:
        return repo.find_duplicates(conn, [article])[0] is not None


def ingest_pages(
    pages: Iterable[Page | ItemFailure],
    *,
    db: Database,
    now: datetime | None = None,
    on_item: Callable[[], None] | None = None,
) -> BatchReport:
    """Extract and store each page in its own transaction; bad items are listed, not fatal.

    ``pages`` may carry ItemFailure records for inputs that could not even be
    read (a dead URL, a missing file) so that they appear in the same report.
    """
    from newsdesk.extract import extract_article

    report = BatchReport()
    for page in pages:
        try:
            if isinstance(page, ItemFailure):
                report.failed.append(page)
                continue
            article = extract_article(page.content, url=page.url, origin=page.origin)
            # Understood before the transaction: the parse must not hold the store's write
            # lock (a second ingest beside this one waited on it until SQLite gave up).
            prepared = None if _already_stored(db, article) else prepare([article], single=True)
            with db.begin() as conn:
                outcome = store_articles(
                    conn, [article], now=now or datetime.now(UTC), prepared=prepared
                )[0]
            if outcome.status == "stored":
                report.stored.append(page.origin)
            else:
                report.duplicates.append(page.origin)
        except NewsdeskError as exc:
            origin = page.origin if isinstance(page, Page) else "?"
            report.failed.append(ItemFailure(origin, str(exc)))
            log.info("ingest failed", origin=origin, error=str(exc))
        finally:
            if on_item is not None:
                on_item()
    return report
