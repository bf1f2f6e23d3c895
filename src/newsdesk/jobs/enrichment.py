"""Deferred enrichment: run the enrichers on articles the refresher stored without them.

A first refresh can store 50,000 articles in half a minute; understanding them
(spaCy) and placing them in stories takes far longer, so the refresher only
queues them (``pending_enrichment``, see :mod:`newsdesk.store.pending`) and
this runner works the queue in batches afterwards: ``newsdesk refresh`` at its
end, ``newsdesk serve`` in a background thread.

Each batch is claimed in a short transaction, understood with one batched
parse outside any transaction (the write lock is never held while spaCy
runs), then written with the stories enricher in article order, in one
transaction that also takes the batch off the queue. If that transaction
fails, each article of the batch is tried alone, and one that still fails goes
back to the queue with its error (retried a few times, then left aside).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsdesk.errors import NewsdeskError, StoreError
from newsdesk.logs import get_logger
from newsdesk.models import Article

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy import Connection

    from newsdesk.bounded import BoundedCall
    from newsdesk.config import Settings
    from newsdesk.store.db import Database

log = get_logger(__name__)

#: Articles claimed and understood together (one ``nlp.pipe`` pass).
BATCH_SIZE = 64
#: A claim older than this belongs to a runner that died; its rows are claimable again.
STALE_AFTER = timedelta(minutes=30)
#: How often ``newsdesk serve`` looks at the queue when it was empty.
IDLE_SECONDS = 10.0


class ClaimLostError(StoreError):
    """Another runner took this batch over (ours was stale): our writes must not land."""


@dataclass
class EnrichReport:
    enriched: int = 0
    failed: int = 0
    #: Wall seconds in the batched understanding pass and in the writes (stories included).
    understand_seconds: float = 0.0
    write_seconds: float = 0.0

    def to_dict(self) -> dict[str, int]:
        return {"enriched": self.enriched, "failed": self.failed}

    def add(self, other: EnrichReport) -> None:
        self.enriched += other.enriched
        self.failed += other.failed
        self.understand_seconds += other.understand_seconds
        self.write_seconds += other.write_seconds


def _now() -> datetime:
    return datetime.now(UTC)


def waiting(db: Database) -> int:
    """How many articles wait for their enrichers."""
    from newsdesk.store import pending

    with db.connect() as conn:
        return pending.count(conn)["waiting"]


def waiting_grouping(db: Database) -> int:
    """Of those, how many are understood and wait for the story grouping job (workers)."""
    from newsdesk.store import pending

    with db.connect() as conn:
        return pending.grouping_count(conn)


def enrich_batch(
    limit: int = BATCH_SIZE,
    *,
    db: Database | None = None,
    token: str | None = None,
    stale_after: timedelta = STALE_AFTER,
    group_later: bool = False,
) -> EnrichReport:
    """The job unit: enrich at most ``limit`` waiting articles, as one batch.

    Safe to run anywhere and more than once at a time: each run claims its own
    articles (a claim left by a dead runner is taken over after STALE_AFTER), and
    an article already enriched is no longer waiting. Nothing waiting: an empty report.
    ``token`` names the claim: a job queue passes the job's id, so the same job
    done again (its worker died) takes back its own claim at once instead of
    leaving those articles to wait STALE_AFTER; ``stale_after`` shortens that wait
    where a dead runner is noticed sooner (the workers' visibility timeout).
    ``group_later``: understand only, and leave the articles waiting for the story
    grouping job (:mod:`newsdesk.jobs.grouping`), the workers' split of the two units.
    """
    from newsdesk.store.db import open_database

    return enrich_pending(
        db or open_database(),
        batch_size=limit,
        limit=limit,
        token=token,
        stale_after=stale_after,
        group_later=group_later,
    )


def enrich_pending(
    db: Database,
    *,
    batch_size: int = BATCH_SIZE,
    limit: int | None = None,
    now: Callable[[], datetime] = _now,
    on_batch: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    token: str | None = None,
    stale_after: timedelta = STALE_AFTER,
    group_later: bool = False,
) -> EnrichReport:
    """Enrich waiting articles batch by batch until none is left (or ``limit``, or ``stop``).

    ``on_batch`` gets the number of articles each batch finished (enriched or failed).
    """
    report = EnrichReport()
    token = token or uuid.uuid4().hex
    while limit is None or report.enriched + report.failed < limit:
        if stop is not None and stop.is_set():
            break
        size = (
            batch_size
            if limit is None
            else min(batch_size, limit - report.enriched - report.failed)
        )
        done = _enrich_next(
            db, token, size=size, now=now(), stale_after=stale_after, group_later=group_later
        )
        if done is None:
            break
        report.add(done)
        if on_batch is not None:
            on_batch(done.enriched + done.failed)
    return report


def _enrich_next(
    db: Database,
    token: str,
    *,
    size: int,
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
    group_later: bool = False,
) -> EnrichReport | None:
    """Claim, understand and write one batch; None when nothing was waiting."""
    from newsdesk.store import pending

    with db.begin() as conn:
        ids = pending.claim(conn, token, limit=size, now=now, stale_before=now - stale_after)
    if not ids:
        return None
    return enrich_claimed(db, token, ids, now=now, group_later=group_later)


def enrich_claimed(
    db: Database, token: str, ids: list[int], *, now: datetime, group_later: bool = False
) -> EnrichReport:
    """Understand and write articles claimed by ``token``; none lands if the claim was lost."""
    from newsdesk.jobs.pipeline import prepare
    from newsdesk.store import articles as repo
    from newsdesk.store import pending

    with db.connect() as conn:
        rows = repo.get_articles(conn, ids)
    started = time.perf_counter()
    outcome = _prepare([article for _, article, _ in rows], prepare)
    understood = time.perf_counter()
    report = EnrichReport(understand_seconds=understood - started)
    items = []
    for (i, a, fetched), p in zip(rows, outcome, strict=True):
        if isinstance(p, NewsdeskError):  # past the deadline or memory bound: one reason
            log.warning("article not enriched", article_id=i, error=str(p))
            with db.begin() as conn:
                pending.release(conn, i, token, error=str(p), now=now)
            report.failed += 1
        else:
            items.append((i, a, fetched, p))
    try:
        with db.begin() as conn:
            _write(conn, items, token, group_later=group_later, now=now)
        report.enriched = len(items)
        report.write_seconds = time.perf_counter() - understood
        return report
    except ClaimLostError:
        log.warning("enrichment batch taken over by another runner", articles=len(items))
        return report
    except Exception as exc:  # an enricher's bug on one article must not stop the others
        log.info("enrichment batch failed, enriching one by one", error=str(exc))
    for item in items:
        try:
            with db.begin() as conn:
                _write(conn, [item], token, group_later=group_later, now=now)
            report.enriched += 1
        except ClaimLostError:
            continue
        except Exception as exc:
            log.warning("article not enriched", article_id=item[0], error=str(exc))
            with db.begin() as conn:
                pending.release(conn, item[0], token, error=str(exc), now=now)
            report.failed += 1
    report.write_seconds = time.perf_counter() - understood
    return report


#: Set by ``serve`` and workers (:func:`use_bounded_steps`): understanding then runs in a
#: child process under NEWSDESK_UNDERSTAND_DEADLINE and NEWSDESK_UNDERSTAND_MEMORY_MB.
_bounded: BoundedCall | None = None


def use_bounded_steps(settings: Settings | None) -> None:
    """Run understanding in a child process that a deadline can stop (serve, workers)."""
    global _bounded
    from newsdesk.bounded import BoundedCall
    from newsdesk.errors import UnderstandError

    if settings is None:  # serve is over: back to in-process calls
        runner, _bounded = _bounded, None
        if runner is not None:
            runner.close()
        return
    if _bounded is None:
        _bounded = BoundedCall(
            what="understanding",
            deadline=settings.understand_deadline,
            memory_mb=settings.understand_memory_mb,
            error=UnderstandError,
            setting="understand",
        )


def _prepare(
    articles: list[Article], prepare: Callable[..., list[dict[str, Any]]]
) -> list[dict[str, Any] | NewsdeskError]:
    """The batch work, bounded where serve asked for it; a batch past its bound is
    redone one article at a time, so only the article that causes it fails."""
    runner = _bounded
    if runner is None or not articles:
        return list(prepare(articles))
    from newsdesk.errors import UnderstandError

    try:
        return list(runner(_prepare_all, articles))
    except UnderstandError as exc:
        if len(articles) == 1:
            return [exc]
    out: list[dict[str, Any] | NewsdeskError] = []
    for article in articles:
        try:
            out.extend(runner(_prepare_all, [article]))
        except UnderstandError as exc:
            out.append(exc)
    return out


def _prepare_all(articles: list[Article]) -> list[dict[str, Any]]:
    from newsdesk.jobs.pipeline import prepare

    return prepare(articles, single=True)


def _write(
    conn: Connection,
    items: list[tuple[int, Article, datetime, dict[str, Any]]],
    token: str,
    *,
    group_later: bool = False,
    now: datetime | None = None,
) -> None:
    """The enrichers' writes for ``items`` and their removal from the queue, or nothing.

    ``group_later``: only the understanding enricher runs, and the articles stay queued
    for the story grouping job instead of leaving the queue.
    """
    from newsdesk.jobs.enrichers.understanding import enrich_article
    from newsdesk.jobs.pipeline import enrich_stored
    from newsdesk.store import pending

    if not items:
        return
    ids = [i for i, *_ in items]
    # Off the queue first: rows locked (PostgreSQL) or the write lock taken (SQLite) before the
    # enrichers write, and a lost claim is found before any work is done.
    if group_later:
        taken = pending.to_grouping(conn, ids, token, now=now or _now())
    else:
        taken = pending.finish(conn, ids, token)
    if taken != len(items):
        raise ClaimLostError(
            f"{len(items) - taken} of {len(items)} claimed articles were taken by another runner",
            hint="nothing to do: the other runner enriches them",
        )
    enrich_stored(
        conn,
        [(i, a) for i, a, _, _ in items],
        now=[fetched for _, _, fetched, _ in items],
        prepared=[p for *_, p in items],
        enrichers=(enrich_article,) if group_later else None,
    )


def run_enrichment_loop(db: Database, stop: threading.Event, *, idle: float = IDLE_SECONDS) -> None:
    """``newsdesk serve``'s background step: enrich waiting articles until ``stop`` is set."""
    while not stop.is_set():
        try:
            report = enrich_pending(db, stop=stop)
            if report.enriched or report.failed:
                log.info("enrichment round", **report.to_dict())
        except NewsdeskError as exc:
            log.warning("enrichment round failed", error=str(exc))
        stop.wait(idle)
