"""Queries on the deferred-enrichment queue (``pending_enrichment``).

The queue's one promise is "each article enriched exactly once": a runner
claims rows with a single ``UPDATE`` (atomic on both engines; PostgreSQL also
skips rows another runner has locked), and :func:`finish` deletes only rows
that still carry its claim, in the transaction that writes the enrichments.
A runner that lost its claim (it stalled past ``stale_before`` and another
runner took the rows over) finds fewer rows to delete and must roll back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from newsdesk.store.tables.enrichment import pending_enrichment as pending

#: Claims per article before it is left aside with its last error (shown by ``count``).
MAX_ATTEMPTS = 3
#: The claim a failed article carries until it is retried (after the stale time).
FAILED = "failed"


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
    claimable = or_(pending.c.claim.is_(None), pending.c.claimed_at < stale_before)
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
    """``waiting`` (still to be enriched) and ``given_up`` (failed MAX_ATTEMPTS times)."""
    given_up = and_(pending.c.attempts >= MAX_ATTEMPTS, pending.c.claim == FAILED)
    total = int(conn.scalar(select(func.count()).select_from(pending)) or 0)
    failed = int(conn.scalar(select(func.count()).select_from(pending).where(given_up)) or 0)
    return {"waiting": total - failed, "given_up": failed}
