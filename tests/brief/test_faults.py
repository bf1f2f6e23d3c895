"""Exactly once under faults: SMTP down then back, a server that hangs up after taking the
message, a process killed between building and sending, two schedulers racing on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.follow import accounts
from newsdesk.jobs.editions import due_editions
from tests.brief.conftest import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 6, 31, tzinfo=UTC)  # just after 06:30 UTC: a morning edition is due


def _user(db: object, email: str = "ana@example.org", zone: str = "UTC") -> int:
    with db.begin() as conn:  # type: ignore[attr-defined]
        return accounts.create_user(conn, email, now=T0 - timedelta(days=1), time_zone=zone).id


def _statuses(db: object) -> list[str]:
    from sqlalchemy import select

    from newsdesk.store.tables.editions import edition_outbox

    with db.connect() as conn:  # type: ignore[attr-defined]
        return [r.status for r in conn.execute(select(edition_outbox.c.status))]


def test_smtp_down_then_back_gives_one_mail(db, smtp_server: SmtpServer) -> None:
    _user(db)
    smtp_server.stop()
    first = due_editions(T0)
    assert first.built == 1 and first.count("failed") == 1
    assert "unreachable" in (first.deliveries[0].error or "")
    # Before its retry time nothing is tried again; the server is still down anyway.
    assert due_editions(T0 + timedelta(seconds=20)).deliveries == []
    smtp_server.start()
    assert due_editions(T0 + timedelta(seconds=30)).deliveries == []  # still backing off
    later = due_editions(T0 + timedelta(minutes=2))
    assert later.count("sent") == 1
    for k in range(3, 8):
        assert due_editions(T0 + timedelta(minutes=k)).deliveries == []
    assert len(smtp_server.mailbox.received) == 1
    assert _statuses(db) == ["sent"]


def test_server_that_takes_the_message_then_hangs_up_gives_one_mail(
    db, smtp_server: SmtpServer, cli
) -> None:
    _user(db)
    smtp_server.mailbox.drop_after_data = True
    first = due_editions(T0)
    assert first.count("unknown") == 1, first.to_dict()
    smtp_server.mailbox.drop_after_data = False
    for k in range(1, 30, 3):  # many later rounds, long past any retry time
        assert due_editions(T0 + timedelta(minutes=k * 10)).deliveries == []
    assert len(smtp_server.mailbox.received) == 1
    assert _statuses(db) == ["unknown"]
    # --send sends nothing and says why; only the admin's --resend sends it again.
    said = cli("edition", "morning", "--user", "ana@example.org", "--send", "--date", "2026-03-02")
    assert said.code == 0 and "may have been delivered" in said.stdout, said
    assert len(smtp_server.mailbox.received) == 1
    again = cli(
        "edition", "morning", "--user", "ana@example.org", "--resend", "--date", "2026-03-02"
    )
    assert again.code == 0, again
    assert len(smtp_server.mailbox.received) == 2
    ids = {m["Message-ID"] for m in smtp_server.mailbox.messages()}
    assert len(ids) == 1  # the resend is the same message to a client


_BUILD_THEN_WAIT = """
import sys, time
from datetime import datetime
from newsdesk.brief import outbox
from newsdesk.config import get_settings
from newsdesk.store.db import open_database

settings = get_settings()
db = open_database(settings)
now = datetime.fromisoformat(sys.argv[1])
entry = outbox.build(db, int(sys.argv[2]), sys.argv[3], sys.argv[4], now=now, settings=settings)
print("built", entry.id, entry.status, flush=True)
time.sleep(120)  # killed here: built, never sent
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + str(ROOT)
    return env


