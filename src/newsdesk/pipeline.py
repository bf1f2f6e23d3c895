"""Runs articles through the stages after extraction and stores them.

``store_article`` is the one door into the articles table: the CLI's
``ingest``, the feed refresher and the web app all go through it, so duplicate
detection and the enrichers (understanding, stories) run the same way
everywhere. Everything an article brings is written inside the caller's
transaction: either the article and all its enrichments land, or nothing does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection

from newsdesk.errors import NewsdeskError
from newsdesk.logs import get_logger
from newsdesk.models import Article, BatchReport, ItemFailure, Page

log = get_logger(__name__)


@dataclass
class IngestContext:
    """What an enricher gets: the stored article, and what earlier enrichers found."""

    conn: Connection
    article_id: int
    article: Article
    now: datetime
    results: dict[str, Any] = field(default_factory=dict)


Enricher = Callable[[IngestContext], None]

#: Enrichers run in order after an article row is inserted, in the same transaction.
#: Each is "module:function" taking an IngestContext; earlier results are in ctx.results
#: (the understanding stage puts its Understanding under "understanding").
ENRICHERS: tuple[str, ...] = (
    "newsdesk.understand.ingest:enrich_article",
    "newsdesk.stories.ingest:assign_article",  # after understanding: uses its entities
)


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    article_id: int
    status: Literal["stored", "duplicate"]
    reason: str | None = None  # for duplicates: "same canonical URL" / "same content"


def _load(spec: str) -> Enricher:
    module, _, name = spec.partition(":")
    fn: Enricher = getattr(importlib.import_module(module), name)
    return fn


def store_article(
    conn: Connection,
    article: Article,
    *,
    now: datetime,
    source_id: int | None = None,
    enrich: bool = True,
) -> StoreOutcome:
    """Insert ``article`` (or find its duplicate) and run the enrichers on a new one."""
    from newsdesk.store import articles as repo

    existing = repo.find_duplicate(conn, article)
    if existing is not None:
        article_id, reason = existing
        return StoreOutcome(article_id, "duplicate", reason)
    article_id = repo.insert_article(conn, article, now=now, source_id=source_id)
    if enrich:
        ctx = IngestContext(conn=conn, article_id=article_id, article=article, now=now)
        for spec in ENRICHERS:
            _load(spec)(ctx)
    log.info("article stored", article_id=article_id, url=article.canonical_url or article.url)
    return StoreOutcome(article_id, "stored")


def ingest_pages(
    pages: Iterable[Page | ItemFailure],
    *,
    db: Any,
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
            with db.begin() as conn:
                outcome = store_article(conn, article, now=now or datetime.now(UTC))
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
