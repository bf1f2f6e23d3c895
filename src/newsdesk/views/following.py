"""Following as the faces show it: per follow, what is new since its last check, and one
combined newest-first list (``newsdesk.follow.following`` builds it; this names the record
and reads it for a user named by email)."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.follow.actions import user_id
from newsdesk.follow.following import FollowingEntry, FollowingView, load_following
from newsdesk.store.db import Database, open_database

#: The Following record: ``follows`` (each with new_count and its newest articles),
#: ``entries`` (one per event) and ``upto_article_id`` (where checking moves the marks).
Following = FollowingView

__all__ = ["Following", "FollowingEntry", "following"]


def following(
    email: str,
    *,
    per_follow: int = 10,
    db: Database | None = None,
    now: datetime | None = None,
) -> Following:
    with (db or open_database()).connect() as conn:
        return load_following(
            conn, user_id(conn, email), now=now or datetime.now(UTC), per_follow=per_follow
        )