@pytest.mark.slow
def test_process_killed_after_building_and_before_sending_gives_one_mail(
    db, smtp_server: SmtpServer
) -> None:
    user_id = _user(db)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _BUILD_THEN_WAIT,
            T0.isoformat(),
            str(user_id),
            "2026-03-02",
            "morning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("built"), (line, proc.stderr.read() if proc.stderr else "")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _statuses(db) == ["built"] and smtp_server.mailbox.received == []
    # "Restart": the next scheduler round finds the built edition and sends that very mail.
    report = due_editions(T0 + timedelta(minutes=1))
    assert report.built == 0 and report.count("sent") == 1
    due_editions(T0 + timedelta(minutes=2))
    assert len(smtp_server.mailbox.received) == 1


def test_sender_killed_before_data_is_taken_over_after_its_claim_goes_stale(
    db, smtp_server: SmtpServer
) -> None:
    """A row left 'sending' (its sender died before DATA) is resent once the claim is stale."""
    from newsdesk.brief import outbox
    from newsdesk.config import get_settings
    from newsdesk.store import editions as store

    user_id = _user(db)
    entry = outbox.build(db, user_id, "2026-03-02", "morning", now=T0, settings=get_settings())
    with db.begin() as conn:
        assert store.claim(conn, entry.id, now=T0) is not None  # ... and then the process died
    assert due_editions(T0 + timedelta(minutes=5)).deliveries == []  # its claim is still fresh
    assert due_editions(T0 + outbox.STALE_CLAIM + timedelta(minutes=1)).count("sent") == 1
    assert len(smtp_server.mailbox.received) == 1


def test_slow_sender_whose_claim_was_taken_over_stops_before_data(
    db, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sender that was only slow (its claim went stale and another sender took the row)
    finds its claim gone at the point of no return and sends nothing: one mail, not two."""
    from newsdesk.brief import outbox, smtp
    from newsdesk.config import get_settings
    from newsdesk.store import editions as store

    monkeypatch.setenv("NEWSDESK_EDITION_CLAIM_TIMEOUT", "60")
    get_settings.cache_clear()
    settings = get_settings()
    user_id = _user(db)
    entry = outbox.build(db, user_id, "2026-03-02", "morning", now=T0, settings=settings)
    real_send = smtp.send_message
    taken_over: list[str] = []

    def slow_send(message: object, config: object, *, before_data: object = None) -> None:
        if not taken_over:
            # While this sender waits on the server, its claim goes stale and another sender
            # (here the same code, two minutes later) takes the row over and sends it.
            taken_over.append("taking over")
            later = T0 + timedelta(minutes=2)
            taken_over.append(outbox.deliver(db, entry.id, now=later, settings=settings).outcome)
        real_send(message, config, before_data=before_data)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "send_message", slow_send)
    assert outbox.deliver(db, entry.id, now=T0, settings=settings).outcome == "skipped"
    assert taken_over == ["taking over", "sent"]
    assert len(smtp_server.mailbox.received) == 1
    with db.connect() as conn:
        assert store.get_edition_by_id(conn, entry.id).status == "sent"


_SCHEDULER = """
import sys, time
from datetime import datetime
from newsdesk.jobs.editions import due_editions

start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.005)
report = due_editions(datetime.fromisoformat(sys.argv[1]))
print(report.built, report.count("sent"), report.count("skipped"), flush=True)
"""


@pytest.mark.postgres
@pytest.mark.slow
def test_two_scheduler_processes_on_postgresql_send_one_mail_each(
    db, smtp_server: SmtpServer
) -> None:
    if db.dialect != "postgresql":  # type: ignore[attr-defined]
        pytest.skip("the race is run for real on PostgreSQL; SQLite serialises writers")
    users = 25
    for i in range(users):
        _user(db, f"r{i}@example.org")
    start = time.time() + 3.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SCHEDULER, T0.isoformat(), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    built = [int(out.split()[0]) for out, _ in results]
    sent = [int(out.split()[1]) for out, _ in results]
    assert sum(built) == users and sum(sent) == users, results
    mails = smtp_server.mailbox.messages()
    assert len(mails) == users
    assert len({m["Message-ID"] for m in mails}) == users
    assert sorted(m["To"] for m in mails) == sorted(f"r{i}@example.org" for i in range(users))
