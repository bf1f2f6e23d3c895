"""Queries on the deferred-enrichment queue (``pending_enrichment``).

The queue's one promise is "each article enriched exactly once": a runner
claims rows with a single ``UPDATE`` (atomic on both engines; PostgreSQL also
skips rows another runner has locked), and :func:`finish` deletes only rows
that still carry its claim, in the transaction that writes the enrichments.
A runner that lost its claim (it stalled past ``stale_before`` and another
runner took the rows over) finds fewer rows to delete and must roll back.

In distributed mode the two enrichers are two jobs: understanding hands its
articles on to story grouping (:func:`to_grouping`: the row stays, claimed by
``GROUP``) and the grouping job takes them off (:func:`finish_grouping`) in
article order, one grouper at a time (:func:`lock_grouping`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, delete, false, func, or_, select, text, update

from newsdesk.store.tables.enrichment import pending_enrichment as pending

#: Claims per article before it is left aside with its last error (shown by ``count``).
MAX_ATTEMPTS = 3
#: The claim a failed article carries until it is retried (after the stale time).
FAILED = "failed"
#: The claim of an article understood and waiting for story grouping (distributed mode).
GROUP = "group"
#: The PostgreSQL advisory lock key held by the one grouper at work ("nd-group").
GROUP_LOCK_KEY = 0x6E642D67726F7570


def queue(conn: Connection, article_ids: Sequence[int], *, now: datetime) -> None:
    """Mark freshly stored articles as waiting for their enrichers (caller's transaction)."""
    if article_ids:
        conn.execute(
            pending.insert(),
            [{"article_id": i, "queued_at": now, "attempts": 0} for i in article_ids],
        )


def claim(
    conn: Connection, token: str, *, limit: int, now: datetime, stale_before: datetime
) -> list[int]:
    """Claim up to ``limit`` waiting articles (oldest first) for runner ``token``; their ids.

    A row is claimable when nobody holds it, or when its claim is older than
    ``stale_before`` (its runner died), and it has not failed ``MAX_ATTEMPTS`` times.
    """
    claimable = or_(
        pending.c.claim.is_(None),
        and_(pending.c.claimed_at < stale_before, pending.c.claim != GROUP),
    )
    candidates = (
        select(pending.c.article_id)
        .where(claimable, pending.c.attempts < MAX_ATTEMPTS)
        .order_by(pending.c.article_id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    conn.execute(
        update(pending)
        .where(pending.c.article_id.in_(candidates.scalar_subquery()), claimable)
        .values(claim=token, claimed_at=now, attempts=pending.c.attempts + 1)
    )
    query = select(pending.c.article_id).where(pending.c.claim == token)
    return [int(row.article_id) for row in conn.execute(query.order_by(pending.c.article_id))]


def finish(conn: Connection, article_ids: Sequence[int], token: str) -> int:
    """Take enriched articles off the queue; how many still carried ``token``'s claim."""
    if not article_ids:
        return 0
    result = conn.execute(
        delete(pending).where(pending.c.article_id.in_(list(article_ids)), pending.c.claim == token)
    )
    return int(result.rowcount)


def to_grouping(conn: Connection, article_ids: Sequence[int], token: str, *, now: datetime) -> int:
    """Hand understood articles on to story grouping; how many still carried ``token``'s claim.

    The row stays in the queue (so ``count`` still shows the article as waiting) with the
    ``GROUP`` claim, which the understanding runners never take.
    """
    if not article_ids:
        return 0
    result = conn.execute(
        update(pending)
        .where(pending.c.article_id.in_(list(article_ids)), pending.c.claim == token)
        .values(claim=GROUP, claimed_at=now, attempts=0, last_error=None)
    )
    return int(result.rowcount)


def lock_grouping(conn: Connection) -> None:
    """Make this transaction the one grouper at work until it ends (waits for another).

    Why: grouping reads the window's open stories and writes them back; two groupers
    side by side would each start the same story. PostgreSQL: a transaction-level
    advisory lock. SQLite: a write that changes nothing, as the transaction's first
    statement, takes the database's write lock before anything is read.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": GROUP_LOCK_KEY})
    else:
        conn.execute(update(pending).where(false()).values(attempts=pending.c.attempts))


def waiting_grouping(conn: Connection, *, limit: int) -> list[int]:
    """Up to ``limit`` understood articles waiting for story grouping, oldest first."""
    query = (
        select(pending.c.article_id)
        .where(pending.c.claim == GROUP)
        .order_by(pending.c.article_id)
        .limit(limit)
    )
    return [int(row.article_id) for row in conn.execute(query)]


def grouping_count(conn: Connection) -> int:
    """How many understood articles wait for story grouping."""
    query = select(func.count()).select_from(pending).where(pending.c.claim == GROUP)
    return int(conn.scalar(query) or 0)


def finish_grouping(conn: Connection, article_ids: Sequence[int]) -> int:
    """Take grouped articles off the queue; how many were still waiting for grouping."""
    if not article_ids:
        return 0
    result = conn.execute(
        delete(pending).where(pending.c.article_id.in_(list(article_ids)), pending.c.claim == GROUP)
    )
    return int(result.rowcount)


def release(conn: Connection, article_id: int, token: str, *, error: str, now: datetime) -> None:
    """Put a failed article aside with its error; it is claimable again once that goes stale.

    The claim becomes ``FAILED`` (so the same run does not retry it at once), and
    after ``MAX_ATTEMPTS`` claims it stays aside for good, shown by :func:`count`.
    """
    conn.execute(
        update(pending)
        .where(pending.c.article_id == article_id, pending.c.claim == token)
        .values(claim=FAILED, claimed_at=now, last_error=error[:2000])
    )


def count(conn: Connection) -> dict[str, int]:
    """``waiting`` (still to be enriched, story grouping included) and ``given_up``
    (failed MAX_ATTEMPTS times)."""
    given_up = and_(pending.c.attempts >= MAX_ATTEMPTS, pending.c.claim == FAILED)
    total = int(conn.scalar(select(func.count()).select_from(pending)) or 0)
    failed = int(conn.scalar(select(func.count()).select_from(pending).where(given_up)) or 0)
    return {"waiting": total - failed, "given_up": failed}
