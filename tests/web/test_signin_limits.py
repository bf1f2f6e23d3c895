"""Sign-in limits are counted in the store: every web process shares them, the window
slides, and keys are stored hashed. Both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, make_user

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _limits(db: Any, clock: list[datetime]) -> Any:
    from newsdesk.web.security import SignInLimits

    return SignInLimits(
        db, per_account=3, per_address=5, window_seconds=600, clock=lambda: clock[0]
    )


def test_the_window_slides_per_account_and_per_address(db: Any) -> None:
    clock = [T0]
    limits = _limits(db, clock)
    for minute in range(3):
        clock[0] = T0 + timedelta(minutes=minute)
        assert not limits.blocked("a@newsdesk.example", "198.51.100.7")
        limits.failed("A@newsdesk.example ", "198.51.100.7")  # the account key is normalised
    assert limits.blocked("a@newsdesk.example", "198.51.100.8")  # the account, anywhere
    assert not limits.blocked("b@newsdesk.example", "198.51.100.7")  # address: 3 of 5
    # Ten minutes after the first failure, it has left the window: one slot opens.
    clock[0] = T0 + timedelta(minutes=10)
    assert not limits.blocked("a@newsdesk.example", "198.51.100.7")
    limits.failed("a@newsdesk.example", "198.51.100.7")
    assert limits.blocked("a@newsdesk.example", "198.51.100.7")
    # The address's own limit: failures on other accounts count towards it.
    limits.failed("b@newsdesk.example", "198.51.100.7")
    limits.failed(None, "198.51.100.7")  # Fever names no account
    assert limits.blocked(None, "198.51.100.7")
    assert limits.blocked("c@newsdesk.example", "198.51.100.7")
    assert not limits.blocked("c@newsdesk.example", "198.51.100.9")
    # A success clears the account's count, not the address's.
    limits.succeeded("a@newsdesk.example")
    assert not limits.blocked("a@newsdesk.example", "198.51.100.9")
    assert limits.blocked("a@newsdesk.example", "198.51.100.7")


def test_rows_hold_hashes_and_only_one_window(db: Any) -> None:
    from sqlalchemy import select

    from newsdesk.store.tables import signin_attempts

    clock = [T0]
    limits = _limits(db, clock)
    limits.failed("a@newsdesk.example", "198.51.100.7")
    clock[0] = T0 + timedelta(hours=1)
    limits.failed("b@newsdesk.example", "198.51.100.8")
    with db.connect() as conn:
        rows = conn.execute(select(signin_attempts)).all()
    assert len(rows) == 2  # the first attempt's rows left the window and were deleted
    text = repr(rows)
    assert "newsdesk.example" not in text and "198.51" not in text
    assert all(len(r.key_hash) == 64 for r in rows)


def test_two_web_processes_share_the_limit(db: Any) -> None:
    """Two apps over one store stand for two web processes behind a balancer."""
    import re

    from newsdesk.config import get_settings
    from newsdesk.web.app import create_app

    make_user(db, "a@newsdesk.example")
    clients = [TestClient(create_app(get_settings(), db=db)) for _ in range(2)]

    def attempt(client: TestClient, password: str) -> int:
        page = client.get("/signin")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        return client.post(
            "/signin",
            data={"email": "a@newsdesk.example", "password": password, "csrf": token},
            follow_redirects=False,
        ).status_code

    for i in range(5):  # the limit per account is 5, spread over both processes
        assert attempt(clients[i % 2], "wrong-password") == 400
    assert attempt(clients[0], PASSWORD) == 429
    assert attempt(clients[1], PASSWORD) == 429
