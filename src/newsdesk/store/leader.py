"""The scheduler's leader lock: a PostgreSQL session advisory lock on a connection of its own.

The lock lives as long as the session, so a leader that dies (even by SIGKILL)
loses its connection and PostgreSQL frees the lock with it: no lease to expire,
no clock to trust. The connection is kept out of every pool (``NullPool``) so
that no other statement can ever borrow it and nothing recycles it.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.pool import NullPool

from newsdesk.logs import get_logger

log = get_logger(__name__)


def psycopg_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named (a bare ``postgresql://`` would pick psycopg2)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if "+" not in url else url


class AdvisoryLock:
    """One session-level advisory lock, taken with ``pg_try_advisory_lock`` and held open."""

    def __init__(self, database_url: str, key: int, *, application_name: str) -> None:
        self.key = key
        self._engine = create_engine(
            psycopg_url(database_url),
            poolclass=NullPool,
            connect_args={"application_name": application_name[:63], "connect_timeout": 5},
        )
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        """Take the lock if free (or check the session holding it is alive); False otherwise."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception as exc:
                log.warning("lost the connection holding the lock", error=str(exc))
                self.release()
                return False
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()  # closing the session releases the lock
            self._conn = None

    def close(self) -> None:
        self.release()
        self._engine.dispose()


def lock_holder(conn: Connection, key: int) -> str | None:
    """The application name of the session holding advisory lock ``key``, if any."""
    row = conn.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = :k"
        ),
        {"k": key},
    ).first()
    return str(row[0]) if row else None
