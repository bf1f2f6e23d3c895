"""Failed sign-in attempts per key in a sliding window: the SQL of the shared rate limit.

Web processes are stateless (workers and several web processes share the store), so
the counters live here rather than in one process's memory. Keys are hashed before
they reach the table. Every statement is indexed: a count is a range scan of one
key's recent rows, and each new attempt deletes the rows that left the window.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from newsdesk.store.tables.signin import signin_attempts


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def recent(conn: Connection, key: str, *, now: datetime, window: timedelta) -> int:
    """Failed attempts of ``key`` within ``window`` before ``now``."""
    return int(
        conn.execute(
            select(func.count()).where(
                signin_attempts.c.key_hash == key_hash(key),
                signin_attempts.c.attempted_at > now - window,
            )
        ).scalar_one()
    )


def record(conn: Connection, keys: list[str], *, now: datetime, window: timedelta) -> None:
    """One failed attempt for each key; rows that left the window go in the same transaction."""
    conn.execute(signin_attempts.delete().where(signin_attempts.c.attempted_at <= now - window))
    if keys:
        conn.execute(
            signin_attempts.insert(),
            [{"key_hash": key_hash(k), "attempted_at": now} for k in keys],
        )


def clear(conn: Connection, key: str) -> None:
    """Forget a key's attempts (a successful sign-in clears its account's count)."""
    conn.execute(signin_attempts.delete().where(signin_attempts.c.key_hash == key_hash(key)))
