"""Jobs a person asks for now (the CLI's ``ingest``, ``refresh`` and its enrichment step).

The same units the scheduler and workers run, with the database opened here
(a face above ``jobs`` never holds a connection) and callbacks for a
progress bar. Sources are named the way people name them: by id or URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from newsdesk.jobs.enrichment import EnrichReport
from newsdesk.jobs.refresh_report import RefreshReport, SourceOutcome
from newsdesk.models import BatchReport, ItemFailure, Page
from newsdesk.store.db import Database, open_database


def _db(db: Database | None) -> Database:
    return db if db is not None else open_database()


def ingest(pages: Iterable[Page | ItemFailure], *, db: Database | None = None) -> BatchReport:
    """Extract and store each page (its own transaction); bad items are listed, not fatal."""
    from newsdesk.jobs.pipeline import ingest_pages

    return ingest_pages(pages, db=_db(db))


def refresh_sources(
    refs: Sequence[str] | None = None,
    *,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[SourceOutcome], None] | None = None,
    db: Database | None = None,
) -> RefreshReport:
    """Refresh the named sources (ids or URLs), else every due one (every one with ``force``)."""
    from newsdesk.jobs.refresh import refresh
    from newsdesk.store import sources as repo

    database = _db(db)
    ids = None
    if refs:
        with database.connect() as conn:
            ids = [repo.get_source(conn, ref).id for ref in refs]
    return refresh(database, source_ids=ids, force=force, on_start=on_start, on_done=on_done)


def waiting(*, db: Database | None = None) -> int:
    """How many stored articles wait for their enrichers."""
    from newsdesk.jobs.enrichment import waiting as count_waiting

    return count_waiting(_db(db))


def enrich_waiting(
    *, on_batch: Callable[[int], None] | None = None, db: Database | None = None
) -> EnrichReport:
    """Enrich every waiting article, batch by batch (``on_batch`` gets each batch's size)."""
    from newsdesk.jobs.enrichment import enrich_pending

    return enrich_pending(_db(db), on_batch=on_batch)
