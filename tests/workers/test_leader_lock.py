"""The leader lock in ``store/leader.py`` on the real PostgreSQL: one holder, freed with it."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import create_engine

from newsdesk.store.leader import AdvisoryLock, lock_holder
from tests.conftest import PG_ADMIN_URL, skip_or_fail

pytestmark = pytest.mark.workers


def test_one_holder_at_a_time_and_the_lock_is_freed_with_its_session() -> None:
    key = random.randint(1, 2**40)  # not the scheduler's key: a live scheduler is left alone
    first = AdvisoryLock(PG_ADMIN_URL, key, application_name="lock-test:first")
    second = AdvisoryLock(PG_ADMIN_URL, key, application_name="lock-test:second")
    engine = create_engine(PG_ADMIN_URL)
    try:
        try:
            assert first.try_acquire()
        except Exception as exc:  # psycopg's OperationalError, wrapped by SQLAlchemy
            skip_or_fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}".splitlines()[0])
        assert first.try_acquire()  # kept, not taken twice
        assert not second.try_acquire()
        with engine.connect() as conn:
            assert lock_holder(conn, key) == "lock-test:first"
        first.release()  # like a leader whose session ended
        assert second.try_acquire() and second.held and not first.held
        with engine.connect() as conn:
            assert lock_holder(conn, key) == "lock-test:second"
    finally:
        first.close()
        second.close()
        engine.dispose()
    with engine.connect() as conn:
        assert lock_holder(conn, key) is None
