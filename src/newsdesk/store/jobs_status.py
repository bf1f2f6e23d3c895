"""What ``newsdesk status``, ``/metrics`` and ``/readyz`` read from the store."""

from __future__ import annotations

from sqlalchemy import Connection, func, select, text

from newsdesk.store.tables.core import articles
from newsdesk.store.tables.editions import edition_outbox


def articles_and_sent_editions(conn: Connection) -> tuple[int, int]:
    """Articles stored and editions marked sent."""
    stored = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    sent = conn.execute(
        select(func.count()).select_from(edition_outbox).where(edition_outbox.c.status == "sent")
    ).scalar_one()
    return int(stored), int(sent)


def ping(conn: Connection) -> None:
    """One round trip: raises when the database cannot answer."""
    conn.execute(text("SELECT 1"))
