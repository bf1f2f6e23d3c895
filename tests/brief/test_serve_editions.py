"""``newsdesk serve`` sends due editions on its own: the editions service is registered with the
serve supervisor, and its loop sends what is due by its clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from newsdesk.follow import accounts
from tests.brief.conftest import SmtpServer

T0 = datetime(2026, 6, 1, 6, 31, tzinfo=UTC)


def test_the_cli_registers_the_editions_service_with_serve() -> None:
    import newsdesk.cli  # noqa: F401  (registering the commands registers the service)
    from newsdesk.jobs.serve import SERVE_SERVICES

    assert any(getattr(s, "__name__", "") == "_editions_service" for s in SERVE_SERVICES)


def test_the_serve_loop_sends_due_editions_by_its_clock(db, smtp_server: SmtpServer) -> None:
    from newsdesk.config import get_settings
    from newsdesk.jobs.editions import run_editions_loop

    with db.begin() as conn:
        accounts.create_user(conn, "ana@example.org", now=T0 - timedelta(days=1))
    stop = threading.Event()
    worker = threading.Thread(
        target=run_editions_loop,
        args=(get_settings(), stop),
        kwargs={"clock": lambda: T0, "interval": 0.05},
        daemon=True,
    )
    worker.start()
    deadline = time.monotonic() + 30
    while not smtp_server.mailbox.received and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # more rounds at the same instant send nothing more
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert len(smtp_server.mailbox.received) == 1
