"""For you as the faces show it: recent stories ranked for the user, each with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.follow.actions import user_id
from newsdesk.follow.for_you import DEFAULT_ENTRIES, ForYouEntry, load_for_you
from newsdesk.store.db import Database, open_database

__all__ = ["ForYou", "ForYouEntry", "for_you"]


@dataclass(frozen=True, slots=True)
class ForYou:
    """The user's ranked entries (one per event), best first."""

    entries: tuple[ForYouEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [e.to_dict() for e in self.entries]}


def for_you(
    email: str,
    *,
    window: timedelta,
    limit: int = DEFAULT_ENTRIES,
    db: Database | None = None,
    now: datetime | None = None,
) -> ForYou:
    with (db or open_database()).connect() as conn:
        entries = load_for_you(
            conn,
            user_id(conn, email),
            now=now or datetime.now(UTC),
            window=window,
            limit=limit,
        )
    return ForYou(entries)
